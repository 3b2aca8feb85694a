"""The embedded sign-in view with the real QtWebEngine page against the fake over HTTPS."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from o365desk.auth.redact import forget_registered_secrets, redact
from o365desk.ui.signin.login_view import LoginView
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.webengine_helpers import (
    click,
    fill_sign_in,
    js_value,
    kill_page_process,
    wait_for_element,
)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture
def login_view(qtbot):
    view = LoginView()
    qtbot.addWidget(view)
    view.resize(800, 700)
    view.show()
    yield view
    view.shutdown()


@pytest.fixture
def trusted(monkeypatch, fake_identity):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    return fake_identity


def _flow(fake_msal_app, redirect_uri: str) -> dict:
    app = fake_msal_app()
    return app.initiate_auth_code_flow(["User.Read"], redirect_uri=redirect_uri)


def _record(view) -> dict:
    seen: dict = {"redirected": [], "failed": [], "finished": 0}
    view.redirected.connect(seen["redirected"].append)
    view.failed.connect(lambda kind, detail: seen["failed"].append((kind, detail)))

    def finished() -> None:
        seen["finished"] += 1

    view.finished.connect(finished)
    return seen


def test_sign_in_redirect_is_caught_before_any_request_leaves(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    forget_registered_secrets()
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    profile_dir = login_view._profile.directory
    assert profile_dir.is_dir()
    fill_sign_in(qtbot, login_view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    click(qtbot, login_view, "accept")
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=15000)

    assert seen["failed"] == []
    [url] = seen["redirected"]
    params = parse_qs(urlsplit(url).query)
    assert params["code"][0].startswith("FAKE-CODE.")
    assert params["state"] == [flow["state"]]
    assert url.startswith(fake_redirect_listener.uri)
    # The code is masked in any log line from the moment the view caught it.
    assert params["code"][0] not in redact(f"caught {params['code'][0]} somewhere")
    # The code never left: nothing reached the redirect port.
    qtbot.wait(300)
    assert fake_redirect_listener.count == 0
    # The page, its profile and the profile's folder (cookies with it) are gone.
    qtbot.waitUntil(lambda: login_view.page is None and not profile_dir.exists(),
                    timeout=10000)
    assert not login_view.running
    # The code is good: MSAL redeems it.
    result = fake_msal_app().acquire_token_by_auth_code_flow(
        flow, {k: v[0] for k, v in params.items()}
    )
    assert "access_token" in result, result


def test_navigation_to_another_host_is_refused(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    wait_for_element(qtbot, login_view, "username")
    # A form posts to another host: refused before anything is sent there.
    login_view.run_javascript(
        "var f = document.createElement('form'); f.method = 'post';"
        "f.action = 'https://example.invalid/phish'; document.body.appendChild(f); f.submit();"
    )
    qtbot.waitUntil(lambda: seen["finished"] == 1)
    assert seen["failed"] == [("blocked_host", "https://example.invalid/phish")]
    assert "example.invalid" in login_view.status.text()
    assert "stopped" in login_view.status.text()


def test_clicked_https_link_elsewhere_opens_in_the_system_browser(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener, monkeypatch
):
    opened = []
    from o365desk.ui.signin import web_page

    monkeypatch.setattr(web_page.QDesktopServices, "openUrl", lambda url: opened.append(url))
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    wait_for_element(qtbot, login_view, "username")
    login_view.run_javascript(
        "var a = document.createElement('a'); a.id = 'help';"
        "a.href = 'https://help.example.invalid/privacy'; a.textContent = 'Privacy';"
        "document.body.appendChild(a); a.click();"
    )
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].toString() == "https://help.example.invalid/privacy"
    assert seen == {"redirected": [], "failed": [], "finished": 0}  # still signing in
    assert js_value(qtbot, login_view, "!!document.getElementById('username')") is True
    assert "web browser" in login_view.status.text()


def test_untrusted_certificate_is_refused(
    qtbot, login_view, fake_identity, fake_msal_app, fake_redirect_listener, monkeypatch
):
    monkeypatch.delenv("O365DESK_EXTRA_CA_CERTS", raising=False)
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=15000)
    assert [kind for kind, _ in seen["failed"]] == ["certificate"]
    detail = seen["failed"][0][1]  # what "details for IT" shows: the address, no secrets
    assert "/oauth2/v2.0/authorize" in detail
    for secret in ("?", flow["state"], flow["nonce"], flow["code_verifier"]):
        assert secret not in detail
    assert "not trusted" in login_view.status.text()
    assert not fake_identity.requests_to("authorize")  # no request was answered


def test_error_page_reports_its_aadsts_code(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    trusted.fail_authorize(53003, at="authorize", as_page=True)
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=15000)
    assert seen["failed"] == [("error_page", "AADSTS53003")]


@pytest.mark.parametrize("status", [500, 503, 404])
def test_an_http_error_instead_of_the_page_ends_the_sign_in_with_its_status(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener, status
):
    trusted.fail_transport(status, endpoint="authorize")
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=15000)
    [(kind, detail)] = seen["failed"]
    assert kind == "http_error"
    assert detail.startswith(f"HTTP {status} from https://")
    assert detail.endswith("/oauth2/v2.0/authorize")  # the address only: no state, no nonce
    text = login_view.status.text()
    assert "could not be loaded" in text and f"status {status}" in text
    assert "try again" in text.lower() and "web browser" in text
    assert not login_view.running and not login_view.cancel_button.isEnabled()


def test_an_aadsts_error_page_with_an_error_status_still_reports_its_code(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    trusted.error_page_status = 400
    trusted.fail_authorize(53003, at="authorize", as_page=True)
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=15000)
    assert seen["failed"] == [("error_page", "AADSTS53003")]


def test_cancel_ends_the_sign_in_and_removes_the_profile(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    profile_dir: Path = login_view._profile.directory
    wait_for_element(qtbot, login_view, "username")
    assert login_view.cancel_button.isEnabled()
    login_view.cancel_button.click()
    assert seen["failed"] == [("cancelled", "")]
    assert seen["finished"] == 1
    assert not login_view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: login_view.page is None and not profile_dir.exists(),
                    timeout=10000)


def test_timeout_stops_the_sign_in_with_a_message(
    qtbot, trusted, fake_msal_app, fake_redirect_listener
):
    view = LoginView(timeout_ms=600)
    qtbot.addWidget(view)
    view.show()
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(view)
    view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=5000)
    assert seen["failed"] == [("timeout", "600")]
    assert "not finished within" in view.status.text()
    view.shutdown()


def test_a_killed_page_process_ends_the_sign_in_with_a_message(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    profile_dir: Path = login_view._profile.directory
    fill_sign_in(qtbot, login_view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    wait_for_element(qtbot, login_view, "accept")  # half-way: the consent page
    kill_page_process(qtbot, login_view)
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=10000)
    [(kind, detail)] = seen["failed"]
    assert kind == "render_gone"
    assert "exit code" in detail and ("Killed" in detail or "Crashed" in detail)
    assert seen["redirected"] == []
    assert login_view.status.text() == "The sign-in page stopped unexpectedly."
    assert not login_view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: login_view.page is None and not profile_dir.exists(),
                    timeout=10000)
    # A new sign-in in the same view works: the engine itself is fine.
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    wait_for_element(qtbot, login_view, "username")


def test_escape_in_the_page_acts_like_its_stop_button(
    qtbot, login_view, trusted, fake_msal_app, fake_redirect_listener
):
    flow = _flow(fake_msal_app, fake_redirect_listener.uri)
    seen = _record(login_view)
    login_view.start(flow["auth_uri"], fake_redirect_listener.uri, {"127.0.0.1"})
    wait_for_element(qtbot, login_view, "username")
    login_view.run_javascript("document.getElementById('username').focus()")
    proxy = login_view.view.focusProxy()
    proxy.setFocus()
    qtbot.waitUntil(proxy.hasFocus)
    QTest.keyClick(proxy, Qt.Key.Key_Escape)  # typing in the page's own field
    qtbot.waitUntil(lambda: seen["finished"] == 1, timeout=5000)
    assert seen["failed"] == [("cancelled", "")]
    # Once stopped, Esc is no longer the view's: it goes on to the window.
    assert not login_view._escape.isEnabled()
