"""Connection.to_dict / from_dict: every field round-trips, and bad data raises FormatError."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365desk.core.clouds import Cloud
from o365desk.core.connection import (
    Account,
    Connection,
    Credential,
    CredentialType,
    FormatError,
    Kind,
)

# Offsets to the minute, as people's clocks have them; the stored form keeps the instant.
_zones = st.one_of(
    st.just(UTC),
    st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m))),
)
aware_times = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=_zones
)
accounts = st.builds(Account, username=st.text(), home_account_id=st.text(), tenant_id=st.text())


def connections(nicknames: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Connection]:
    """Any connection the domain can hold (shared with the store tests)."""
    return st.builds(
        Connection,
        nickname=st.text() if nicknames is None else nicknames,
        id=st.uuids().map(str),
        description=st.text(),
        tenant=st.text(),
        cloud=st.sampled_from(Cloud),
        client_id=st.text(),
        authority=st.none() | st.text(),
        kind=st.sampled_from(Kind),
        scopes=st.lists(st.text(), max_size=5).map(tuple),
        account=st.none() | accounts,
        created_at=aware_times,
        last_used_at=st.none() | aware_times,
        expires_at=st.none() | aware_times,
    )


def usable_connections(nicknames: st.SearchStrategy[str]) -> st.SearchStrategy[Connection]:
    """Connections whose every value passes core.connection_rules (the store saves only
    those), with free text anywhere the rules allow it."""
    return st.builds(
        Connection,
        nickname=nicknames,
        id=st.uuids().map(str),
        description=st.text(max_size=50),
        tenant=st.sampled_from(["organizations", "contoso.com", "xn--bcher-kva.example",
                                "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"]),
        cloud=st.just(Cloud.GLOBAL),
        client_id=st.uuids().map(str),
        authority=st.none() | st.sampled_from(["https://login.microsoftonline.com/contoso.com",
                                               "https://adfs.contoso.com:8443/adfs"]),
        kind=st.sampled_from(Kind),
        scopes=st.lists(st.text(max_size=20), max_size=5).map(tuple),
        account=st.none() | accounts,
        created_at=aware_times,
        last_used_at=st.none() | aware_times,
        expires_at=st.none() | aware_times,
        credential=st.builds(Credential, type=st.just(CredentialType.SECRET),
                             expires_at=st.none() | aware_times),
    ).map(_kind_rules)


def _kind_rules(connection: Connection) -> Connection:
    """An app-only connection names one organisation and keeps its credential's facts; a
    delegated one has no credential (core.connection_rules)."""
    if connection.kind != Kind.APP_ONLY:
        return connection.replace(credential=None)
    if connection.tenant == "organizations":
        return connection.replace(tenant="contoso.com")
    return connection


@given(connections())
def test_round_trip(connection: Connection) -> None:
    assert Connection.from_dict(connection.to_dict()) == connection


@given(connections())
def test_round_trip_through_json_text(connection: Connection) -> None:
    text = json.dumps(connection.to_dict(), ensure_ascii=False)
    assert Connection.from_dict(json.loads(text)) == connection


def test_times_are_stored_in_utc_with_z() -> None:
    when = datetime(2026, 11, 27, 7, 15, tzinfo=UTC)
    data = Connection(nickname="a", created_at=when, last_used_at=when).to_dict()
    assert data["created_at"] == data["last_used_at"] == "2026-11-27T07:15:00Z"
    assert data["expires_at"] is None


def test_upper_case_id_is_read_in_canonical_form() -> None:
    data = Connection(nickname="a").to_dict()
    data["id"] = data["id"].upper()
    assert Connection.from_dict(data).id == data["id"].lower()


def test_unknown_fields_are_ignored() -> None:
    data = Connection(nickname="a").to_dict() | {"colour": "teal", "extra": {"x": 1}}
    assert Connection.from_dict(data).nickname == "a"


def _valid() -> dict:
    return Connection(
        nickname="Contoso",
        account=Account("admin@contoso.com", "uid.utid", "tid"),
        scopes=("User.Read",),
    ).to_dict()


def _without(key: str) -> dict:
    data = _valid()
    del data[key]
    return data


def _with(**changes) -> dict:
    return _valid() | changes


@pytest.mark.parametrize(
    "data",
    [
        pytest.param([], id="not-an-object"),
        pytest.param("connection", id="a-string"),
        pytest.param(None, id="null"),
        pytest.param(_without("id"), id="id-missing"),
        pytest.param(_with(id="not-a-uuid"), id="id-not-uuid"),
        pytest.param(_with(id=12), id="id-number"),
        pytest.param(_without("nickname"), id="nickname-missing"),
        pytest.param(_with(nickname=42), id="nickname-number"),
        pytest.param(_with(nickname=True), id="nickname-bool"),
        pytest.param(_with(nickname=None), id="nickname-null"),
        pytest.param(_with(tenant=["contoso"]), id="tenant-list"),
        pytest.param(_without("client_id"), id="client-id-missing"),
        pytest.param(_with(cloud="mars"), id="cloud-unknown"),
        pytest.param(_with(cloud=1), id="cloud-number"),
        pytest.param(_with(kind="sideways"), id="kind-unknown"),
        pytest.param(_with(description=5), id="description-number"),
        pytest.param(_with(authority=5), id="authority-number"),
        pytest.param(_with(scopes="User.Read"), id="scopes-string"),
        pytest.param(_with(scopes=["User.Read", 7]), id="scopes-holds-number"),
        pytest.param(_with(account=["admin"]), id="account-list"),
        pytest.param(_with(account={"username": "a", "tenant_id": "t"}), id="account-incomplete"),
        pytest.param(_with(created_at="yesterday"), id="created-not-a-time"),
        pytest.param(_with(created_at=1700000000), id="created-number"),
        pytest.param(_with(expires_at=False), id="expires-bool"),
    ],
)
def test_wrong_types_raise_format_error(data) -> None:
    with pytest.raises(FormatError):
        Connection.from_dict(data)


def test_format_error_is_a_value_error_naming_the_field() -> None:
    with pytest.raises(ValueError, match="nickname"):
        Connection.from_dict(_with(nickname=42))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.sampled_from(sorted(_valid())), _json)
def test_any_value_in_any_field_gives_a_connection_or_format_error(key: str, value) -> None:
    try:
        Connection.from_dict(_with(**{key: value}))
    except FormatError:
        pass


@given(_json)
def test_any_json_gives_a_connection_or_format_error(value) -> None:
    try:
        Connection.from_dict(value)
    except FormatError:
        pass
