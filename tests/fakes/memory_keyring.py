"""An in-memory keyring backend that behaves like the strict real ones.

- Refuses (PasswordSetError) a value whose UTF-16-LE encoding exceeds 2,560 bytes, as
  Windows Credential Manager does (error 1783).
- Raises PasswordDeleteError when deleting an entry that is not there.
- `locked = True`: every call raises KeyringLocked, like a Secret Service whose unlock
  prompt was dismissed.
- `crash_after_writes = n`: the n+1-th mutating call (set or delete) raises SimulatedCrash
  before it takes effect, like the process being killed there; `writes` counts them.
- `truncate_to = n`: every value is silently cut to its first n characters when stored,
  like a keychain with a smaller limit that doesn't say so.
- `garbage = True`: reads give back something other than what was stored (the value
  reversed), like a keychain that hands back another item's secret or mangles it.
- `hang = predicate(operation, username)`: a call it is true for waits until `answer` is
  set, like a stopped or hung keychain daemon (`hung` is set while one waits).
- `entries` is the store itself: {(service, username): password}.

Never auto-selected by keyring (it is not "viable"); use it by injecting an instance.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError

WINDOWS_LIMIT_BYTES = 2560


class SimulatedCrash(BaseException):  # a kill, not an error the app may handle
    """The process "died" in the middle of a keychain write."""


class MemoryKeyring(KeyringBackend):
    """Dict-backed keyring with Windows' size limit and switches for failures."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable: keyring never picks it on its own, so it can't leak into detection.
        raise RuntimeError("MemoryKeyring is for tests; inject an instance")

    def __init__(self, entries: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = dict(entries or {})
        self.locked = False
        self.truncate_to: int | None = None
        self.hang: Callable[[str, str], bool] | None = None
        self.answer = threading.Event()
        self.hung = threading.Event()
        self.garbage = False
        self.crash_after_writes: int | None = None
        self.writes = 0
        self.calls: list[tuple[str, str]] = []  # (operation, username), in order

    # --- switches -----------------------------------------------------------------------------

    def _wait_if_hung(self, operation: str, username: str) -> None:
        if self.hang is not None and self.hang(operation, username):
            self.hung.set()
            self.answer.wait()

    def _enter(self, operation: str, username: str) -> None:
        self._wait_if_hung(operation, username)
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")
        if operation != "get":
            if self.crash_after_writes is not None and self.writes >= self.crash_after_writes:
                raise SimulatedCrash(f"killed before {operation} of {username!r}")
            self.writes += 1
        self.calls.append((operation, username))

    # --- the keyring API ----------------------------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        self._enter("get", username)
        value = self.entries.get((service, username))
        if self.garbage and value is not None:
            return value[::-1]
        return value

    def set_password(self, service: str, username: str, password: str) -> None:
        self._enter("set", username)
        size = len(password.encode("utf-16-le"))
        if size > WINDOWS_LIMIT_BYTES:
            raise PasswordSetError(
                f"(1783, 'CredWrite', 'The stub received bad data.') "
                f"[{size} bytes > {WINDOWS_LIMIT_BYTES}]"
            )
        if self.truncate_to is not None:
            password = password[: self.truncate_to]
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._enter("delete", username)
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError("No such password!") from None

    def usernames(self, service: str | None = None) -> set[str]:
        """Every stored username (of `service`): the listing the vault uses where a
        backend offers one. `hang` applies, as the operation "list"."""
        self._wait_if_hung("list", "")
        return {u for (s, u) in self.entries if service is None or s == service}

    # --- for tests ----------------------------------------------------------------------------

    def copy(self) -> MemoryKeyring:
        """A fresh backend holding the same entries (a "restarted process")."""
        return MemoryKeyring(self.entries)
