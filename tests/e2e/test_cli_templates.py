"""`o365desk export` and `o365desk import` in a process, with good and hostile template files."""

from __future__ import annotations

import copy
import json
import os
import select
import stat
import subprocess
import sys

import pytest

from o365desk.storage.store import ConnectionStore


def o365desk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "o365desk", *args],
        capture_output=True, text=True, input=stdin, timeout=120, env=os.environ.copy(),
    )


GOOD = {
    "format": "o365desk-template", "version": 1,
    "connections": [{
        "nickname": "Payroll", "description": "Payroll team", "kind": "delegated",
        "tenant": "contoso.com", "cloud": "global",
        "client_id": "14d82eec-204b-4c2f-b7e8-296a70dab67e",
        "scopes": ["User.Read", "Mail.Send"], "locked": ["tenant", "scopes"],
    }],
}


def with_first(**changes) -> dict:
    data = copy.deepcopy(GOOD)
    data["connections"][0].update(changes)
    return data


@pytest.fixture
def saved(config_dir):
    """One saved connection, and the connections file's bytes to compare against."""
    assert o365desk("add", "Existing", "--tenant", "fabrikam.com").returncode == 0
    return (config_dir / "connections.json").read_bytes()


def nicknames(config_dir) -> list[str]:
    return [c.nickname for c in ConnectionStore(config_dir / "connections.json").load()]


def test_export_then_import_under_another_nickname(config_dir, tmp_path):
    assert o365desk("add", "Payroll", "--tenant", "contoso.com", "--scopes",
                    "User.Read Mail.Send", "--description", "Payroll team").returncode == 0
    target = tmp_path / "payroll.o365template"
    done = o365desk("export", "Payroll", "-o", str(target), "--lock", "tenant,scopes")
    assert done.returncode == 0, done.stderr
    assert "Wrote 1 connection" in done.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text())
    assert data["format"] == "o365desk-template" and data["version"] == 1
    assert data["connections"][0]["locked"] == ["tenant", "scopes"]
    assert "id" not in data["connections"][0] and "account" not in data["connections"][0]
    # The redirect URI its sign-in uses goes with it: o365desk's setting in force.
    assert data["connections"][0]["redirect_uri"] == "http://localhost"
    (config_dir / "settings.json").write_text('{"redirect_uri": "http://127.0.0.1:8400"}')
    custom = json.loads(o365desk("export", "Payroll", "-o", "-").stdout)
    assert custom["connections"][0]["redirect_uri"] == "http://127.0.0.1:8400"
    (config_dir / "settings.json").unlink()

    again = o365desk("export", "Payroll", "-o", str(target))
    assert again.returncode == 2 and "add --force" in again.stderr
    assert o365desk("export", "Payroll", "-o", str(target), "--force",
                    "--lock", "tenant scopes").returncode == 0
    to_stdout = o365desk("export", "Payroll", "-o", "-", "--lock", "scopes,tenant")
    assert json.loads(to_stdout.stdout) == json.loads(target.read_text())

    folder = o365desk("export", "Payroll", "-o", str(tmp_path), "--force")
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    nowhere = o365desk("export", "Payroll", "-o", str(tmp_path / "no" / "x.o365template"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr

    clash = o365desk("import", str(target), "--yes")
    assert clash.returncode == 1
    assert "Refused \"Payroll\"" in clash.stdout and "already exists" in clash.stdout
    assert "--nickname" in clash.stderr

    made = o365desk("import", str(target), "--yes", "--nickname", "Payroll 2")
    assert made.returncode == 0, made.stderr
    assert 'Will create "Payroll 2"' in made.stdout and "locked by your IT team" in made.stdout
    assert 'o365desk login "Payroll 2"' in made.stdout
    [_, copy_] = ConnectionStore(config_dir / "connections.json").load()
    assert (copy_.nickname, copy_.tenant, copy_.scopes, copy_.account) == \
        ("Payroll 2", "contoso.com", ("User.Read", "Mail.Send"), None)


def test_import_without_yes_and_without_a_terminal_is_refused(saved, config_dir, tmp_path):
    path = tmp_path / "t.o365template"
    path.write_text(json.dumps(GOOD))
    done = o365desk("import", str(path))
    assert done.returncode == 2 and "add --yes" in done.stderr
    assert 'Will create "Payroll"' in done.stdout
    assert (config_dir / "connections.json").read_bytes() == saved


def test_import_asks_on_a_terminal_and_yes_creates(saved, config_dir, tmp_path):
    path = tmp_path / "t.o365template"
    path.write_text(json.dumps(GOOD))
    main, child = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "o365desk", "import", str(path)],
                               stdin=child, stdout=child, stderr=child, env=os.environ.copy())
    os.close(child)
    seen = b""
    try:
        while b"[y/N]" not in seen:
            ready, _, _ = select.select([main], [], [], 60)
            assert ready, f"no question within 60 s: {seen!r}"
            seen += os.read(main, 1024)
        os.write(main, b"y\n")
        assert process.wait(60) == 0
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
    assert b"Create this connection?" in seen
    assert nicknames(config_dir) == ["Existing", "Payroll"]


