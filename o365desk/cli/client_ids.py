"""The client ID a command was given, or the one in force (the IT policy's, settings.json's,
or the default)."""

from __future__ import annotations

import uuid

from o365desk.core import effective_settings


def client_id_or_default(raw: str | None) -> str:
    """The client ID given (a GUID, in its usual form), or the one in force when none is
    (a different one given under a policy that fixes it is refused when the connection is
    created, by the use case)."""
    if raw is None or not raw.strip():
        return effective_settings.load().client_id
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise ValueError(
            f'"{raw}" is not a client ID. A client ID is a GUID like '
            "14d82eec-204b-4c2f-b7e8-296a70dab67e, shown on the app registration's Overview page."
        ) from None
