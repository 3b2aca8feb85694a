"""The one notice the main window's actions give after a change to the saved connections."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from o365desk.core.connection import Connection


class ConnectionsChanged:
    """A change this window made to the saved connections (the file is as it left it).

    `saved`: a connection saved or changed, to show (and select, with `select`);
    `removed`: the id of one deleted. Neither: only "last used" or the like changed.
    """

    __slots__ = ("removed", "saved", "select")

    def __init__(self, saved: Connection | None = None, removed: str | None = None,
                 select: bool = True) -> None:
        self.saved = saved
        self.removed = removed
        self.select = select

    def __repr__(self) -> str:
        return (f"ConnectionsChanged(saved={self.saved and self.saved.id!r}, "
                f"removed={self.removed!r}, select={self.select!r})")
