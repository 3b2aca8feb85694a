"""The machine-wide policy: each key read and checked, each bad value refused naming it."""

from __future__ import annotations

import json
import os
import plistlib

import pytest

from o365desk.core import effective_settings, policy, policy_sources
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_CLIENT_ID, Connection, Kind

CLIENT = "3f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"
TENANT_ID = "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"

FULL = {
    "allowed_clouds": ["global", "USGov"],
    "allowed_organisations": ["contoso.com", TENANT_ID.upper()],
    "client_id": CLIENT.upper(),
    "redirect_uri": "http://localhost:8400",
    "extra_ca_certs": ["/etc/ssl/company-ca.pem"],
    "embedded_sign_in": False,
    "templates": "https://intranet.contoso.com/o365desk/templates",
    "allow_app_only": False,
    "keep_alive_days": 30,
}


def write(tmp_path, doc, name="policy.json"):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def read(tmp_path, doc) -> policy.Policy:
    return policy.load(policy_sources.JsonFileSource(write(tmp_path, doc)))


def test_every_key_is_read_and_put_in_its_stored_form(tmp_path):
    found = read(tmp_path, FULL)
    assert not found.damaged and found.problem == ""
    assert found.where == str(tmp_path / "policy.json")
    assert found.values == {
        "allowed_clouds": (Cloud.GLOBAL, Cloud.USGOV),
        "allowed_organisations": ("contoso.com", TENANT_ID),
        "client_id": CLIENT,
        "redirect_uri": "http://localhost:8400",
        "extra_ca_certs": ("/etc/ssl/company-ca.pem",),
        "embedded_sign_in": False,
        "templates": "https://intranet.contoso.com/o365desk/templates",
        "allow_app_only": False,
        "keep_alive_days": 30,
    }


def test_no_policy_file_is_no_policy(tmp_path):
    found = policy.load(policy_sources.JsonFileSource(tmp_path / "absent.json"))
    assert not found.present and not found.damaged and found.values == {}


def test_unknown_keys_are_a_note_not_a_failure(tmp_path):
    found = read(tmp_path, {"client_id": CLIENT, "colour": "blue", "\x1b[2Jx": 1})
    assert not found.damaged
    assert found.values == {"client_id": CLIENT}
    assert found.unknown == ("colour", "\\x1b[2Jx")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("allowed_clouds", "mars", "\"mars\", which is not a cloud o365desk knows"),
    ("allowed_clouds", [], "lists no cloud names"),
    ("allowed_clouds", {"a": 1}, "must be a list of cloud names"),
    ("allowed_clouds", [1], "must be a list of cloud names"),
    ("allowed_organisations", ["organizations"], "\"organizations\", which is not"),
    ("allowed_organisations", ["not a domain"], "\"not a domain\", which is not"),
    ("allowed_organisations", 5, "must be a list of domains or tenant IDs"),
    ("client_id", "abc", "\"abc\", which is not a client ID"),
    ("client_id", 12, "must be text"),
    ("redirect_uri", "https://evil.example/cb", "not a redirect URI"),
    ("redirect_uri", True, "must be text"),
    ("extra_ca_certs", [3], "must be a list of PEM file paths"),
    ("embedded_sign_in", "no", "is \"no\", but must be true or false"),
    ("embedded_sign_in", 0, "is 0, but must be true or false"),
    ("allow_app_only", None, "is null, but must be true or false"),
    ("templates", "http://intranet/templates", "must start with https://"),
    ("templates", "templates", "a folder must be a full path"),
    ("templates", 7, "must be text"),
    ("keep_alive_days", 90, "between 0 (off) and 89"),
    ("keep_alive_days", -1, "between 0 (off) and 89"),
    ("keep_alive_days", True, "must be a whole number"),
    ("keep_alive_days", "30", "must be a whole number"),
])
def test_a_bad_value_damages_the_policy_naming_file_key_and_fault(tmp_path, key, value, words):
    found = read(tmp_path, {key: value, "client_id" if key != "client_id" else "templates":
                            CLIENT if key != "client_id" else "/srv/t"})
    assert found.damaged
    assert key not in found.values
    message = found.problem
    assert str(tmp_path / "policy.json") in message
    assert f"\"{key}\"" in message
    assert words in message
    assert "no new connection can be created" in message
    assert "saved connections work as before" in message


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "it is not valid JSON"),
    ("[1, 2]", "should hold one object"),
    ("[" * 200 + "]" * 200, "far deeper"),
    (b"\xff\xfe\x00bad", "not saved as UTF-8"),
])
def test_a_file_that_is_not_a_policy_damages_it(tmp_path, content, words):
    path = tmp_path / "policy.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    found = policy.load(policy_sources.JsonFileSource(path))
    assert found.damaged and words in found.problem and str(path) in found.problem


