"""One sign-in's session, result and clean-up: for the New connection wizard and for Sign in
again alike, so the two can't handle a cancelled or repeated sign-in differently."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from o365desk.core.connection import Connection
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner

log = logging.getLogger(__name__)
T = TypeVar("T")


class SignInFlow(QObject):
    """Owns the session a sign-in runs in, what it returned, and the discard step.

    A new connection (`new_connection=True`) exists only in its wizard until it is saved:
    each attempt starts from a fresh session, and whatever an earlier attempt saved in the
    keychain (under the draft's id) is removed by a new attempt, by Back and by Cancel.
    A saved connection keeps the sign-in it has until a new one succeeds: discarding only
    forgets the result.
    """

    def __init__(self, services: Services, draft: Callable[[], Connection], *,
                 new_connection: bool, redirect_uri: Callable[[], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.draft = draft
        self.new_connection = new_connection
        self._redirect_uri = redirect_uri
        self.runner = TaskRunner(self)
        self.session: Any = None  # auth.session.ConnectionSession, once signing in
        self.result: Any = None  # auth.session.SignInResult, once signed in
        self._inflight: set[asyncio.Future] = set()
        self._removal: asyncio.Future | None = None  # the last discard's sign-out

    @property
    def busy(self) -> bool:
        """Whether a blocking call is running: one that may still save tokens, or the
        removal of an earlier attempt's."""
        return bool(self._inflight)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking call in a worker thread; discarding waits for it.

        A worker thread can't be stopped half-way: if a sign-in finishes after Cancel, its
        tokens must still be removed, so the discard step waits for every call running.
        """
        return await asyncio.shield(self._start(fn, *args))

    def _start(self, fn: Callable[..., T], *args: Any) -> asyncio.Future:
        future = asyncio.ensure_future(asyncio.to_thread(fn, *args))
        self._inflight.add(future)
        future.add_done_callback(self._inflight.discard)
        return future

    async def new_session(self) -> Any:
        """The session for the next attempt (an earlier attempt's tokens removed first,
        for a new connection)."""
        if self.new_connection:
            await self.discard()
        session = await self.call(self.services.session_for, self.draft())
        if self._redirect_uri is not None:
            session.redirect_uri = self._redirect_uri()
        self.session = session
        return session

    def abandon(self) -> None:
        """Cancel: from now on, a call still running saves nothing (a new connection's)."""
        if self.new_connection and self.session is not None:
            self.session.abandon()

    async def discard(self) -> None:
        """Forget the result; for a new connection also remove what the sign-in saved."""
        self.result = None
        if not self.new_connection:
            return
        session, self.session = self.session, None
        if session is None:
            # An earlier discard may still be removing its session: until that is dropped,
            # the next attempt would be handed the abandoned session, which saves nothing.
            if self._removal is not None:
                await asyncio.gather(self._removal, return_exceptions=True)
            return
        session.abandon()  # a call still running saves nothing
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        self._removal = self._start(_sign_out, self.services, session)
        try:
            await asyncio.shield(self._removal)
        except Exception:  # the keychain refused: nothing more we can do from here
            log.warning("could not remove the tokens of an unsaved sign-in", exc_info=True)

    def has_unsaved_sign_in(self) -> bool:
        """Whether a new connection's sign-in may have left tokens that Cancel must remove."""
        return self.new_connection and (self.session is not None or self.busy)


def _sign_out(services: Services, session: Any) -> None:
    """Remove an unsaved sign-in's tokens (and accounts) and forget its session."""
    try:
        session.sign_out()
    finally:
        services.drop_session(session.connection.id)
        session.close()
