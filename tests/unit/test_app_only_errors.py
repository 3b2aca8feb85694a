"""The failures an app-only connection meets end in plain words and the right remedies.

Each answer is Entra's JSON as the fake identity platform sends it (error, error_description
"AADSTS7000215: ... Trace ID: ...", error_codes [7000215]); the last tests take it through
the real MSAL ConfidentialClientApplication over HTTPS and through the connection's context.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365desk.auth.results import error_from_result
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from o365desk.core.signin_errors import (
    Action,
    Explanation,
    details_for_it,
    explain,
    explain_result,
)
from tests.fakes.identity import DEFAULT_CLIENT_ID
from tests.fakes.identity.errors import APP_ONLY_CODES, lookup, token_error_body

A = Action
CLIENT = "0b6a8f5e-5d7c-4c1e-9f0a-1e2d3c4b5a69"
TENANT = "contoso.onmicrosoft.com"
APP_ONLY = {"tenant": TENANT, "cloud": Cloud.GLOBAL, "client_id": CLIENT,
            "kind": Kind.APP_ONLY}
DELEGATED = {"tenant": TENANT, "cloud": Cloud.GLOBAL, "client_id": CLIENT}
_CROSS = ("Organisation in another cloud", (A.CHECK_ORGANISATION, A.CONTACT_ADMIN))

# code -> (title, actions) for an app-only connection.
EXPECTED = {
    7000215: ("Client secret not accepted", (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    7000222: ("Client secret expired", (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    700027: ("Certificate not accepted", (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    700024: ("Refused because of the date and time", (A.CHECK_CLOCK, A.RETRY,
                                                      A.CONTACT_ADMIN)),
    700016: ("App not found in the organisation", (A.CHECK_CLIENT_ID, A.CHECK_ORGANISATION,
                                                   A.CONTACT_ADMIN)),
    1002012: ("Permissions asked for in the wrong way", (A.RETRY, A.CONTACT_ADMIN)),
    70011: ("Permissions not recognised", (A.CHECK_ORGANISATION, A.RETRY, A.CONTACT_ADMIN)),
    500011: ("Microsoft Graph not found in the organisation", (A.CHECK_ORGANISATION,
                                                               A.CONTACT_ADMIN)),
    65001: ("Permissions not granted yet", (A.COPY_ADMIN_CONSENT_LINK, A.RETRY,
                                            A.CONTACT_ADMIN)),
    90002: ("Organisation not found", (A.CHECK_ORGANISATION,)),
    900023: ("Organisation not recognised", (A.CHECK_ORGANISATION,)),
    7000112: ("App turned off", (A.CONTACT_ADMIN, A.RETRY)),
    50049: ("Cloud not recognised", (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    90038: _CROSS,
    900382: _CROSS,
    900432: _CROSS,
    900439: _CROSS,
    90051: ("Cloud not recognised", (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
}
# Words staff don't know (protocol terms, the code itself, a placeholder left unfilled).
JARGON = re.compile(r"AADSTS|assertion|\btenant\b(?!\)? ID)|\bscopes?\b|JWT|invalid_|grant_type|"
                    r"error_codes|client_credentials|\{|\}|None", re.IGNORECASE)
# What a person signing in does: never a remedy when no person signs in.
PERSON = {A.SIGN_IN_AGAIN, A.USE_SYSTEM_BROWSER, A.USE_DEVICE_CODE}


def _answer(code: int) -> dict:
    """Entra's error answer for code, as JSON text read back (the fake's wording)."""
    body = token_error_body(code, client_id=CLIENT, tenant=TENANT,
                            param="https://graph.microsoft.com/.default")
    return json.loads(json.dumps(body))


def _plain(exp: Explanation) -> None:
    assert exp.title and exp.message and exp.actions
    assert exp.message[0].isupper() and exp.message.rstrip().endswith((".", ")"))
    assert not JARGON.search(exp.title), exp.title
    # ".default" is quoted as the thing an administrator checks; nothing else technical.
    assert not JARGON.search(exp.message.replace('/.default"', '"')), exp.message
    assert not PERSON & set(exp.actions)


def test_every_code_of_issue_10_point_6_is_covered():
    assert set(APP_ONLY_CODES) <= set(EXPECTED)


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_each_code_as_entra_sends_it(code, expected):
    answer = _answer(code) if code in APP_ONLY_CODES else {
        "error": "invalid_request", "error_codes": [code],
        "error_description": f"AADSTS{code}: InvalidNationalCloudId. Trace ID: t1"}
    exp = explain_result(answer, **APP_ONLY)
    title, actions = expected
    assert (exp.code, exp.title, exp.actions) == (f"AADSTS{code}", title, actions)
    _plain(exp)
    # Entra's own words stay one click away for IT, whole.
    assert answer["error_description"] in exp.raw and f"error_codes: {code}" in exp.raw
    assert answer["error_description"] in details_for_it(exp)


def test_a_wrong_secret_says_value_not_id_and_names_the_app():
    exp = explain_result(_answer(7000215), **APP_ONLY)
    assert "value" in exp.message and "secret ID" in exp.message and CLIENT in exp.message


def test_an_expired_secret_says_make_a_new_one():
    exp = explain_result(_answer(7000222), **APP_ONLY)
    assert "expired" in exp.message and "new" in exp.message and "expiry date" in exp.message


def test_a_refused_assertion_for_the_clock_says_check_the_date_and_time():
    exp = explain_result(_answer(700024), **APP_ONLY)
    assert "date, time or time zone" in exp.message and exp.actions[0] is A.CHECK_CLOCK


def test_a_refused_certificate_points_at_the_thumbprint():
    exp = explain_result(_answer(700027), **APP_ONLY)
    assert "certificate" in exp.message and "thumbprint" in exp.message


def test_no_such_app_names_both_the_client_id_and_the_organisation():
    exp = explain_result(_answer(700016), **APP_ONLY)
    assert CLIENT in exp.message and f'"{TENANT}"' in exp.message
    assert "Application (client) ID" in exp.message and exp.admin_consent_url is None


@pytest.mark.parametrize(("cloud", "graph"), [
    (Cloud.GLOBAL, "https://graph.microsoft.com"), (Cloud.USGOV, "https://graph.microsoft.us"),
    (Cloud.CHINA, "https://microsoftgraph.chinacloudapi.cn")])
def test_the_default_scope_message_names_the_clouds_own_graph(cloud, graph):
    for code in (1002012, 70011):
        exp = explain_result(_answer(code), **{**APP_ONLY, "cloud": cloud})
        assert f'"{graph}/.default"' in exp.message


def test_the_default_scope_message_follows_a_graph_override():
    exp = explain_result(_answer(1002012), **APP_ONLY,
                         graph_endpoint="https://graph.example.test/")
    assert '"https://graph.example.test/.default"' in exp.message


def test_no_admin_consent_offers_the_admin_consent_link_and_no_sign_in():
    exp = explain_result(_answer(65001), **APP_ONLY)
    assert "admin consent" in exp.message and "administrator" in exp.message
    assert Action.COPY_ADMIN_CONSENT_LINK in exp.actions  # the link: test_consent_links.py


def test_a_missing_graph_says_the_cloud_is_probably_wrong():
    exp = explain_result(_answer(500011), **{**APP_ONLY, "cloud": Cloud.USGOV})
    assert "https://graph.microsoft.us" in exp.message and "cloud" in exp.message
    assert "US Government" in exp.message


@pytest.mark.parametrize("code", [90038, 900382, 900432, 900439])
def test_another_clouds_organisation_says_choose_its_cloud(code):
    exp = explain_result(_answer(code), **{**APP_ONLY, "cloud": Cloud.GLOBAL})
    assert "different Microsoft cloud" in exp.message and "(Global)" in exp.message
    assert "login.microsoftonline.us" in exp.message


@pytest.mark.parametrize("code", [90002, 900023])
def test_no_such_organisation_names_it(code):
    exp = explain_result(_answer(code), **APP_ONLY)
    assert f'"{TENANT}"' in exp.message and "tenant ID" in exp.message


def test_an_app_turned_off_says_who_turns_it_on():
    exp = explain_result(_answer(7000112), **APP_ONLY)
    assert "turned off" in exp.message and "administrator" in exp.message


def test_an_unknown_code_still_falls_back_with_its_code():
    answer = {"error": "invalid_request", "error_codes": [7654321],
              "error_description": "AADSTS7654321: Something new. Trace ID: t"}
    exp = explain_result(answer, **APP_ONLY)
    assert exp.code == "AADSTS7654321" and "AADSTS7654321" in exp.message
    assert {A.RETRY, A.CONTACT_ADMIN} <= set(exp.actions) and "Something new." in exp.raw
    assert "sign-in" not in exp.message.lower() and "redirect" not in exp.message.lower()
    assert explain_result({**answer, "error": "new_error"}, **APP_ONLY).actions == (
        A.RETRY, A.CONTACT_ADMIN)


def test_an_unknown_code_under_invalid_client_keeps_replace_credential():
    answer = {"error": "invalid_client", "error_description": "AADSTS7777777: New rule."}
    exp = explain_result(answer, **APP_ONLY)
    assert exp.code == "AADSTS7777777" and A.REPLACE_CREDENTIAL in exp.actions


def test_invalid_client_without_a_code_means_the_apps_identity():
    exp = explain_result({"error": "invalid_client", "error_description": "Bad."}, **APP_ONLY)
    assert exp.title == "App identity not accepted" and A.REPLACE_CREDENTIAL in exp.actions
    _plain(exp)


@pytest.mark.parametrize("error", ["invalid_request", "invalid_grant", "invalid_scope",
                                   "consent_required", "unauthorized_client"])
def test_oauth_errors_without_a_code_read_as_app_only(error):
    exp = explain_result({"error": error, "error_description": "Bad."}, **APP_ONLY)
    _plain(exp)
    assert "redirect" not in exp.message and "sign in again" not in exp.message.lower()


def test_conditional_access_for_the_app_asks_an_administrator():
    answer = {"error": "access_denied", "error_codes": [53003],
              "error_description": "AADSTS53003: Access has been blocked by Conditional "
              "Access policies."}
    exp = explain_result(answer, **APP_ONLY)
    assert exp.actions == (A.CONTACT_ADMIN,) and "workload identities" in exp.message
    _plain(exp)


def test_a_delegated_only_code_drops_the_ways_to_sign_in():
    # A code whose delegated remedy is "sign in again": no person signs in here.
    answer = {"error": "invalid_grant", "error_codes": [50173],
              "error_description": "AADSTS50173: The provided grant has expired."}
    exp = explain_result(answer, **APP_ONLY)
    assert exp.actions and not PERSON & set(exp.actions)
    assert explain_result(answer, **DELEGATED).actions == (A.SIGN_IN_AGAIN,)


# --- delegated wording still as it was ---------------------------------------------------

@pytest.mark.parametrize(("code", "title", "action"), [
    (65001, "Permissions not approved yet", A.SIGN_IN_AGAIN),
    (700016, "App not found in the organisation", A.COPY_ADMIN_CONSENT_LINK),
    (90002, "Organisation not found", A.CHECK_ORGANISATION),
    (500011, "Service not found in the organisation", A.CHECK_ORGANISATION),
    (70011, "A permission name isn't valid", A.CHECK_PERMISSIONS),
])
def test_delegated_connections_keep_their_words(code, title, action):
    for context in (DELEGATED, {**DELEGATED, "kind": Kind.DELEGATED}):
        exp = explain_result(_answer(code), **context)
        assert exp.title == title and action in exp.actions


@pytest.mark.parametrize("code", [7000215, 7000222, 700027, 700024, 1002012, 900382])
def test_codes_only_app_only_meets_stay_unknown_for_a_delegated_connection(code):
    exp = explain_result(_answer(code), **DELEGATED)
    assert exp.title == "Sign-in didn't work" and f"AADSTS{code}" in exp.message
    assert A.REPLACE_CREDENTIAL not in exp.actions


@pytest.mark.parametrize(("code", "title"), [
    (900023, "Organisation not recognised"), (7000112, "App turned off"),
    (50049, "Cloud not recognised"), (90038, "Organisation in another cloud")])
def test_codes_both_kinds_meet_are_explained_for_a_delegated_connection_too(code, title):
    exp = explain_result(_answer(code), **DELEGATED)
    assert exp.title == title
    assert A.REPLACE_CREDENTIAL not in exp.actions
    assert "AADSTS" not in exp.message and "{" not in exp.message


# --- through the connection, and through the real MSAL ----------------------------------

def test_the_connections_kind_chooses_the_words():
    conn = Connection("Automation", tenant=TENANT, client_id=CLIENT, kind=Kind.APP_ONLY,
                      cloud=Cloud.USGOV)
    error = error_from_result(_answer(1002012), conn)
    assert error.explanation.title == "Permissions asked for in the wrong way"
    assert '"https://graph.microsoft.us/.default"' in str(error)
    assert not error.needs_sign_in
    delegated = error_from_result(_answer(65001), conn.replace(kind=Kind.DELEGATED))
    assert delegated.needs_sign_in


@pytest.mark.parametrize("code", APP_ONLY_CODES)
def test_each_code_through_the_real_msal_confidential_client(fake_identity, code):
    import msal

    fake_identity.fail_token(code, grant="refresh_token")
    app = msal.ConfidentialClientApplication(
        DEFAULT_CLIENT_ID,
        client_credential="not-a-real-secret", authority=fake_identity.authority(TENANT),
        instance_discovery=False, http_client=fake_identity.http_session())
    result = app.acquire_token_by_refresh_token(
        "a-refresh-token", ["https://graph.microsoft.com/.default"])
    assert result["error_codes"] == [code] and result["error"] == lookup(code).token_error
    exp = explain_result(result, **APP_ONLY)
    assert (exp.title, exp.actions) == EXPECTED[code]
    assert result["error_description"] in exp.raw


@given(
    error=st.none() | st.text(max_size=40),
    description=st.none() | st.text(max_size=200),
    codes=st.none() | st.lists(st.sampled_from(sorted(EXPECTED)) | st.integers(), max_size=4),
    tenant=st.none() | st.text(max_size=30),
)
def test_explain_never_fails_on_odd_input_for_app_only(error, description, codes, tenant):
    exp = explain(error, description, codes, tenant=tenant, cloud="usgov", client_id=CLIENT,
                  kind=Kind.APP_ONLY)
    assert exp.title and exp.message and exp.actions and exp.raw
    assert not PERSON & set(exp.actions)
    assert not re.search(r"\{(org|client|cloud|graph)\}", exp.message)  # all filled in
