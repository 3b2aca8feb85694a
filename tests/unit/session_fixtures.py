"""Fixtures for sign-in tests (a pytest plugin): the fake trusted, a memory vault, sessions."""

from __future__ import annotations

import pytest

from o365desk.auth.session import ConnectionSession
from o365desk.core.connection import Connection
from o365desk.storage.vault import Vault
from tests.fakes.memory_keyring import MemoryKeyring
from tests.unit.session_kit import make_connection, sign_in


@pytest.fixture
def trust_fake(fake_identity, monkeypatch):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    return fake_identity


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def vault(keyring) -> Vault:
    return Vault(keyring)


@pytest.fixture
def connection(fake_identity) -> Connection:
    return make_connection(fake_identity)


@pytest.fixture
def sessions(vault, trust_fake):
    """Factory: sessions(connection=None, **kwargs) -> ConnectionSession, closed afterwards."""
    made: list[ConnectionSession] = []

    def make(connection: Connection | None = None, **kwargs) -> ConnectionSession:
        made.append(ConnectionSession(connection or make_connection(trust_fake), vault,
                                      **kwargs))
        return made[-1]

    yield make
    for session in made:
        session.close()


@pytest.fixture
def session(sessions, connection) -> ConnectionSession:
    return sessions(connection)


@pytest.fixture
def signed_in(fake_identity, session):
    """The sign-in result of `session` after an embedded (auth code) sign-in."""
    return sign_in(fake_identity, session)
