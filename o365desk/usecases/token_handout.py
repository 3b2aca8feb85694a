"""Hand a connection's access token to a script, and note in the log who got it.

The command line (`o365desk token`) and the Python credential (o365desk/credential.py)
both come here, so every token that leaves o365desk is logged the same way: which
connection, which process, in which form; never the token itself.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from o365desk.core.connection import Connection, Kind
from o365desk.core.text import visible
from o365desk.services import Services

if TYPE_CHECKING:
    from o365desk.auth.results import SignInResult

log = logging.getLogger(__name__)

# The forms a token is handed out in (the log says which).
FORMS = ("plain", "az", "json", "credential")


@dataclass(frozen=True)
class HandedOut:
    """A token handed out, with what scripts are told about it (the token not in repr)."""

    connection: Connection
    result: SignInResult

    @property
    def access_token(self) -> str:
        return self.result.access_token

    @property
    def expires_on(self) -> int:
        """When the token expires, in Unix seconds."""
        return int(self.result.expires_at.timestamp())

    @property
    def tenant_id(self) -> str | None:
        """The organisation's ID (a GUID) the token was issued in: the token's own `tid`,
        else the signed-in account's, else the connection's tenant when it is a GUID."""
        from o365desk.core.tenant import is_guid

        claims = self.result.claims
        account = self.connection.account
        for candidate in (claims.tenant_id if claims else None,
                          self.result.account.tenant_id,
                          account.tenant_id if account else None,
                          self.connection.tenant):
            if isinstance(candidate, str) and is_guid(candidate):
                return candidate.lower()
        return None

    @property
    def granted(self) -> tuple[str, ...]:
        """The Graph permissions the token carries: scopes (delegated) or roles (app only)."""
        if self.result.granted:
            return self.result.granted
        return self.result.claims.scopes if self.result.claims else ()


def program_name() -> str:
    """What the process calls itself: its script or program (argv[0]), else Python."""
    argv = getattr(sys, "argv", None) or []
    first = argv[0] if argv and isinstance(argv[0], str) else ""
    return os.path.basename(first) or os.path.basename(sys.executable or "") or "python"


def hand_out(services: Services, connection: Connection, form: str, *,
             program: str, scopes: Sequence[str] | None = None,
             check: Callable[[HandedOut], None] | None = None) -> HandedOut:
    """A fresh access token for `connection` (no prompt), logged as handed out to this
    process as `program` in `form` (one of FORMS).

    Raises the sign-in's SignInError when the saved sign-in can't give one, and whatever
    `check` raises when it refuses the token it is shown: nothing is logged as handed out
    then.
    """
    from o365desk.usecases.signin import access_token

    if form not in FORMS:
        raise ValueError(f"unknown token form {form!r}")
    result = access_token(services, connection, scopes)
    handed = HandedOut(connection, result)
    if check is not None:
        check(handed)
    log.info('token handed out: connection "%s" (%s, %s), to process %d (%s, started by '
             "process %d), as %s, expires %s", visible(connection.nickname), connection.id,
             "app only" if connection.kind == Kind.APP_ONLY else "delegated", os.getpid(),
             visible(program), os.getppid(), form, result.expires_at.isoformat())
    return handed