def test_an_oversized_file_is_refused_unread(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text('{"templates": "' + "a" * (1 << 20) + '"}')
    found = policy.load(policy_sources.JsonFileSource(path))
    assert found.damaged and "larger than 1 MB" in found.problem


def test_a_folder_or_a_pipe_is_refused_without_waiting(tmp_path):
    folder = tmp_path / "policy.json"
    folder.mkdir()
    assert "a folder rather than a file" in policy.load(
        policy_sources.JsonFileSource(folder)).problem
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    assert "a named pipe rather than a file" in policy.load(
        policy_sources.JsonFileSource(pipe)).problem


def test_the_env_file_is_read_only_when_the_machine_has_no_policy(tmp_path, monkeypatch):
    env_file = write(tmp_path, {"allowed_clouds": ["china"]}, "env.json")
    machine = write(tmp_path, {"allowed_clouds": ["global"]}, "machine.json")
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(env_file))
    monkeypatch.setattr(policy_sources, "LINUX_FILE", tmp_path / "no-machine-policy.json")
    assert policy.load().values["allowed_clouds"] == (Cloud.CHINA,)
    monkeypatch.setattr(policy_sources, "LINUX_FILE", machine)
    found = policy.load()
    assert found.where == str(machine) and found.values["allowed_clouds"] == (Cloud.GLOBAL,)


def test_a_damaged_machine_policy_is_not_replaced_by_the_env_file(tmp_path, monkeypatch):
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(write(tmp_path, {}, "env.json")))
    monkeypatch.setattr(policy_sources, "LINUX_FILE", write(tmp_path, "{", "machine.json"))
    assert policy.load().damaged


# --- Windows: the registry's values mapped to the same keys ---------------------------------

def test_registry_values_map_to_the_policy_keys():
    values = [
        ("AllowedClouds", ["global", "usgov", ""], policy_sources.REG_MULTI_SZ),
        ("allowed_organisations", "contoso.com", policy_sources.REG_SZ),
        ("client_id", CLIENT, policy_sources.REG_SZ),
        ("EmbeddedSignIn", 0, policy_sources.REG_DWORD),
        ("allow_app_only", 1, policy_sources.REG_DWORD),
        ("keep_alive_days", 14, policy_sources.REG_DWORD),
        ("extra_ca_certs", ["C:\\ca\\one.pem", "C:\\ca\\two.pem"], policy_sources.REG_MULTI_SZ),
    ]
    source = policy_sources.RegistrySource(lambda: values)
    assert source.where == r"HKEY_LOCAL_MACHINE\Software\Policies\o365desk"
    found = policy.load(source)
    assert not found.damaged, found.problem
    mapped = policy_sources.registry_mapping(values)
    assert mapped["allowed_clouds"] == ["global", "usgov"]
    assert found.values["allowed_clouds"] == (Cloud.GLOBAL, Cloud.USGOV)
    assert mapped["allowed_organisations"] == ["contoso.com"]
    assert mapped["embedded_sign_in"] is False and mapped["allow_app_only"] is True
    assert mapped["keep_alive_days"] == 14
    assert found.values["allowed_organisations"] == ("contoso.com",)
    assert found.values["embedded_sign_in"] is False
    assert found.values["extra_ca_certs"] == ("C:\\ca\\one.pem", "C:\\ca\\two.pem")


def test_a_registry_dword_other_than_0_or_1_for_a_switch_is_a_bad_value():
    found = policy.load(policy_sources.RegistrySource(
        lambda: [("embedded_sign_in", 2, policy_sources.REG_DWORD)]))
    assert found.damaged and "is 2, but must be true or false" in found.problem
    assert r"HKEY_LOCAL_MACHINE\Software\Policies\o365desk" in found.problem


def test_a_registry_value_of_another_type_damages_the_policy():
    found = policy.load(policy_sources.RegistrySource(
        lambda: [("client_id", b"\x00", 3)]))
    assert found.damaged and "'client_id' is of a registry type" in found.problem


def test_no_registry_key_is_no_policy():
    assert not policy.load(policy_sources.RegistrySource(lambda: None)).present


# --- macOS: managed preferences -------------------------------------------------------------

def test_a_managed_preferences_plist_is_read(tmp_path):
    path = tmp_path / "io.github.o365desk.plist"
    path.write_bytes(plistlib.dumps(FULL))
    found = policy.load(policy_sources.PlistSource(path))
    assert not found.damaged and found.values == read(tmp_path, FULL).values
    path.write_bytes(plistlib.dumps(FULL, fmt=plistlib.FMT_BINARY))
    assert policy.load(policy_sources.PlistSource(path)).values["keep_alive_days"] == 30


def test_a_damaged_plist_damages_the_policy(tmp_path):
    path = tmp_path / "io.github.o365desk.plist"
    path.write_bytes(b"<?xml version='1.0'?><plist><dict><key>x</key>")
    found = policy.load(policy_sources.PlistSource(path))
    assert found.damaged and "not a valid property list" in found.problem
    path.write_bytes(plistlib.dumps(["a"]))
    assert "should hold one object" in policy.load(policy_sources.PlistSource(path)).problem


