"""The credential words live below the faces (core/credential_words.py): the CLI and the
window say the same, each with its own way to fix it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.core.credential_words import credential_warning, credential_words

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def _app(kind=CredentialType.SECRET, expires_at=None) -> Connection:
    return Connection(nickname="Daemon", tenant="contoso.com", kind=Kind.APP_ONLY,
                      credential=Credential(kind, expires_at=expires_at))


def test_words_and_warnings_with_either_fix():
    soon = _app(expires_at=NOW + timedelta(days=12, hours=1))
    assert credential_words(soon, NOW) == "secret expires in 12 days"
    assert credential_warning(soon, NOW).endswith(
        'run: o365desk credential "Daemon" --secret-stdin')
    window = credential_warning(soon, NOW, fix="choose Replace credential.")
    assert "secret expires in 12 days (on 2026-12-16)" in window
    assert window.endswith("choose Replace credential.")
    gone = _app(CredentialType.CERTIFICATE, NOW - timedelta(days=2))
    assert credential_words(gone, NOW) == "certificate expired on 2026-12-02"
    assert "Make a new certificate" in credential_warning(gone, NOW, fix="x")
    assert credential_warning(_app(expires_at=NOW + timedelta(days=40)), NOW) == ""


def test_the_cli_uses_the_same_words():
    from o365desk.cli import app_only
    from o365desk.cli.output import show_text

    assert app_only.credential_words is credential_words
    app = _app(expires_at=datetime.now(UTC) + timedelta(days=12, hours=1))
    text = show_text(app)
    assert "secret expires in 12 days" in text
    assert credential_warning(app) in text
