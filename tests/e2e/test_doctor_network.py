"""`o365desk doctor` checks that the connections' clouds' login and Graph hosts answer,
through the proxy; behind a proxy that re-signs TLS (a real proxy.py intercepting with a
CA of the test's own) it names that CA and says how to add it; with the CA added in the
settings, doctor and a real token request get through."""

from __future__ import annotations

import json

import pytest
import trustme
from cryptography import x509

from o365desk.auth.session import SignInError
from o365desk.cli.doctor import check_network
from o365desk.services import Services
from o365desk.storage.vault import Vault
from o365desk.usecases.app_only import create_app_only
from tests.e2e.proxy_kit import APP_ID, GRAPH, LOGIN, SECRET, app_only_draft
from tests.fakes.memory_keyring import MemoryKeyring


@pytest.fixture
def services(fake_identity, no_proxy_env):
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    vault = Vault(MemoryKeyring())
    made = Services(vault_factory=lambda: vault)
    made.connection = create_app_only(made, app_only_draft(), SECRET)
    return made


@pytest.fixture
def inspection_ca(tmp_path):
    """A CA like a company's TLS-inspecting proxy's: (cert file, key file, its subject)."""
    ca = trustme.CA(organization_name="Contoso Network Security",
                    organization_unit_name="Inspection CA", key_type=trustme.KeyType.RSA)
    cert, key = tmp_path / "inspection-ca.pem", tmp_path / "inspection-ca.key"
    ca.cert_pem.write_to_path(str(cert))
    ca.private_key_pem.write_to_path(str(key))
    subject = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject.rfc4514_string()
    return cert, key, subject


def test_doctor_reaches_the_cloud_hosts_through_the_proxy(
        services, fake_identity, loopback_proxy, monkeypatch, capsys):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    proxy = loopback_proxy()
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    assert check_network(services)
    out = capsys.readouterr().out
    for host in ("login.microsoftonline.us", "graph.microsoft.us"):
        assert (f"[ok] Network: {host} answers over HTTPS through the proxy "
                f"127.0.0.1:{proxy.port}") in out
    assert proxy.wait_for_connect(LOGIN) and proxy.wait_for_connect(GRAPH)


def test_a_dead_proxy_is_a_problem_in_words(services, fake_identity, monkeypatch, capsys):
    import socket

    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    assert not check_network(services)
    out = capsys.readouterr().out
    assert ("[problem] Network: login.microsoftonline.us can't be reached through the proxy "
            f"127.0.0.1:{port}: the proxy refused or didn't answer.") in out
    assert "Traceback" not in out


def test_an_intercepting_proxy_is_named_then_trusted(
        services, fake_identity, loopback_proxy, inspection_ca, monkeypatch, capsys,
        config_dir):
    cert, key, subject = inspection_ca
    proxy = loopback_proxy(intercept=(cert, key), upstream_ca=fake_identity.ca_pem_path)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)

    assert not check_network(services)
    out = capsys.readouterr().out
    assert ("[problem] Network: the secure connection to login.microsoftonline.us through "
            f"the proxy 127.0.0.1:{proxy.port} is re-signed by something on your network"
            ) in out
    assert ("the certificate presented was issued by \"Inspection CA (Contoso Network "
            "Security)\", which o365desk doesn't trust") in out
    assert f"issuer: {subject}" in out
    assert "\"extra_ca_certs\" in " + str(config_dir / "settings.json") in out
    assert "or ask IT to set it in the policy" in out
    with pytest.raises(SignInError) as refused:  # a sign-in fails too, before the CA
        services.session_for(services.connection).acquire_silent()
    assert refused.value.explanation.title == "Secure connection couldn't be checked"

    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps({"extra_ca_certs": [str(cert)]}))
    monkeypatch.delenv("O365DESK_EXTRA_CA_CERTS")  # only the proxy's CA is trusted now
    assert check_network(services), capsys.readouterr().out
    out = capsys.readouterr().out
    assert "[ok] Network: login.microsoftonline.us answers over HTTPS through the proxy" in out
    fresh = Services(vault_factory=services.vault)  # a new session reads the settings
    token = fresh.session_for(fresh.store.find("Daemon")).acquire_silent()
    assert token.access_token
    assert fake_identity.requests_to("/token")


def test_a_proxy_asking_for_a_password_nobody_gave_is_said(
        services, fake_identity, loopback_proxy, monkeypatch, capsys):
    from o365desk.auth import proxy_login

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    proxy = loopback_proxy(basic_auth="ann:Doctor-Proxy-Pass-1")
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    proxy_login.install(proxy_login.LoginSource(None, None))  # no keychain, no terminal
    try:
        assert not check_network(services)
    finally:
        proxy_login.install(None)
    out = capsys.readouterr().out
    assert (f"[problem] Network: login.microsoftonline.us can't be reached through the proxy "
            f"127.0.0.1:{proxy.port}: the proxy asks for a user name and password and none "
            "was accepted. Run doctor on a terminal to be asked") in out
    assert proxy.connects() == []