def test_a_plist_nested_too_deep_damages_the_policy(tmp_path):
    path = tmp_path / "io.github.o365desk.plist"
    doc: object = "x"
    for _ in range(100):  # deeper than safe_read.MAX_DEPTH, shallow enough for plistlib
        doc = [doc]
    path.write_bytes(plistlib.dumps({"templates": doc}))
    found = policy.load(policy_sources.PlistSource(path))
    assert found.damaged and "far deeper than a policy ever does" in found.problem


# --- what it refuses ------------------------------------------------------------------------

def conn(**fields) -> Connection:
    return Connection(**{"nickname": "Work", "tenant": "contoso.com", **fields})


def test_refusals_name_the_policy_and_say_to_ask_it(tmp_path):
    found = read(tmp_path, FULL)
    assert found.refusal(conn(client_id=CLIENT)) == ""
    assert found.refusal(conn(client_id=CLIENT, tenant=TENANT_ID)) == ""
    china = found.refusal(conn(client_id=CLIENT, cloud=Cloud.CHINA))
    assert china.startswith("Your organisation's IT policy allows only the Global cloud "
                            "and the US Government (GCC High) cloud")
    assert "Ask your IT team" in china
    other = found.refusal(conn(client_id=CLIENT, tenant="fabrikam.com"))
    assert "allows connections only to contoso.com, " + TENANT_ID in other
    assert "fabrikam.com can't be created" in other
    assert "must be chosen now" in found.refusal(conn(client_id=CLIENT, tenant="organizations"))
    assert "sets the client ID to " + CLIENT in found.refusal(conn())
    app = found.refusal(conn(kind=Kind.APP_ONLY, client_id=DEFAULT_CLIENT_ID))
    assert "does not allow app-only connections" in app
    with pytest.raises(policy.PolicyRefused):
        found.check(conn())


def test_a_damaged_policy_refuses_every_new_connection(tmp_path):
    found = read(tmp_path, {"allowed_clouds": "mars"})
    assert found.refusal(conn()) == found.problem != ""


def test_no_policy_refuses_nothing():
    assert policy.Policy().refusal(conn(cloud=Cloud.CHINA, kind=Kind.APP_ONLY)) == ""


# --- effective settings: policy over settings.json over defaults ----------------------------

def test_effective_settings_say_where_each_value_comes_from(tmp_path, config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps({
        "client_id": "5f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192",
        "redirect_uri": "http://127.0.0.1", "extra_ca_certs": ["/home/a/ca.pem"]}))
    found = effective_settings.load(read(tmp_path, {"client_id": CLIENT,
                                                    "embedded_sign_in": False}))
    origin = effective_settings.Origin
    assert (found["client_id"].value, found["client_id"].origin) == (CLIENT, origin.POLICY)
    assert found["client_id"].where == str(tmp_path / "policy.json")
    assert (found.redirect_uri, found["redirect_uri"].origin) == ("http://127.0.0.1", origin.USER)
    assert found["redirect_uri"].where == str(config_dir / "settings.json")
    assert found.extra_ca_certs == ("/home/a/ca.pem",)
    assert found.embedded_sign_in is False
    assert (found["allow_app_only"].value, found["allow_app_only"].origin) == (True, origin.DEFAULT)
    assert [s.key for s in found.managed()] == ["client_id", "embedded_sign_in"]


def test_without_policy_or_settings_everything_is_a_default():
    found = effective_settings.load(policy.Policy())
    assert found.managed() == []
    assert found.client_id == DEFAULT_CLIENT_ID and found.embedded_sign_in is True
    assert {s.origin for s in found.settings.values()} == {effective_settings.Origin.DEFAULT}


def test_the_policy_s_ca_files_replace_settings_json_s_in_the_trusted_cas(
        tmp_path, config_dir, monkeypatch):
    from o365desk.core import tls

    monkeypatch.delenv(tls.EXTRA_CA_ENV, raising=False)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps({"extra_ca_certs": "/home/a/ca.pem"}))
    assert [str(p) for p, _ in tls.configured_ca_files()] == ["/home/a/ca.pem"]
    where = write(tmp_path, {"extra_ca_certs": ["/etc/ssl/company.pem"]})
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(where))
    monkeypatch.setattr(policy_sources, "LINUX_FILE", tmp_path / "none.json")
    assert [(str(p), origin) for p, origin in tls.configured_ca_files()] == [
        ("/etc/ssl/company.pem", f"listed in the IT policy {where}")]


def test_the_cli_s_default_client_id_is_the_policy_s(tmp_path, monkeypatch):
    from o365desk.cli.client_ids import client_id_or_default

    assert client_id_or_default(None) == DEFAULT_CLIENT_ID
    monkeypatch.setenv(policy_sources.POLICY_ENV,
                       str(write(tmp_path, {"client_id": CLIENT.upper()})))
    monkeypatch.setattr(policy_sources, "LINUX_FILE", tmp_path / "none.json")
    assert client_id_or_default(None) == CLIENT
    assert client_id_or_default(DEFAULT_CLIENT_ID) == DEFAULT_CLIENT_ID  # refused on create
