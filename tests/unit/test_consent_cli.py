"""Admin consent end to end: the fake's adminconsent page over HTTPS, the loopback
listener, and `o365desk consent NICK [--print]` with the browser played by an HTTP client."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from o365desk.auth import consent_listener
from o365desk.auth.admin_consent import Outcome, consent_link_for
from o365desk.auth.consent_listener import GRANTED_PAGE, ConsentListener
from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.connection import Connection, Kind
from tests.fakes.identity import DEFAULT_CLIENT_ID, DEFAULT_DOMAIN
from tests.fakes.identity.consent import configure_app_permissions, refuse_admin_consent

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def app_only(fake_identity, services) -> Connection:
    fake_identity.register_client(APP, "Payroll automation", ["http://localhost"])
    configure_app_permissions(fake_identity, APP, ["User.Read.All", "Mail.Send"])
    return services.store.add(Connection(
        "Payroll", tenant=DEFAULT_DOMAIN, client_id=APP, kind=Kind.APP_ONLY,
        authority=fake_identity.authority(DEFAULT_DOMAIN), graph_endpoint=fake_identity.graph_url,
        scopes=("User.Read.All", "Mail.Send")))


@pytest.fixture
def delegated(fake_identity, services) -> Connection:
    return services.store.add(Connection(
        "Mail", client_id=DEFAULT_CLIENT_ID, authority=fake_identity.authority(),
        graph_endpoint=fake_identity.graph_url, scopes=("Mail.Send", "User.Read")))


def following(fake, pages: list[str] | None = None, opens: bool = True):
    """A browser that opens the link and follows Microsoft's redirect back (an HTTP client)."""

    def browse(url: str) -> bool:
        def act() -> None:
            with fake.http_session() as session:
                answer = session.get(url, timeout=10)
            if pages is not None:
                pages.append(answer.text)

        threading.Thread(target=act, daemon=True).start()
        return opens

    return browse


# --- the fake's page --------------------------------------------------------------------


def test_the_fakes_page_grants_and_redirects_to_the_loopback(fake_identity, app_only):
    url = consent_link_for(app_only, "http://localhost:51234", "st-1")
    with fake_identity.http_session() as session:
        answer = session.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith("http://localhost:51234?")
    assert _query(location) == {"admin_consent": "True", "tenant": fake_identity.tenant_id,
                                "state": "st-1"}
    assert fake_identity.consented(None, APP) == {"User.Read.All", "Mail.Send"}
    assert fake_identity.admin_consents == [
        (fake_identity.tenant_id, APP, ("https://graph.microsoft.com/.default",))]


def test_the_fakes_page_answers_a_refusal_and_refuses_unknown_apps(fake_identity, app_only):
    refuse_admin_consent(fake_identity, 65004)
    url = consent_link_for(app_only, "http://localhost:51234", "st-2")
    with fake_identity.http_session() as session:
        location = session.get(url, allow_redirects=False, timeout=10).headers["Location"]
        query = _query(location)
        assert (query["error"], query["state"]) == ("access_denied", "st-2")
        assert query["error_description"].startswith("AADSTS65004:")
        assert fake_identity.consented(None, APP) == set()
        # An app the organisation doesn't know, or a redirect URI it doesn't list: an
        # error page, never a redirect.
        stranger = app_only.replace(client_id="11111111-2222-3333-4444-555555555555")
        page = session.get(consent_link_for(stranger, "http://localhost:1", "s"),
                           allow_redirects=False, timeout=10)
        assert page.status_code == 200 and "AADSTS700016" in page.text
        page = session.get(consent_link_for(app_only, "https://evil.example", "s"),
                           allow_redirects=False, timeout=10)
        assert page.status_code == 200 and "AADSTS50011" in page.text


def test_the_listener_takes_the_answer_the_fake_redirects_to_it(fake_identity, app_only):
    pages: list[str] = []
    with ConsentListener() as listener:
        url = consent_link_for(app_only, listener.redirect_uri, listener.state)
        following(fake_identity, pages)(url)
        result = listener.wait(app_only, 60)
    assert result.outcome is Outcome.GRANTED and result.tenant == fake_identity.tenant_id
    assert pages == [GRANTED_PAGE]


# --- the CLI ----------------------------------------------------------------------------


def test_consent_on_an_app_only_connection_opens_the_browser_and_reports_approval(
        fake_identity, services, app_only, monkeypatch, capsys):
    pages: list[str] = []
    monkeypatch.setattr(consent_listener, "open_in_browser", following(fake_identity, pages))
    assert cli(services, "consent", "Payroll") == 0
    out, err = capsys.readouterr()
    assert "approved the app for the organisation" in out
    assert "Accept" in err and "http://localhost" in err and "Ctrl+C" in err
    assert pages == [GRANTED_PAGE]
    assert fake_identity.consented(None, APP) == {"User.Read.All", "Mail.Send"}
    link = next(r for r in fake_identity.requests_to("/v2.0/adminconsent"))
    assert link.path == f"/{DEFAULT_DOMAIN}/v2.0/adminconsent"
    assert link.query["scope"] == "https://graph.microsoft.com/.default"


