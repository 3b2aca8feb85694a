"""Connection ids: UUIDs in their stored form (lower case, with hyphens)."""

from __future__ import annotations

import re

# Stored ids are almost always in this form already; recognising it here keeps `uuid`
# (which imports `platform`, ~3 ms) out of the window's start-up.
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_uuid(text: str) -> str:
    """`text` as str(uuid.UUID(text)) gives it; ValueError if it is not a UUID."""
    if _CANONICAL.fullmatch(text):
        return text
    import uuid

    return str(uuid.UUID(text))


def new_uuid() -> str:
    """A new random id."""
    import uuid

    return str(uuid.uuid4())
