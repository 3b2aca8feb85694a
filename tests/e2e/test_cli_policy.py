"""The IT policy as the command line obeys it: real processes, a real policy file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from o365desk.core import policy_sources

CLIENT = "3f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"


@pytest.fixture
def policy_file(tmp_path, monkeypatch):
    """Write a policy.json the processes read (O365DESK_POLICY_FILE: this machine has no
    /etc/o365desk/policy.json, so it is honoured)."""
    assert not policy_sources.LINUX_FILE.exists()
    path = tmp_path / "policy.json"
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(path))

    def write(content) -> str:
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def o365desk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())


def test_add_in_a_cloud_the_policy_does_not_allow_is_refused(policy_file, config_dir):
    policy_file({"allowed_clouds": ["global"]})
    refused = o365desk("add", "China", "--tenant", "contoso.cn", "--cloud", "china")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "o365desk: Your organisation's IT policy allows only the Global cloud, so a "
        "connection in China (21Vianet) can't be created. Ask your IT team if you need it.")
    assert json.loads(o365desk("list", "--json").stdout)["connections"] == []
    allowed = o365desk("add", "Global", "--tenant", "contoso.com", "--cloud", "global")
    assert allowed.returncode == 0, allowed.stderr


def test_organisations_client_id_and_app_only_follow_the_policy(policy_file, config_dir):
    policy_file({"allowed_organisations": ["contoso.com"], "client_id": CLIENT,
                 "allow_app_only": False})
    other = o365desk("add", "Fabrikam", "--tenant", "fabrikam.com")
    assert other.returncode == 1 and "allows connections only to contoso.com" in other.stderr
    anyone = o365desk("add", "Any")
    assert anyone.returncode == 1 and "must be chosen now" in anyone.stderr
    own_id = o365desk("add", "Own", "--tenant", "contoso.com", "--client-id",
                      "14d82eec-204b-4c2f-b7e8-296a70dab67e")
    assert own_id.returncode == 1 and f"sets the client ID to {CLIENT}" in own_id.stderr
    app = subprocess.run(
        [sys.executable, "-m", "o365desk", "add", "App", "--app-only", "--tenant",
         "contoso.com", "--client-id", CLIENT, "--scopes", "User.Read.All", "--secret-stdin"],
        input="s3cr3t-value-for-the-app\n", capture_output=True, text=True, timeout=120,
        env=os.environ.copy())
    assert app.returncode == 1 and "does not allow app-only connections" in app.stderr
    ok = o365desk("add", "Contoso", "--tenant", "contoso.com")
    assert ok.returncode == 0, ok.stderr
    (saved,) = json.loads(o365desk("list", "--json").stdout)["connections"]
    assert saved["client_id"] == CLIENT  # the policy's, with no --client-id


def test_doctor_lists_the_managed_settings_and_unknown_keys(policy_file, config_dir):
    where = policy_file({"allowed_clouds": ["global", "usgov"], "embedded_sign_in": False,
                         "client_id": CLIENT, "colour": "blue"})
    assert o365desk("add", "Old China", "--tenant", "contoso.cn", "--cloud",
                    "china").returncode == 1
    doctor = o365desk("doctor")
    out = doctor.stdout
    assert f"[ok] IT policy: {where} manages 3 settings" in out
    assert f"allowed_clouds = global, usgov (from {where})" in out
    assert f"client_id = {CLIENT} (from {where})" in out
    assert f"embedded_sign_in = no (from {where})" in out
    assert "keys o365desk does not know, which it ignores: colour" in out
    assert f"client ID {CLIENT} (set by the IT policy)" in out


def test_doctor_warns_of_a_saved_connection_the_policy_no_longer_allows(policy_file,
                                                                       config_dir):
    policy_file({})
    assert o365desk("add", "China", "--tenant", "contoso.cn", "--cloud",
                    "china").returncode == 0
    policy_file({"allowed_clouds": ["global"]})
    out = o365desk("doctor").stdout
    assert ('[warning] Connection: "China" still works, but the IT policy would not let it '
            "be created now: Your organisation's IT policy allows only the Global cloud") in out
    listed = o365desk("list")
    assert listed.returncode == 0 and "China" in listed.stdout


def test_a_damaged_policy_lets_everything_open_but_refuses_add(policy_file, config_dir):
    policy_file({})
    assert o365desk("add", "Before", "--tenant", "contoso.com").returncode == 0
    where = policy_file({"allowed_clouds": "mars"})
    listed = o365desk("list")
    assert listed.returncode == 0 and "Before" in listed.stdout
    assert o365desk("show", "Before").returncode == 0
    refused = o365desk("add", "After", "--tenant", "contoso.com")
    assert refused.returncode == 1
    message = refused.stderr
    assert message.startswith(f"o365desk: The IT policy {where} can't be used. Its key "
                              "\"allowed_clouds\" lists \"mars\", which is "
                              "not a cloud o365desk knows")
    assert "no new connection can be created" in message
    assert "Ask your IT team to correct the policy." in message
    doctor = o365desk("doctor")
    assert doctor.returncode == 1
    assert f"[problem] IT policy: The IT policy {where} can't be used" in doctor.stdout
    assert "IT policy" in doctor.stderr


def test_a_policy_file_that_is_not_json_is_reported_the_same_way(policy_file, config_dir):
    where = policy_file("{ this is not json")
    refused = o365desk("add", "After", "--tenant", "contoso.com")
    assert refused.returncode == 1
    assert f"The IT policy {where} can't be used. It can't be read because it is not " \
           "valid JSON" in refused.stderr


def test_a_template_follows_the_policy_like_any_new_connection(policy_file, config_dir,
                                                                tmp_path):
    """Import is a way of creating connections: the policy refuses what it refuses `add`,
    and a damaged policy refuses every entry, naming what IT must fix."""
    template = tmp_path / "team.o365template"
    template.write_text(json.dumps({
        "format": "o365desk-template", "version": 1, "connections": [
            {"nickname": "Payroll", "kind": "delegated", "tenant": "contoso.com",
             "cloud": "global", "client_id": CLIENT, "scopes": ["User.Read"]},
            {"nickname": "China", "kind": "delegated", "tenant": "contoso.cn",
             "cloud": "china", "client_id": CLIENT, "scopes": ["User.Read"]}]}))
    policy_file({"allowed_clouds": ["global"]})
    done = o365desk("import", str(template), "--yes")
    assert done.returncode == 0, done.stderr
    assert "allows only the Global cloud" in done.stdout + done.stderr
    assert [c["nickname"] for c in json.loads(o365desk("list", "--json").stdout)
            ["connections"]] == ["Payroll"]

    policy_file({"allowed_clouds": ["mars"]})
    (config_dir / "connections.json").unlink()
    refused = o365desk("import", str(template), "--yes")
    assert refused.returncode == 1
    assert "can't be used" in refused.stdout + refused.stderr
    assert json.loads(o365desk("list", "--json").stdout)["connections"] == []
