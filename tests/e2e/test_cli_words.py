"""The CLI's counts read right for one and for many."""

from __future__ import annotations

from o365desk.core.words import plural
from tests.e2e.test_cli import o365desk


def test_plural_picks_the_form_for_the_count():
    assert plural(1, "1 connection", "{count} connections") == "1 connection"
    assert plural(0, "1 connection", "{count} connections") == "0 connections"
    assert plural(2, "{shown} of 1 shown", "{shown} of {count} shown", shown=1) == "1 of 2 shown"


def test_doctor_counts_one_connection_in_the_singular(config_dir, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert o365desk("add", "Payroll", "--tenant", "contoso.com").returncode == 0
    result = o365desk("doctor")
    assert "(1 connection)" in result.stdout, result.stdout
    assert o365desk("add", "Helpdesk").returncode == 0
    assert "(2 connections)" in o365desk("doctor").stdout
    # No keychain: said by its name, with what to do.
    assert "No keychain was found" in result.stdout + result.stderr
