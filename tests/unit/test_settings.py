"""settings.json: an admin's defaults for new connections and extra trusted CAs."""

from __future__ import annotations

import json

import pytest
import requests

from o365desk.auth.http import http_session
from o365desk.core import settings, tls
from o365desk.core.connection import DEFAULT_CLIENT_ID


def write(config_dir, data) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data)
    (config_dir / "settings.json").write_text(text, encoding="utf-8")


def test_no_file_gives_microsofts_public_client_and_loopback(config_dir):
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert current.redirect_uri == "http://localhost"
    assert current.extra_ca_certs == () and current.problem == ""


def test_an_admins_own_app_registration(config_dir):
    write(config_dir, {"client_id": "11111111-2222-3333-4444-555555555555",
                       "redirect_uri": "https://login.microsoftonline.com/common/oauth2/nativeclient",
                       "extra_ca_certs": "/etc/proxy-ca.pem"})
    current = settings.load()
    assert current.client_id == "11111111-2222-3333-4444-555555555555"
    assert current.redirect_uri.endswith("/nativeclient")
    assert current.extra_ca_certs == ("/etc/proxy-ca.pem",)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{ nope", "not valid"),
        ("[]", "JSON object"),
        ({"client_id": "not-a-guid"}, "not a GUID"),
        ({"redirect_uri": "ftp://x"}, "can catch a sign-in on"),
        ({"redirect_uri": "http://localhost.evil.example/cb"}, "can catch a sign-in on"),
        ({"redirect_uri": "http://127.0.0.1.evil.example"}, "can catch a sign-in on"),
        ({"redirect_uri": "http://localhost@evil.example"}, "can catch a sign-in on"),
        ({"redirect_uri": "http://localhost:99999"}, "can catch a sign-in on"),
        ({"redirect_uri": "http://localhost/cb?x=1"}, "can catch a sign-in on"),
        ({"redirect_uri": "https://evil.example/common/oauth2/nativeclient"},
         "can catch a sign-in on"),
        ({"redirect_uri": "https://login.microsoftonline.com/common/oauth2/nativeclient#x"},
         "can catch a sign-in on"),
        ({"extra_ca_certs": [1]}, "extra_ca_certs"),
    ],
)
def test_a_bad_file_falls_back_to_defaults_says_why_and_is_kept(config_dir, content, fragment):
    write(config_dir, content)
    before = (config_dir / "settings.json").read_bytes()
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert fragment in current.problem and "settings.json" in current.problem
    assert (config_dir / "settings.json").read_bytes() == before


def test_extra_cas_from_settings_and_the_variable_are_both_in_force(config_dir, monkeypatch,
                                                                     tmp_path):
    write(config_dir, {"extra_ca_certs": [str(tmp_path / "settings-ca.pem")]})
    monkeypatch.setenv(tls.EXTRA_CA_ENV, str(tmp_path / "env-ca.pem"))
    found = tls.configured_ca_files()
    assert [p.name for p, _ in found] == ["env-ca.pem", "settings-ca.pem"]
    assert "O365DESK_EXTRA_CA_CERTS" in found[0][1] and "settings.json" in found[1][1]


def test_https_trusts_a_ca_listed_in_settings(config_dir, monkeypatch, fake_identity):
    monkeypatch.delenv(tls.EXTRA_CA_ENV, raising=False)
    url = fake_identity.authority("organizations") + "/v2.0/.well-known/openid-configuration"
    with pytest.raises(requests.exceptions.SSLError):
        http_session().get(url)
    write(config_dir, {"extra_ca_certs": [str(fake_identity.ca_pem_path)]})
    assert http_session().get(url).status_code == 200


def test_a_file_not_saved_as_utf8_says_how_to_save_it(config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_bytes(
        '{"extra_ca_certs": ["C:/Users/Ren\u00e9/proxy.pem"]}'.encode("cp1252"))
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert "not saved as UTF-8" in current.problem and "Save it as UTF-8" in current.problem


def test_a_folder_in_place_of_the_file_says_what_to_check(config_dir):
    (config_dir / "settings.json").mkdir(parents=True)
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert "could not read" in current.problem and "settings.json" in current.problem
    assert "ask your IT support" in current.problem


@pytest.mark.parametrize("uri", [
    "http://localhost", "http://localhost:8400", "http://127.0.0.1:53100/callback",
    "http://localhost/", "https://login.microsoftonline.us/common/oauth2/nativeclient",
    "https://login.chinacloudapi.cn/common/oauth2/nativeclient",
])
def test_loopback_and_nativeclient_redirect_uris_are_accepted(config_dir, uri):
    write(config_dir, {"redirect_uri": uri})
    current = settings.load()
    assert current.problem == "" and current.redirect_uri == uri


def test_doctor_reports_a_redirect_uri_on_another_host(config_dir, capsys):
    from o365desk.cli.doctor import check_settings

    write(config_dir, {"redirect_uri": "http://localhost.evil.example/cb"})
    assert check_settings() is False
    out = capsys.readouterr().out
    assert out.startswith("[problem] Settings:") and "localhost.evil.example" in out
