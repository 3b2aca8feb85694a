"""The admin-consent loopback listener, answered by a real HTTP client."""

from __future__ import annotations

import http.client
import socket
import threading
from urllib.parse import urlencode

import pytest

from o365desk.auth.admin_consent import Outcome
from o365desk.auth.consent_listener import (
    FORGED_PAGE,
    GRANTED_PAGE,
    LINE_LIMIT,
    ConsentListener,
)
from o365desk.core.connection import Connection

CONNECTION = Connection("Payroll", tenant="contoso.com",
                        client_id="5b0c1a2e-9d8f-4e7a-b6c5-d4e3f2a1b0c9")
LONG = 60  # a wait that would last this long unless something ends it


@pytest.fixture
def listener():
    with ConsentListener() as made:
        yield made


def _get(listener, query: str = "", path: str = "/", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=10)
    try:
        connection.request("GET", f"{path}?{query}" if query else path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read().decode(), answer.getheader("Content-Type")
    finally:
        connection.close()


def _answer(listener, **fields) -> tuple[int, str, str]:
    return _get(listener, urlencode(fields))


def test_it_listens_on_the_loopback_address_only(listener):
    assert listener._servers[0].server_address[0] == "127.0.0.1"
    assert listener.redirect_uri == f"http://localhost:{listener.port}"


def test_an_approval_is_taken_and_the_tab_gets_a_short_plain_page(listener):
    status, page, kind = _answer(listener, admin_consent="True", tenant="tid-1",
                                 state=listener.state)
    assert (status, page) == (200, GRANTED_PAGE) and kind.startswith("text/plain")
    result = listener.wait(CONNECTION, LONG)
    assert result.granted and result.outcome is Outcome.GRANTED
    assert result.tenant == "tid-1" and "Test connection" in result.message
    assert result.raw == {"admin_consent": "True", "tenant": "tid-1", "state": listener.state}


def test_a_decline_is_refused_with_a_plain_explanation_and_the_raw_answer(listener):
    description = "AADSTS65004: User declined to consent to access the app."
    status, page, _ = _answer(listener, error="access_denied", error_description=description,
                              state=listener.state)
    assert status == 200 and "(access_denied)" in page and "go back to o365desk" in page.lower()
    result = listener.wait(CONNECTION, LONG)
    assert result.outcome is Outcome.REFUSED and not result.granted
    assert "Cancel" in result.message and "AADSTS" not in result.message
    assert (result.error, result.error_description) == ("access_denied", description)


def test_an_answer_needing_an_admin_says_who_can_approve(listener):
    _answer(listener, error="access_denied", state=listener.state,
            error_description="AADSTS90094: An administrator must approve this app.")
    result = listener.wait(CONNECTION, LONG)
    assert result.outcome is Outcome.REFUSED and "Global Administrator" in result.message


def test_a_forged_state_ends_the_wait_at_once_and_is_refused(listener):
    status, page, _ = _answer(listener, admin_consent="True", tenant="evil", state="forged")
    assert (status, page) == (400, FORGED_PAGE)
    result = listener.wait(CONNECTION, LONG)
    assert result.outcome is Outcome.FORGED and not result.granted and result.tenant == ""
    # A right answer after it is not taken either: the wait is over.
    _answer(listener, admin_consent="True", tenant="tid", state=listener.state)
    assert listener.wait(CONNECTION, LONG).outcome is Outcome.FORGED


def test_an_answer_without_a_state_is_forged(listener):
    _answer(listener, admin_consent="True", tenant="tid")
    assert listener.wait(CONNECTION, LONG).outcome is Outcome.FORGED


def test_oversized_requests_are_refused_and_the_wait_goes_on(listener):
    status, _, _ = _get(listener, "error=x&state=" + "a" * LINE_LIMIT)
    assert status == 414
    status, _, _ = _get(listener, "admin_consent=True", headers={
        f"X-Filler-{n}": "b" * 4000 for n in range(20)})
    assert status == 431
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=10)
    connection.request("POST", "/", "error=x&error_description=" + "c" * 5000,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert connection.getresponse().status == 413
    connection.close()
    assert _get(listener, path="/favicon.ico")[0] == 404
    assert _get(listener)[0] == 404  # nothing that is an answer
    _answer(listener, admin_consent="True", tenant="tid", state=listener.state)
    assert listener.wait(CONNECTION, LONG).granted


def test_a_raw_oversized_request_line_is_cut_off_unread(listener):
    with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as sock:
        sock.sendall(b"GET /?" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n")
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.0 414")


def test_no_answer_in_time_is_a_timeout(listener):
    result = listener.wait(CONNECTION, 0.5)
    assert result.outcome is Outcome.TIMEOUT and "in time" in result.message


def test_stop_from_another_thread_ends_the_wait_and_a_late_answer_is_not_taken(listener):
    threading.Timer(0.3, listener.stop).start()
    result = listener.wait(CONNECTION, LONG)
    assert result.outcome is Outcome.STOPPED and "Stopped waiting" in result.message
    _answer(listener, admin_consent="True", tenant="tid", state=listener.state)
    assert listener.wait(CONNECTION, LONG).outcome is Outcome.STOPPED


def test_should_stop_ends_the_wait(listener):
    asked = threading.Event()
    threading.Timer(0.3, asked.set).start()
    assert listener.wait(CONNECTION, LONG, should_stop=asked.is_set).outcome is Outcome.STOPPED


def test_a_form_post_answer_is_read_too(listener):
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=10)
    connection.request("POST", "/", urlencode({"admin_consent": "True", "tenant": "t",
                                               "state": listener.state}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert connection.getresponse().status == 200
    connection.close()
    assert listener.wait(CONNECTION, LONG).granted


def test_an_approval_in_another_organisation_is_not_taken_as_this_ones(listener):
    ours = CONNECTION.replace(tenant="4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192")
    _answer(listener, admin_consent="True", tenant="0a0b0c0d-1111-2222-3333-444455556666",
            state=listener.state)
    result = listener.wait(ours, LONG)
    assert result.outcome is Outcome.REFUSED and not result.granted
    assert "another organisation (0a0b0c0d-1111-2222-3333-444455556666)" in result.message
    same = CONNECTION.replace(tenant="4F1C3B52-8D6E-4F0A-9B7C-2D5E6F708192")
    with ConsentListener() as again:
        _answer(again, admin_consent="True", state=again.state,
                tenant="4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192")
        assert again.wait(same, LONG).granted


def test_a_client_that_stalls_is_dropped_quietly_and_the_wait_goes_on(monkeypatch, capfd):
    from o365desk.auth import consent_listener

    monkeypatch.setattr(consent_listener._Handler, "timeout", 0.3)
    with ConsentListener() as listener:
        stalled = []
        for partial in (b"", b"GET /?admin_consent=True HTTP/1.1\r\nHost: x"):
            sock = socket.create_connection(("127.0.0.1", listener.port), timeout=10)
            sock.sendall(partial)
            stalled.append(sock)
        for sock in stalled:
            assert sock.recv(100) == b""  # closed by the listener, unanswered
            sock.close()
        _answer(listener, admin_consent="True", tenant="tid", state=listener.state)
        assert listener.wait(CONNECTION, LONG).granted
    assert capfd.readouterr().err == ""