def test_nickname_is_only_for_a_one_connection_template(saved, config_dir, tmp_path):
    data = copy.deepcopy(GOOD)
    data["connections"].append({**data["connections"][0], "nickname": "Payroll EU"})
    path = tmp_path / "two.o365template"
    path.write_text(json.dumps(data))
    done = o365desk("import", str(path), "--yes", "--nickname", "Mine")
    assert done.returncode == 1 and "only for a template of one connection" in done.stderr
    assert (config_dir / "connections.json").read_bytes() == saved
    both = o365desk("import", str(path), "--yes")
    assert both.returncode == 0 and "Created 2 connections" in both.stdout
    assert nicknames(config_dir) == ["Existing", "Payroll", "Payroll EU"]


HOSTILE = [
    (with_first(nickname="x" * 600_000), "Connection 1, \"nickname\""),
    (with_first(nickname="Pay\u202eroll"), "Connection 1, \"nickname\""),
    (with_first(nickname="Pay\x1b]0;owned\x07roll"), "Connection 1, \"nickname\""),
    (with_first(nickname=7), "Connection 1, \"nickname\""),
    (with_first(description="a\x1b[2Jb"), "Connection 1, \"description\""),
    (with_first(tenant=["contoso.com"]), "Connection 1, \"tenant\""),
    (with_first(tenant="contoso.com\u2066"), "Connection 1, \"tenant\""),
    (with_first(cloud="mars"), "Connection 1, \"cloud\""),
    (with_first(authority="https://login.evil.example/contoso.com"),
     "Connection 1, \"authority\""),
    (with_first(authority="http://login.microsoftonline.com/contoso.com"),
     "Connection 1, \"authority\""),
    (with_first(client_secret="hunter2"), "Connection 1, \"client_secret\""),
    (with_first(scopes="User.Read"), "Connection 1, \"scopes\""),
    ({**GOOD, "connections": GOOD["connections"] * 2}, "Connection 2, \"nickname\""),
    ({**GOOD, "version": 9}, "\"version\""),
    ({**GOOD, "format": "something-else"}, "not an o365desk template"),
]


@pytest.mark.parametrize(("data", "named"), HOSTILE)
def test_a_hostile_template_is_refused_naming_the_field_and_changes_nothing(
        saved, config_dir, tmp_path, data, named):
    path = tmp_path / "hostile.o365template"
    path.write_text(json.dumps(data))
    done = o365desk("import", str(path), "--yes")
    assert done.returncode == 1
    assert named in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and len(done.stderr) < 1000
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert (config_dir / "connections.json").read_bytes() == saved


@pytest.mark.parametrize(("raw", "words"), [
    (b" " * ((1 << 20) + 1), "larger than 1 MB"),
    (b'{"format": "o365desk-template", "version": 1, "connections": '
     + b"[" * 5000 + b"]" * 5000 + b"}", "nests its contents"),
    (b'{"format": "o365desk-template", "ver', "not valid JSON"),
    (b"\xff\xfe\xfd", "not text"),
])
def test_an_oversized_deep_or_malformed_file_is_refused(saved, config_dir, tmp_path, raw,
                                                        words):
    path = tmp_path / "bad.o365template"
    path.write_bytes(raw)
    done = o365desk("import", str(path), "--yes")
    assert done.returncode == 1 and words in done.stderr and "Traceback" not in done.stderr
    assert (config_dir / "connections.json").read_bytes() == saved


def test_a_named_pipe_or_folder_is_refused_without_waiting(saved, config_dir, tmp_path):
    pipe = tmp_path / "pipe.o365template"
    os.mkfifo(pipe)
    done = o365desk("import", str(pipe), "--yes")
    assert done.returncode == 1 and "named pipe" in done.stderr
    folder = o365desk("import", str(tmp_path), "--yes")
    assert folder.returncode == 1 and "a folder" in folder.stderr
    assert (config_dir / "connections.json").read_bytes() == saved


def test_an_app_only_template_says_which_credential_to_add(config_dir, tmp_path):
    thumbprint = "AB" * 20
    data = with_first(kind="app-only", scopes=["User.Read.All"], locked=[],
                      certificate_thumbprints=[thumbprint])
    data["connections"].append({**data["connections"][0], "nickname": "Mail robot"})
    del data["connections"][1]["certificate_thumbprints"]
    path = tmp_path / "apps.o365template"
    path.write_text(json.dumps(data))
    done = o365desk("import", str(path), "--yes")
    assert done.returncode == 0, done.stderr
    assert f"certificate expected: thumbprint {thumbprint}" in done.stdout
    assert 'o365desk credential "Mail robot" --secret-stdin' in done.stdout
    # An app signs in as itself: the last words point to its credential, never to login.
    assert "o365desk login" not in done.stdout
    assert done.stdout.rstrip().endswith(
        "An app-only connection needs its credential before it works: o365desk credential "
        "NICK (--secret-stdin | --certificate FILE)")
    saved = ConnectionStore(config_dir / "connections.json").load()
    assert [(c.kind.value, c.credential) for c in saved] == [("app-only", None)] * 2
    wrong = with_first(kind="app-only", scopes=["User.Read"], locked=[])
    path.write_text(json.dumps(wrong))
    refused = o365desk("import", str(path), "--yes", "--nickname", "Other")
    assert refused.returncode == 1 and "signed-in person only" in refused.stdout
    assert len(ConnectionStore(config_dir / "connections.json").load()) == 2
