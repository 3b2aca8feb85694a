"""Create, edit, rename and delete a saved connection."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from o365desk.core.connection import Connection
from o365desk.core.connection_rules import DESCRIPTION_MAX
from o365desk.services import Services

if TYPE_CHECKING:
    from o365desk.auth.results import SignInResult

log = logging.getLogger(__name__)

# Characters; a description is a note for people, not a document (the file's rule too).
MAX_DESCRIPTION = DESCRIPTION_MAX


@dataclasses.dataclass(frozen=True)
class EditResult:
    """A saved edit: the connection as stored, and the permissions it now asks for that its
    last sign-in did not (an empty tuple when no sign-in is needed to use them)."""

    connection: Connection
    needs_approval: tuple[str, ...]


def create(services: Services, draft: Connection,
           result: SignInResult | None = None) -> Connection:
    """Save a new connection, with the sign-in `result` when there is one.

    Either both are saved or neither: when recording the sign-in fails, the connection
    just added is removed again. The sign-in's tokens stay in the keychain, so the caller
    can save again with them (the wizard does) or remove them (the wizard's Cancel does).
    Without a result the connection is saved not signed in (to sign in later).
    Nothing is saved when the IT policy forbids the connection (core.policy).
    """
    description = clean_description(draft.description)
    if len(description) > MAX_DESCRIPTION:
        raise ValueError(_too_long(description))
    check_policy(draft)
    added = services.store.add(draft.replace(description=description))
    if result is None:
        return added
    try:
        return services.record_sign_in(added, result, add_if_missing=True)
    except BaseException:
        try:
            services.store.delete(added.id)  # nothing half-saved
        except Exception:  # the first failure is the one to report
            log.warning("could not remove the half-saved connection %s", added.id,
                        exc_info=True)
        raise


def check_policy(draft: Connection) -> None:
    """PolicyRefused (a ValueError) when the machine's IT policy forbids creating `draft`
    (its cloud, organisation, client ID or kind), or is damaged; read afresh each time."""
    from o365desk.core import policy

    policy.load().check(draft)


def edit(services: Services, connection_id: str, *, description: str | None = None,
         scopes: tuple[str, ...] | list[str] | None = None) -> EditResult:
    """Change a connection's description and/or the permissions it asks for.

    Only those fields change in the saved connection (a rename made meanwhile stays). A
    permission added to a signed-in connection works only after a new sign-in approves
    it: `EditResult.needs_approval` names those.
    """
    fields: dict = {}
    if description is not None:
        text = clean_description(description)
        if len(text) > MAX_DESCRIPTION:
            raise ValueError(_too_long(text))
        fields["description"] = text
    if scopes is not None:
        names = tuple(dict.fromkeys(s for s in scopes if s))
        if not names:
            raise ValueError("A connection needs at least one permission; keep one "
                             "(User.Read is enough to test it).")
        fields["scopes"] = names
        current = services.store.find(connection_id)
        if current.account is not None and current.approved_scopes is None:
            # Signed in by an o365desk that didn't record what it asked for: that was
            # the permissions before this edit.
            fields["approved_scopes"] = current.scopes
    if not fields:
        services.store.load()
        saved = services.store.find(connection_id)
    else:
        saved = services.store.patch(connection_id, **fields)
    return EditResult(saved, saved.awaiting_approval())


def clean_description(text: str) -> str:
    """A description as saved: line breaks kept, other control characters (which could
    rewrite a terminal or hide text) turned into spaces, no spaces around it."""
    kept = "".join(c if c == "\n" or c.isprintable() else " " for c in text)
    return "\n".join(line.rstrip() for line in kept.strip().splitlines())


def _too_long(text: str) -> str:
    return (f"The description is {len(text):,} characters long; keep it to "
            f"{MAX_DESCRIPTION:,} at most.")


def rename(services: Services, connection_id: str, nickname: str, *,
           wait: float | None = None) -> Connection:
    """Give a connection a new nickname (the store checks the nickname rules)."""
    return services.store.rename(connection_id, nickname, wait=wait)


def delete(services: Services, connection: Connection) -> int:
    """Remove the connection's keychain entries, then the connection; entries removed."""
    return services.delete_connection(connection)