def test_consent_on_a_delegated_connection_asks_for_its_own_permissions(
        fake_identity, services, delegated, monkeypatch, capsys):
    monkeypatch.setattr(consent_listener, "open_in_browser", following(fake_identity))
    assert cli(services, "consent", "Mail") == 0
    assert fake_identity.consented(None, DEFAULT_CLIENT_ID) == {"Mail.Send", "User.Read"}
    link = fake_identity.requests_to("/v2.0/adminconsent")[0]
    assert link.path == "/organizations/v2.0/adminconsent"
    assert link.query["scope"] == ("https://graph.microsoft.com/Mail.Send "
                                   "https://graph.microsoft.com/User.Read")


def test_a_refusal_is_explained_with_the_raw_answer_for_it(
        fake_identity, services, app_only, monkeypatch, capsys):
    refuse_admin_consent(fake_identity, 90094)
    monkeypatch.setattr(consent_listener, "open_in_browser", following(fake_identity))
    assert cli(services, "consent", "Payroll") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Global Administrator" in err and "Traceback" not in err
    assert "for IT: access_denied: AADSTS90094:" in err


def test_without_a_browser_the_link_is_shown_and_still_answered(
        fake_identity, services, app_only, monkeypatch, capsys):
    monkeypatch.setattr(consent_listener, "open_in_browser",
                        following(fake_identity, opens=False))
    assert cli(services, "consent", "Payroll") == 0
    err = capsys.readouterr().err
    assert "No browser could be opened" in err and "/v2.0/adminconsent?" in err


def test_print_gives_only_the_link_on_stdout_and_waits_for_nothing(
        fake_identity, services, app_only, monkeypatch, capsys):
    monkeypatch.setattr(consent_listener, "open_in_browser",
                        lambda url: pytest.fail("--print opened a browser"))
    assert cli(services, "consent", "Payroll", "--print") == 0
    out, err = capsys.readouterr()
    link = out.strip()
    assert "\n" not in link and link.startswith(
        f"{fake_identity.base_url}/{DEFAULT_DOMAIN}/v2.0/adminconsent?")
    query = _query(link)
    assert query["redirect_uri"] == "http://localhost" and query["client_id"] == APP
    assert "Accept" in err and 'o365desk test "Payroll"' in err
    # The administrator opens it anywhere: Microsoft records the approval, then sends the
    # browser to http://localhost, where nothing needs to listen.
    with fake_identity.http_session() as session:
        answer = session.get(link, allow_redirects=False, timeout=10)
    assert answer.headers["Location"].startswith("http://localhost?admin_consent=True")
    assert fake_identity.consented(None, APP) == {"User.Read.All", "Mail.Send"}


def test_a_damaged_connection_is_refused_before_any_link(
        fake_identity, services, store_path, monkeypatch, capsys):
    monkeypatch.setattr(consent_listener, "open_in_browser",
                        lambda url: pytest.fail("a damaged connection opened a browser"))
    entry = Connection("Payroll", client_id=APP).to_dict() | {
        "graph_endpoint": "http://127.0.0.1:8080"}
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(json.dumps({"schema_version": 1, "connections": [entry]}), "utf-8")
    for extra in ((), ("--print",)):
        assert cli(services, "consent", "Payroll", *extra) == 1
        out, err = capsys.readouterr()
        assert out == "" and "can't be used" in err and "adminconsent" not in err
    assert fake_identity.requests_to("/adminconsent") == []


def test_no_answer_in_time_says_so(fake_identity, services, app_only, monkeypatch, capsys):
    from o365desk.cli import consent

    monkeypatch.setattr(consent, "WAIT_SECONDS", 0.5)
    monkeypatch.setattr(consent_listener, "open_in_browser", lambda url: True)  # nobody acts
    assert cli(services, "consent", "Payroll") == 1
    err = capsys.readouterr().err
    assert "No answer came from Microsoft's approval page in time" in err
    assert fake_identity.consented(None, APP) == set()


def test_ctrl_c_while_waiting_stops_plainly(fake_identity, services, app_only, monkeypatch,
                                            capsys):
    import _thread

    def press_ctrl_c(url: str) -> bool:
        threading.Timer(0.3, _thread.interrupt_main).start()
        return True

    monkeypatch.setattr(consent_listener, "open_in_browser", press_ctrl_c)
    assert cli(services, "consent", "Payroll") == 1
    err = capsys.readouterr().err
    assert "stopped waiting for the administrator's answer" in err and "Traceback" not in err
