"""Nothing from outside reaches the terminal raw: hostile values in connections.json, in
what was typed, and a closed or broken standard output, in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o365desk.core.text import is_unsafe

# An OSC that sets the window title, a screen clear, an 8-bit CSI, a right-to-left
# override and isolate, DEL, a carriage return, a line break and a NUL.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7f\r\n\x00end"

CLEAN_ID = "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a93"
HOSTILE_ID = "a1e5f7c2-0b3d-4c6e-8f9a-1b2c3d4e5f60"


def o365desk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                          timeout=120, env=os.environ.copy())


def raw_controls(data: bytes) -> list[str]:
    """Every character a terminal would obey rather than show (line breaks aside)."""
    text = data.decode("utf-8", errors="surrogateescape")
    return [f"U+{ord(ch):04X}" for ch in text if ch != "\n" and is_unsafe(ch)]


def assert_safe(result: subprocess.CompletedProcess) -> None:
    assert raw_controls(result.stdout) == [], result.stdout
    assert raw_controls(result.stderr) == [], result.stderr
    assert b"Traceback" not in result.stderr, result.stderr


def entry(ident: str, nickname: str) -> dict:
    return {
        "id": ident, "nickname": nickname, "description": "Desc " + HOSTILE,
        "tenant": "contoso.onmicrosoft.com", "cloud": "global",
        "client_id": "14d82eec-204b-4c2f-b7e8-296a70dab67e", "authority": None,
        "kind": "delegated", "scopes": ["User.Read", "Scope" + HOSTILE],
        "account": {"username": "admin" + HOSTILE + "@contoso.onmicrosoft.com",
                    "home_account_id": "uid.utid",
                    "tenant_id": "6e1c3d4b-1f2a-4b5c-8d9e-0a1b2c3d4e5f"},
        "created_at": "2026-11-02T09:30:00Z", "last_used_at": None, "expires_at": None,
    }


@pytest.fixture
def hostile_store(config_dir):
    """A hand-edited connections.json: one clean nickname, one hostile, both with hostile
    descriptions, permissions and account names."""
    config_dir.mkdir(parents=True, exist_ok=True)
    data = {"schema_version": 1,
            "connections": [entry(CLEAN_ID, "Clean"), entry(HOSTILE_ID, "Nick" + HOSTILE)]}
    (config_dir / "connections.json").write_text(json.dumps(data), encoding="utf-8")
    return data


def test_list_and_show_make_control_characters_visible(hostile_store):
    listed = o365desk("list")
    assert listed.returncode == 0, listed.stderr
    assert_safe(listed)
    assert rb"admin\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7f\r\n\x00end@" \
        in listed.stdout

    shown = o365desk("show", "clean")
    assert shown.returncode == 0, shown.stderr
    assert_safe(shown)
    lines = shown.stdout.decode().splitlines()
    description = [line for line in lines if line.startswith("Description:")]
    assert description == [r"Description: Desc \x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"
                           r"\u2066\x7f\r\n\x00end"]
    assert any(line.startswith("Scopes:") and r"Scope\x1b]0;" in line for line in lines)


@pytest.mark.parametrize("args", [("list", "--json"), ("show", "clean", "--json")])
def test_json_output_escapes_them_and_keeps_the_values(hostile_store, args):
    result = o365desk(*args)
    assert result.returncode == 0, result.stderr
    assert_safe(result)
    payload = json.loads(result.stdout)
    connections = payload.get("connections") or [payload["connection"]]
    clean = next(c for c in connections if c["id"] == CLEAN_ID)
    assert clean["description"] == "Desc " + HOSTILE  # the same value, only escaped
    assert clean["account"]["username"] == "admin" + HOSTILE + "@contoso.onmicrosoft.com"


@pytest.mark.parametrize("args", [
    ("edit", "clean", "--remove-scopes", "Mail.Send"),  # names the permissions it has
    ("edit", "clean", "--add-scopes", "Mail.Send"),  # names them all
    ("delete", "clean"),  # no terminal: refused, naming the account
])
def test_messages_naming_a_hostile_connection_show_it_visibly(hostile_store, args):
    result = o365desk(*args)
    assert_safe(result)
    assert b"\\x1b" in result.stdout + result.stderr


@pytest.mark.parametrize("args", [
    ("show", "\x1b[2Jgone"),
    ("show", "a\u202eb"),
    ("add", "ok", "--tenant", "\x1b]0;title\x07"),
    ("add", "ok", "--client-id", "\x9b31m"),
    ("add", "ok", "--authority", "https://login.example.test/\x1b[2J"),
    ("add", "ok", "--graph-endpoint", "https://graph\x1b.example"),
    ("add", "ok", "--cloud", "\x1b[31mred"),
    ("add", "\u202eevil"),
    ("edit", "clean", "--remove-scopes", "Mail\x1b[2J.Send"),
    ("edit", "clean", "--add-scopes", "Mail\x1b.Send"),
    ("rename", "clean", "new\x1b[2J"),
    ("scopes", "--group", "\x1b[2J"),
    ("scopes", "--preset", "\x1b[2J"),
    ("scope", "\x1b[2JUser.Read"),
    ("token", "\x7f\x1b[2J"),
])
def test_errors_quoting_what_was_typed_show_it_visibly(hostile_store, args):
    # Some of these values are refused, some kept as typed (checking them is another
    # matter): either way nothing of them reaches the terminal raw.
    result = o365desk(*args)
    assert result.returncode in (0, 1, 2), result
    assert_safe(result)


_UNSAFE = [chr(c) for c in (*range(1, 0x20), *range(0x7F, 0xA0))] + list(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_TEMPLATES = [
    ("show", "{}"), ("add", "{}"), ("add", "ok", "--tenant", "{}"),
    ("add", "ok", "--client-id", "{}"), ("add", "ok", "--authority", "{}"),
    ("add", "ok", "--graph-endpoint", "{}"), ("add", "ok", "--cloud", "{}"),
    ("add", "ok", "--scopes", "{}"), ("rename", "clean", "{}"), ("rename", "{}", "x"),
    ("edit", "clean", "--add-scopes", "{}"), ("edit", "clean", "--remove-scopes", "{}"),
    ("delete", "{}", "--yes"), ("sign-out", "{}"), ("token", "{}"), ("test", "{}"),
    ("scopes", "--group", "{}"), ("scopes", "--preset", "{}"), ("scope", "{}"),
    ("list", "{}"), ("{}",),
]
_hostile_arg = st.lists(
    st.one_of(st.sampled_from(_UNSAFE),
              st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
                      max_size=6)),
    min_size=1, max_size=8,
).map("".join).filter(lambda s: any(is_unsafe(ch) for ch in s))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(_TEMPLATES), value=_hostile_arg)
def test_fuzzed_arguments_never_reach_the_terminal_raw(hostile_store, template, value):
    args = [value if part == "{}" else part for part in template]
    result = o365desk(*args)
    assert result.returncode in (0, 1, 2), result
    assert_safe(result)


def test_token_with_standard_output_closed_fails_and_says_why(hostile_store):
    # `o365desk token clean >&-`: no descriptor 1 at all.
    result = subprocess.run(["sh", "-c", 'exec "$0" -m o365desk token clean >&-',
                             sys.executable], stderr=subprocess.PIPE, timeout=120,
                            env=os.environ.copy())
    assert result.returncode == 1
    assert b"standard output is closed" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("list",), ("show", "clean"), ("show", "clean", "--json"),
                                  ("--help",), ("list", "--help"), ("scopes",)])
def test_a_reader_that_has_gone_is_no_traceback(hostile_store, args):
    # `o365desk list | head -0`: the pipe's reader is gone before anything is written.
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "o365desk", *args], stdout=write,
                                stderr=subprocess.PIPE, timeout=120, env=os.environ.copy())
    finally:
        os.close(write)
    assert result.returncode == 0
    assert result.stderr == b""


def test_the_delete_question_on_a_terminal_names_the_account_visibly(hostile_store):
    # On a terminal input() writes its question itself, not through sys.stdout.
    import pty
    import select
    import time

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "o365desk", "delete", "clean"],
                               stdin=follower, stdout=follower, stderr=follower,
                               env=os.environ.copy(), close_fds=True)
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"[y/N]" not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 1)[0]:
                try:
                    seen += os.read(leader, 4096)
                except OSError:  # the other end closed
                    break
        assert b"[y/N]" in seen, seen
        os.write(leader, b"n\n")
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    assert raw_controls(seen.replace(b"\r\n", b"\n")) == [], seen
    assert rb"saved sign-in for admin\x1b]0;pwned\x07" in seen


def test_doctor_shows_a_hostile_settings_file_visibly(config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps(
        {"redirect_uri": "http://localhost/" + HOSTILE.replace("\x00", "")}), encoding="utf-8")
    result = o365desk("doctor")
    assert_safe(result)
    assert b"Settings" in result.stdout


def test_a_tenant_files_wording_is_printed_visibly(config_dir, tmp_path):
    from tests.ui.scope_helpers import FIXTURES

    data = json.loads((FIXTURES / "graph-sp-small.json").read_text(encoding="utf-8"))
    scope = next(s for s in data["oauth2PermissionScopes"] if s["value"] == "User.Read")
    scope["adminConsentDisplayName"] = "Title " + HOSTILE
    scope["adminConsentDescription"] = "Wording " + HOSTILE
    hostile = tmp_path / ("graph-sp" + HOSTILE.replace("\x00", "") + ".json")
    hostile.write_text(json.dumps(data), encoding="utf-8")
    for args in (("scopes", "--import-tenant", str(hostile)), ("scope", "User.Read"),
                 ("scope", "User.Read", "--json"), ("scopes", "Wording")):
        result = o365desk(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert_safe(result)
        if args[0] == "scope" or "--import-tenant" in args:  # these quote the file
            assert b"\\x1b]0;pwned" in result.stdout or b"\\u001b]0;pwned" in result.stdout
