"""Token claims read offline for display, and granted scopes compared with requested ones."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365desk.auth.claims import (
    ClaimsError,
    claims_from_payload,
    decode_claims,
    decode_payload,
    granted_vs_requested,
    normalise_scope,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(payload: object, header: object = None) -> str:
    head = _b64(json.dumps(header or {"typ": "JWT", "alg": "RS256"}).encode())
    return f"{head}.{_b64(json.dumps(payload).encode())}.c2lnbmF0dXJl"


DELEGATED = {
    "aud": "https://graph.microsoft.com",
    "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "exp": 1_800_000_000,
    "amr": ["pwd", "mfa"],
    "upn": "admin@contoso.onmicrosoft.com",
    "scp": "User.Read Mail.Read openid profile email",
}


def test_delegated_token():
    claims = decode_claims(make_token(DELEGATED))
    assert claims.scopes == ("User.Read", "Mail.Read", "openid", "profile", "email")
    assert claims.audience == "https://graph.microsoft.com"
    assert claims.tenant_id == DELEGATED["tid"]
    assert claims.expires_at == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    assert claims.auth_methods == ("pwd", "mfa")
    assert claims.username == "admin@contoso.onmicrosoft.com"
    assert claims.raw["scp"] == DELEGATED["scp"] and not claims.app_only


def test_app_only_token_uses_roles():
    payload = {"aud": "00000003-0000-0000-c000-000000000000", "roles": ["User.Read.All", 7],
               "exp": 1_700_000_000.5}
    claims = decode_claims(make_token(payload))
    assert claims.scopes == ("User.Read.All",) and claims.app_only
    assert claims.username is None and claims.auth_methods == ()
    assert claims.expired(datetime(2024, 1, 1, tzinfo=UTC))


def test_preferred_username_when_no_upn_and_bearer_prefix_is_accepted():
    token = make_token({"preferred_username": "guest@fabrikam.com", "aud": ["a", "b"]})
    claims = decode_claims(f"Bearer {token}\n")
    assert claims.username == "guest@fabrikam.com" and claims.audience == "a"


def test_claims_of_the_wrong_type_count_as_absent():
    claims = claims_from_payload({"scp": 5, "roles": "not-a-list", "exp": True, "tid": 3,
                                  "amr": {"x": 1}, "upn": ""})
    assert claims.scopes == ("not-a-list",)
    assert claims.expires_at is None and claims.tenant_id is None
    assert claims.auth_methods == () and claims.username is None
    assert not claims.expired()


def test_absurd_expiry_is_ignored_not_fatal():
    assert decode_claims(make_token({"exp": 10**30})).expires_at is None
    assert decode_claims(make_token({"exp": float("nan")})).expires_at is None


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("", "no access token"),
        ("not a token", "format"),
        ("a.b", "format"),
        ("a.b.c.d.e", "encrypted"),
        ("eyJ0eXAiOiJKV1QifQ.!!!.sig", "format"),
        ("eyJ0eXAiOiJKV1QifQ.abcde.sig", "damaged"),  # impossible base64 length
        (f"h.{_b64(b'not json')}.s", "damaged"),
        (f"h.{_b64(bytes([0xff, 0xfe]))}.s", "damaged"),
        (f"h.{_b64(b'[1, 2]')}.s", "damaged"),
        (f"h.{_b64(b'[' * 100_000)}.s", "damaged"),
    ],
)
def test_malformed_tokens_raise_claims_error_with_a_plain_message(token, words):
    with pytest.raises(ClaimsError) as caught:
        decode_claims(token)
    assert words in str(caught.value).lower()
    assert str(caught.value)[0].isupper() and str(caught.value).endswith(".")


def test_not_a_string():
    with pytest.raises(ClaimsError):
        decode_payload(None)  # type: ignore[arg-type]


@given(st.text())
def test_arbitrary_strings_raise_only_claims_error(text):
    try:
        decode_claims(text)
    except ClaimsError:
        pass


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20,
)
_claim_names = st.sampled_from(["scp", "roles", "aud", "tid", "exp", "amr", "upn",
                                "preferred_username", "unique_name", "email", "other"])


@given(st.dictionaries(_claim_names, _json, max_size=8))
def test_any_json_object_payload_decodes(payload):
    claims = decode_claims(make_token(payload))
    assert isinstance(claims.scopes, tuple)
    assert claims.expires_at is None or claims.expires_at.tzinfo is UTC


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
               max_size=80))
def test_jwt_shaped_strings_raise_only_claims_error(text):
    try:
        decode_claims(text)
    except ClaimsError:
        pass


def test_granted_vs_requested_ignores_case_prefix_and_oidc_scopes():
    result = granted_vs_requested(
        ["https://graph.microsoft.com/User.Read", "mail.read", "Sites.Read.All", "openid",
         "offline_access", "profile"],
        "User.Read Mail.Read Calendars.Read",
    )
    assert result.granted_requested == ("Mail.Read", "User.Read")
    assert result.missing == ("Sites.Read.All",)
    assert result.extra == ("Calendars.Read",)
    granted, missing, extra = result  # unpacks like the tuple it is
    assert missing == ("Sites.Read.All",)


def test_granted_vs_requested_other_cloud_and_app_id_prefix():
    result = granted_vs_requested(
        ["https://graph.microsoft.us/User.Read",
         "00000003-0000-0000-c000-000000000000/Mail.Send"],
        ("user.read", "mail.send"),
    )
    assert result.granted_requested == ("mail.send", "user.read")
    assert result.missing == () and result.extra == ()


def test_dot_default_is_never_missing_and_leaves_nothing_extra():
    result = granted_vs_requested(["https://graph.microsoft.com/.default"], "User.Read Mail.Read")
    assert result.missing == () and result.extra == ()
    assert result.granted_requested == ()


def test_nothing_granted_means_everything_missing():
    assert granted_vs_requested(["User.Read", "openid"], "").missing == ("User.Read",)


def test_normalise_scope():
    assert normalise_scope("  HTTPS://Graph.Microsoft.com/User.Read ") == "user.read"
    assert normalise_scope("https://example.com/api/x") == "https://example.com/api/x"


@given(st.lists(st.text(max_size=12), max_size=6), st.lists(st.text(max_size=12), max_size=6))
def test_comparison_partitions_the_scopes(requested, granted):
    result = granted_vs_requested(requested, granted)
    both = {normalise_scope(s) for s in result.granted_requested}
    assert both.isdisjoint(normalise_scope(s) for s in result.missing)
    assert both.isdisjoint(normalise_scope(s) for s in result.extra)
