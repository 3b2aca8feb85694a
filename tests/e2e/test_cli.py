"""The CLI as scripts use it: real processes, real config files, documented exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from o365desk.core.connection import Account
from o365desk.storage.store import ConnectionStore


def o365desk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "o365desk", *args],
        capture_output=True, text=True, input=stdin, timeout=120, env=os.environ.copy(),
    )


def test_add_list_show_rename_delete(config_dir):
    added = o365desk("add", "Contoso prod", "--tenant", "Contoso.onmicrosoft.com",
                     "--cloud", "usgov", "--scopes", "User.Read.All Group.Read.All User.Read.All",
                     "--description", "Main tenant")
    assert added.returncode == 0, added.stderr
    assert "Contoso prod" in added.stdout

    listed = o365desk("list")
    assert "Contoso prod" in listed.stdout and "contoso.onmicrosoft.com" in listed.stdout

    shown = json.loads(o365desk("show", "CONTOSO PROD", "--json").stdout)
    assert shown["version"] == 1
    connection = shown["connection"]
    assert connection["nickname"] == "Contoso prod"
    assert connection["tenant"] == "contoso.onmicrosoft.com"
    assert connection["cloud"] == "usgov"
    assert connection["scopes"] == ["User.Read.All", "Group.Read.All"]
    assert connection["effective_authority"] == "https://login.microsoftonline.us/contoso.onmicrosoft.com"
    assert connection["graph_endpoint"] is None  # no override: the cloud's own
    assert connection["effective_graph_endpoint"] == "https://graph.microsoft.us"
    assert connection["status"] == "not signed in"
    assert connection["account"] is None
    uuid.UUID(connection["id"])

    assert o365desk("rename", "contoso prod", "Contoso").returncode == 0
    assert o365desk("delete", "Contoso", "--yes").returncode == 0
    assert json.loads(o365desk("list", "--json").stdout) == {"version": 1, "connections": []}


def test_list_json_fields_are_the_documented_ones(config_dir):
    o365desk("add", "A", "--authority", "https://login.example.test/tenant-a")
    (entry,) = json.loads(o365desk("list", "--json").stdout)["connections"]
    assert set(entry) == {
        "id", "nickname", "description", "tenant", "cloud", "client_id", "authority",
        "effective_authority", "effective_graph_endpoint", "kind", "scopes", "account",
        "status", "created_at", "last_used_at", "expires_at", "graph_endpoint",
        "approved_scopes", "credential", "admin_consent_url",
        "last_refreshed_at", "refresh_failure",  # token health, stored
        "access_token_expires_at", "refresh_lapses_at", "needs_attention", "reason",
        "action",  # token health, worked out (core/health.py)
    }
    assert entry["needs_attention"] is True and entry["last_refreshed_at"] is None
    assert entry["credential"] is None  # a delegated connection has no app credential
    assert entry["admin_consent_url"].startswith(
        "https://login.example.test/tenant-a/v2.0/adminconsent?client_id=")
    assert "redirect_uri=http%3A%2F%2Flocalhost&" in entry["admin_consent_url"]
    assert f"state={entry['id']}" in entry["admin_consent_url"]
    assert entry["effective_authority"] == "https://login.example.test/tenant-a"
    assert entry["effective_graph_endpoint"] == "https://graph.microsoft.com"
    assert entry["created_at"].endswith("Z")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("add", "   "), "can't be empty"),
        (("add", "x" * 65), "at most 64"),
        (("add", "ok", "--tenant", "not a tenant!"), "organisation"),
        (("add", "ok", "--client-id", "nope"), "client ID"),
        (("add", "ok", "--authority", "http://insecure/t"), "https://"),
        (("show", "missing"), "missing"),
        (("rename", "missing", "x"), "missing"),
        (("delete", "missing", "--yes"), "missing"),
    ],
)
def test_errors_exit_1_with_one_line(config_dir, args, fragment):
    result = o365desk(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("o365desk: ")
    assert fragment in lines[0]


def test_duplicate_nickname_ignoring_case_is_refused(config_dir):
    assert o365desk("add", "Fabrikam").returncode == 0
    result = o365desk("add", "FABRIKAM")
    assert result.returncode == 1 and "already exists" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("bogus",), ("add",), ("list", "--nope"), ("add", "x", "--cloud", "mars"), ("rename", "a")],
)
def test_wrong_usage_exits_2(args):
    assert o365desk(*args).returncode == 2


def test_delete_without_yes_and_without_a_terminal_is_refused(config_dir):
    o365desk("add", "Keep me")
    result = o365desk("delete", "Keep me", stdin="")
    assert result.returncode == 2 and "--yes" in result.stderr
    assert "Keep me" in o365desk("list").stdout


def test_version():
    result = o365desk("--version")
    assert result.returncode == 0 and result.stdout.startswith("o365desk ")


def test_corrupt_config_is_kept_and_reported(config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "connections.json").write_text("{ not json")
    result = o365desk("list")
    assert result.returncode == 0
    kept = [p for p in config_dir.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{ not json"
    assert str(kept[0]) in result.stderr


def test_smoke_paints_and_exits(config_dir):
    o365desk("add", "Smoke")
    result = o365desk("--smoke")
    assert result.returncode == 0, result.stderr
    ms = int(result.stderr.split("first paint: ")[1].split(" ms")[0])
    assert ms > 0


@pytest.mark.secret_service
def test_delete_removes_keychain_entries(config_dir, secret_service_vault):
    o365desk("add", "Signed")
    store = ConnectionStore(config_dir / "connections.json")
    store.load()
    connection = store.find("Signed")
    store.update(connection.replace(account=Account("a@b.example", "uid.tid", "tid")))
    secret_service_vault.set(connection.id, "msal-cache", "t" * 9000)

    result = o365desk("delete", "Signed", "--yes")
    assert result.returncode == 0, result.stderr
    assert "a@b.example" in result.stdout
    assert secret_service_vault.get(connection.id, "msal-cache") is None


@pytest.mark.secret_service
def test_doctor_reports_a_working_set_up(secret_service_vault, fake_identity, monkeypatch):
    # The global cloud's hosts resolve to the fake (trusted): doctor checks they answer.
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    result = subprocess.run(
        [sys.executable, "-m", "tests.fakes.identity.cloud_hosts", str(fake_identity.port),
         "doctor"], capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ok] Network: login.microsoftonline.com answers over HTTPS" in result.stdout
    assert "[ok] Network: graph.microsoft.com answers over HTTPS" in result.stdout
    assert "[ok] Keychain:" in result.stdout and "write, read and delete work" in result.stdout
    assert "[ok] QtWebEngine: a test page loaded and ran in" in result.stdout
    assert "[ok] TLS:" in result.stdout


def test_doctor_without_a_keychain_says_so(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    result = o365desk("doctor")
    assert result.returncode == 1
    assert "[problem] Keychain:" in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "keychain" in result.stderr


def test_a_config_folder_that_cannot_be_written_is_one_plain_line(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("O365DESK_CONFIG_DIR", str(blocker))
    result = o365desk("add", "Contoso")
    assert result.returncode == 1
    # A note says what went wrong on opening, then one line says why nothing was saved.
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("o365desk: ") for line in lines)
    assert "could not" in lines[-1] and "Traceback" not in result.stderr


# --- odd consoles, odd answers, odd files ---------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def test_a_console_that_cant_show_the_nickname_still_works(config_dir):
    env = _env(PYTHONIOENCODING="cp1252")  # a Windows pipe or file
    run = lambda *a: subprocess.run([sys.executable, "-m", "o365desk", *a],  # noqa: E731
                                    capture_output=True, timeout=120, env=env)
    added = run("add", "\u6771\u4eac office")
    assert added.returncode == 0, added.stderr
    listed = run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.decode("cp1252"))["connections"][0]["nickname"] == \
        "\u6771\u4eac office"
    text = run("list")
    assert text.returncode == 0 and b"\\u6771\\u4eac office" in text.stdout


def test_ctrl_d_at_the_delete_question_deletes_nothing(config_dir):
    import select

    assert o365desk("add", "Keep me").returncode == 0
    main, child = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "o365desk", "delete", "Keep me"],
                               stdin=child, stdout=child, stderr=child, env=os.environ.copy())
    os.close(child)
    seen = b""
    try:
        while b"[y/N]" not in seen:
            ready, _, _ = select.select([main], [], [], 30)
            assert ready, f"no question within 30 s: {seen!r}"
            seen += os.read(main, 1024)
        os.write(main, b"\x04")  # Ctrl+D
        assert process.wait(30) == 0
        while select.select([main], [], [], 0.5)[0]:
            try:
                seen += os.read(main, 1024)
            except OSError:
                break
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
    assert b"Nothing was deleted." in seen and b"Traceback" not in seen
    assert [c.nickname for c in ConnectionStore(config_dir / "connections.json").load()] == \
        ["Keep me"]


def test_dates_at_the_ends_of_the_calendar_are_shown(config_dir):
    store = ConnectionStore(config_dir / "connections.json")
    from datetime import UTC, datetime

    from o365desk.core.connection import Connection

    store.add(Connection(nickname="Old", created_at=datetime(1, 1, 1, tzinfo=UTC),
                         last_used_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)))
    shown = subprocess.run([sys.executable, "-m", "o365desk", "show", "Old"],
                           capture_output=True, text=True, timeout=120,
                           env=_env(TZ="XST5"))  # five hours behind UTC, no tz data needed
    assert shown.returncode == 0, shown.stderr
    assert "Created:     0001-01-01 00:00 UTC" in shown.stdout
    assert "Last used:   9999-12-31 18:59" in shown.stdout


def test_a_damaged_file_is_reported_once_in_plain_words(config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "connections.json").write_text("{ damaged", encoding="utf-8")
    listed = o365desk("list")
    assert listed.returncode == 0
    lines = listed.stderr.splitlines()
    assert lines and all(line.startswith("o365desk: ") for line in lines), lines


def test_output_cut_short_by_the_reader_is_not_an_error(config_dir):
    process = subprocess.Popen([sys.executable, "-m", "o365desk", "scopes", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=os.environ.copy())
    assert process.stdout.readline().strip() == b"{"  # `| head -1`
    process.stdout.close()
    assert process.wait(60) == 0
    assert process.stderr.read() == b""


def test_a_damaged_tenant_cache_is_noted_and_the_built_in_catalog_used(config_dir):
    cache = config_dir / "data" / "tenant-catalog.json"
    cache.parent.mkdir(parents=True)
    cache.write_text('{"format": 1, "imported_at": 5, "source_name": "x", "scopes": [], '
                     '"roles": []}', encoding="utf-8")
    found = o365desk("scopes", "mail", "send")
    assert found.returncode == 0, found.stderr
    assert "Mail.Send" in found.stdout
    assert found.stderr.startswith("o365desk: note: The cached tenant catalog")
    assert "Traceback" not in found.stderr


def test_edit_says_when_nothing_changed_and_names_permissions_as_typed(config_dir):
    assert o365desk("add", "Payroll", "--tenant", "contoso.com",
                    "--scopes", "User.Read,Mail.Send").returncode == 0
    again = o365desk("edit", "Payroll", "--add-scopes", "mail.send")
    assert again.returncode == 0, again.stderr
    assert again.stdout == 'Nothing changed: "Payroll" already asks for User.Read Mail.Send.\n'
    same = o365desk("edit", "Payroll", "--description", "")
    assert same.stdout == 'Nothing changed: "Payroll" already has that description.\n'
    added = o365desk("edit", "Payroll", "--description", "Payslips", "--add-scopes", "Mail.Send")
    assert added.stdout == 'Changed "Payroll" (description).\n'
    wrong = o365desk("edit", "Payroll", "--remove-scopes", "Files.Read, mail.send Files.Read")
    assert wrong.returncode == 1
    assert wrong.stderr == (
        "o365desk: The connection does not ask for Files.Read, so there is nothing to remove. "
        "Its permissions are: User.Read Mail.Send.\n")
    assert json.loads(o365desk("show", "Payroll", "--json").stdout)["connection"][
        "scopes"] == ["User.Read", "Mail.Send"]


def test_testing_a_connection_nobody_signed_in_with_says_what_to_run(config_dir):
    added = o365desk("add", "Payroll", "--tenant", "contoso.com")
    assert added.stdout == (
        'Saved "Payroll": it signs in to contoso.com, asking for User.Read. It is not signed '
        'in yet; to sign in, run: o365desk login "Payroll"\n')
    result = o365desk("test", "Payroll")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        'o365desk: "Payroll" didn\'t work. Not signed in yet. Nobody has signed in with this '
        "connection yet, so there is nothing to test. Sign in first. Run: "
        'o365desk login "Payroll"\n')
