"""Every sign-in failure a person can meet ends in a plain sentence and an action."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365desk.core.clouds import Cloud
from o365desk.core.signin_errors import (
    Action,
    Explanation,
    TransportKind,
    aadsts_codes,
    explain,
    explain_result,
    explain_transport,
)
from o365desk.core.tls import EXTRA_CA_ENV

CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
CTX = {"tenant": "contoso.onmicrosoft.com", "cloud": Cloud.GLOBAL, "client_id": CLIENT}

# Each code the design and issue 4 name, with the action a person must be offered.
REQUIRED = {
    65001: Action.COPY_ADMIN_CONSENT_LINK,
    90094: Action.COPY_ADMIN_CONSENT_LINK,
    90008: Action.CHECK_CLIENT_ID,
    50011: Action.CHECK_CLIENT_ID,
    700016: Action.CHECK_ORGANISATION,
    90002: Action.CHECK_ORGANISATION,
    50076: Action.SIGN_IN_AGAIN,
    50079: Action.SIGN_IN_AGAIN,
    53003: Action.USE_SYSTEM_BROWSER,
    700082: Action.SIGN_IN_AGAIN,
    50173: Action.SIGN_IN_AGAIN,
    54005: Action.RETRY,
}
OAUTH = {
    "access_denied": Action.SIGN_IN_AGAIN,
    "consent_required": Action.COPY_ADMIN_CONSENT_LINK,
    "interaction_required": Action.SIGN_IN_AGAIN,
    "invalid_grant": Action.SIGN_IN_AGAIN,
}


def _looks_plain(exp: Explanation) -> None:
    assert exp.title and exp.message and exp.actions
    assert exp.message[0].isupper() or exp.message.startswith("o365desk")
    assert exp.message.rstrip().endswith((".", ")"))
    assert "{" not in exp.message and "None" not in exp.message


@pytest.mark.parametrize(("code", "action"), REQUIRED.items())
def test_each_required_code_has_a_sentence_and_its_action(code, action):
    exp = explain("invalid_grant", f"AADSTS{code}: Microsoft's text. Trace ID: x", [code], **CTX)
    assert exp.code == f"AADSTS{code}"
    assert action in exp.actions
    _looks_plain(exp)
    assert f"AADSTS{code}" in exp.raw and "Trace ID: x" in exp.raw


@pytest.mark.parametrize(("error", "action"), OAUTH.items())
def test_oauth_errors_without_a_code(error, action):
    exp = explain(error, "Something went wrong.", None, **CTX)
    assert exp.code == error
    assert action in exp.actions
    _looks_plain(exp)


def test_code_is_parsed_from_the_description_when_error_codes_are_absent():
    exp = explain("invalid_client", "AADSTS700016: Application with identifier 'x' was not "
                  "found in the directory 'contoso'.", None, **CTX)
    assert exp.code == "AADSTS700016"
    assert Action.CHECK_ORGANISATION in exp.actions and Action.CHECK_CLIENT_ID in exp.actions
    assert CLIENT in exp.message


def test_error_codes_win_over_the_description_and_the_oauth_error():
    assert aadsts_codes([50076], "AADSTS65001: text") == [50076]
    exp = explain("interaction_required", "AADSTS65001: text", [50076], **CTX)
    assert exp.code == "AADSTS50076"


def test_the_first_known_code_is_used_when_several_are_given():
    assert explain("x", None, [99999999, 53003], **CTX).code == "AADSTS53003"


def test_consent_errors_offer_the_link_that_auth_fills_in():
    # core knows the need; the link is the connection's v2.0 one, which only auth builds
    # (tests/unit/test_consent_links.py).
    exp = explain("invalid_grant", "AADSTS65001: The user or administrator has not consented",
                  [65001], **CTX)
    assert Action.COPY_ADMIN_CONSENT_LINK in exp.actions and exp.admin_consent_url is None


def test_errors_without_consent_offer_no_link():
    exp = explain("invalid_grant", None, [700082], **CTX)
    assert Action.COPY_ADMIN_CONSENT_LINK not in exp.actions and exp.admin_consent_url is None


def test_no_client_id_means_no_link_and_no_copy_button():
    exp = explain("consent_required", None, None, tenant="contoso.com", cloud="global",
                  client_id=None)
    assert exp.admin_consent_url is None
    assert Action.COPY_ADMIN_CONSENT_LINK not in exp.actions and exp.actions


def test_conditional_access_offers_both_fallbacks():
    exp = explain("access_denied", "AADSTS53003: Access has been blocked by Conditional "
                  "Access policies.", None, **CTX)
    assert exp.actions[:2] == (Action.USE_SYSTEM_BROWSER, Action.USE_DEVICE_CODE)


def test_tenant_not_found_names_the_organisation_and_the_cloud():
    exp = explain("invalid_request", "AADSTS90002: Tenant 'contoso.con' not found.", [90002],
                  tenant="contoso.con", cloud=Cloud.USGOV, client_id=CLIENT)
    assert '"contoso.con"' in exp.message and "US Government" in exp.message


def test_generic_tenant_reads_as_your_organisation():
    exp = explain("x", None, [90094], tenant="organizations", cloud="global", client_id=CLIENT)
    assert "your organisation" in exp.message and "organizations" not in exp.message
    assert exp.message[0].isupper()


def test_unknown_code_is_shown_with_a_useful_sentence():
    exp = explain("invalid_request", "AADSTS123456: Something new.", None, **CTX)
    assert exp.code == "AADSTS123456"
    assert "AADSTS123456" in exp.message
    assert Action.RETRY in exp.actions and Action.CONTACT_ADMIN in exp.actions
    assert "Something new." in exp.raw


def test_unknown_code_under_a_known_error_keeps_that_errors_remedy():
    exp = explain("consent_required", "AADSTS7777777: New consent rule.", None, **CTX)
    assert exp.code == "AADSTS7777777" and "AADSTS7777777" in exp.message
    assert Action.COPY_ADMIN_CONSENT_LINK in exp.actions


def test_unknown_oauth_error_and_nothing_at_all():
    assert "weird_error" in explain("weird_error", None, None, **CTX).message
    empty = explain(None, None, None, **CTX)
    assert empty.code == "unknown" and empty.actions and empty.raw


def test_explain_result_reads_an_msal_result_dict():
    result = {"error": "invalid_grant", "error_description": "AADSTS50173: The provided grant "
              "has expired due to it being revoked.", "error_codes": [50173]}
    exp = explain_result(result, **CTX)
    assert exp.code == "AADSTS50173" and exp.actions == (Action.SIGN_IN_AGAIN,)


@pytest.mark.parametrize("kind", list(TransportKind))
def test_transport_failures_always_offer_a_retry(kind):
    exp = explain_transport(kind, "boom")
    assert Action.RETRY in exp.actions
    assert exp.raw == f"{kind.value}: boom" and exp.code == kind.value
    _looks_plain(exp)


def test_tls_failure_points_at_the_extra_ca_setting():
    exp = explain_transport("tls", "CERTIFICATE_VERIFY_FAILED: self-signed certificate in chain")
    assert EXTRA_CA_ENV in exp.message and "proxy" in exp.message
    assert Action.CHECK_TRUSTED_CERTIFICATES in exp.actions
    assert Action.CHECK_CLOCK not in exp.actions


def test_tls_failure_from_a_wrong_clock_says_so():
    exp = explain_transport(TransportKind.TLS, "certificate verify failed: certificate has expired")
    assert exp.actions[0] is Action.CHECK_CLOCK and "date and time" in exp.message


def test_every_action_has_a_label():
    assert all(a.label for a in Action)


@given(
    error=st.none() | st.text(max_size=40),
    description=st.none() | st.text(max_size=200),
    codes=st.none() | st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=4),
    tenant=st.none() | st.text(max_size=30),
)
def test_explain_never_fails_on_odd_input(error, description, codes, tenant):
    exp = explain(error, description, codes, tenant=tenant, cloud="global", client_id=CLIENT)
    assert exp.title and exp.message and exp.actions and exp.raw
