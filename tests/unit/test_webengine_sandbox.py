"""When the embedded sign-in may start its web engine: the environment as QtWebEngine reads
it (as root with PySide6 6.12, each switched-off form here started; with none set the
process ended)."""

from __future__ import annotations

import pytest

from o365desk.core import webengine_sandbox as ws


@pytest.mark.parametrize("env", [
    {"QTWEBENGINE_DISABLE_SANDBOX": "1"},
    {"QTWEBENGINE_DISABLE_SANDBOX": ""},  # set at all is enough for QtWebEngine
    {"QTWEBENGINE_DISABLE_SANDBOX": "0"},
    {"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"},
    {"QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu  --no-sandbox"},
    {"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox=0"},
])
def test_the_sandbox_is_switched_off(env):
    assert ws.sandbox_switched_off(env)


@pytest.mark.parametrize("env", [
    {},
    {"QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu"},
    {"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandboxing"},
    {"QTWEBENGINE_DISABLE_SANDBOX_X": "1"},
])
def test_the_sandbox_is_on(env):
    assert not ws.sandbox_switched_off(env)


def test_only_root_with_the_sandbox_on_is_refused(monkeypatch):
    monkeypatch.setattr(ws.os, "geteuid", lambda: 0, raising=False)
    assert ws.running_as_root()
    assert ws.embedded_view_refused({})
    assert not ws.embedded_view_refused({"QTWEBENGINE_DISABLE_SANDBOX": "1"})
    monkeypatch.setattr(ws.os, "geteuid", lambda: 1000, raising=False)
    assert not ws.embedded_view_refused({})
    monkeypatch.delattr(ws.os, "geteuid", raising=False)  # Windows
    assert not ws.running_as_root() and not ws.embedded_view_refused({})
