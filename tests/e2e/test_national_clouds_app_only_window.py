"""An app-only US Government connection tested in the main window: Ctrl+T on the list, the
real MSAL ConfidentialClientApplication and Graph call, with no authority or Graph override.
login.microsoftonline.us and graph.microsoft.us resolve to the fake identity platform (for
this process, tests.fakes.identity.cloud_hosts), which answers as that cloud: the result
bar says it worked and names the roles, the fake saw only the cloud's own hosts, and the
window's admin-consent link is the .us v2.0 one for https://graph.microsoft.us/.default.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection
from o365desk.usecases.app_only import create_app_only, create_app_only_certificate
from tests.fakes.identity.cloud_hosts import resolving_to_fake
from tests.fakes.identity.tokens import decode_jwt
from tests.ui.helpers import press_test, select

TENANT = "contoso.onmicrosoft.com"
US_LOGIN, US_GRAPH = "login.microsoftonline.us", "graph.microsoft.us"
APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
APP_SECRET = "Fk8Q~app.secret-ONE_zY4xW3vU2tS1rQ0pO9nM8lK7"
ROLES = ("User.Read.All", "Organization.Read.All")


@pytest.fixture
def us_hosts(fake_identity, monkeypatch):
    """The clouds' host names resolve to the fake, whose CA is trusted; nothing else moves."""
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with resolving_to_fake(fake_identity.port):
        yield fake_identity


def _us_app(services, fake, credential: str, tmp_path) -> Connection:
    draft = Connection("Gov daemon", tenant=TENANT, cloud=Cloud.USGOV, client_id=APP_ID,
                       scopes=ROLES)
    if credential == "secret":
        fake.register_app(APP_ID, APP_SECRET, roles=ROLES)
        return create_app_only(services, draft, APP_SECRET)
    from o365desk.auth.credentials import load_certificate
    from tests.e2e.certificates import certificate, key_pem, rsa_key

    key = rsa_key()
    cert = certificate(key)
    fake.register_app_certificate(APP_ID, cert, roles=ROLES)
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = key_pem(key) + cert.public_bytes(Encoding.PEM)
    return create_app_only_certificate(services, draft, load_certificate(pem))


@pytest.mark.parametrize("credential", ["secret", "certificate"])
def test_test_connection_in_the_window_uses_only_the_clouds_own_hosts(
        qtbot, qasync_loop, us_hosts, services, open_window, tmp_path, credential):
    fake = us_hosts
    conn = _us_app(services, fake, credential, tmp_path)
    assert (conn.authority, conn.graph_endpoint) == (None, None)
    window, controller = open_window()
    select(window, controller, "Gov daemon")
    window.table.setFocus()
    press_test(qtbot, window, controller)  # Ctrl+T, as a person does

    text = window.result_bar.text()
    assert text.startswith("Connected to ") and "\u201cGov daemon\u201d" in text, text
    assert text.endswith("Its token carries the application permissions "
                         "Organization.Read.All, User.Read.All."), text  # as sent

    assert {r.host for r in fake.requests} == {US_LOGIN, US_GRAPH}
    (grant,) = fake.requests_to("/oauth2/v2.0/token", "POST")
    assert grant.host == US_LOGIN and grant.path.endswith("/oauth2/v2.0/token")
    assert grant.form["grant_type"] == "client_credentials"
    assert grant.form["scope"] == f"https://{US_GRAPH}/.default"
    assert ("client_assertion" in grant.form) == (credential == "certificate")
    assert fake.assertion_refusals == []
    graph_calls = [r for r in fake.requests if r.host == US_GRAPH]
    assert graph_calls and all(r.path.startswith("/v1.0/") for r in graph_calls)
    for call in graph_calls:  # the .us token only, to the .us Graph
        token = call.header("Authorization").removeprefix("Bearer ").strip()
        assert decode_jwt(token)["aud"] == f"https://{US_GRAPH}"
        assert fake.access_tokens[token].issued_by == f"https://{US_LOGIN}"

    # Ask for admin consent, then Copy link, by keyboard: the .us v2.0 link.
    from o365desk.ui.consent_dialog import ConsentDialog

    window.act_admin_consent.trigger()  # the menu item (no shortcut of its own)
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, ConsentDialog))
    dialog = controller.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # Copy &link
    qtbot.waitUntil(lambda: bool(QGuiApplication.clipboard().text()))
    link = urlsplit(QGuiApplication.clipboard().text())
    assert (link.scheme, link.netloc, link.path) == ("https", US_LOGIN,
                                                     f"/{TENANT}/v2.0/adminconsent")
    query = parse_qs(link.query, strict_parsing=True)
    assert query["client_id"] == [APP_ID]
    assert query["scope"] == [f"https://{US_GRAPH}/.default"]
    assert query["redirect_uri"] == ["http://localhost"] and query["state"][0]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: controller.actions.dialog is None)
    assert {r.host for r in fake.requests} == {US_LOGIN, US_GRAPH}  # copying sent nothing
