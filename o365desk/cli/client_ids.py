"""The client ID a command was given, or the one settings.json presets."""

from __future__ import annotations

import uuid

from o365desk.core import settings as app_settings


def client_id_or_default(raw: str | None) -> str:
    """The client ID given (a GUID, in its usual form), or the settings' one when none is."""
    if raw is None or not raw.strip():
        return app_settings.load().client_id
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise ValueError(
            f'"{raw}" is not a client ID. A client ID is a GUID like '
            "14d82eec-204b-4c2f-b7e8-296a70dab67e, shown on the app registration's Overview page."
        ) from None
