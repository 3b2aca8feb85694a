"""What the vault says when the keychain fails: its errors and their plain messages."""

from __future__ import annotations

from typing import Any

LOCKED_MESSAGE = (
    "The keychain is locked. Unlock it (on Linux: open Passwords and Keys, or log out "
    "and in again), then try again."
)
NO_KEYCHAIN_MESSAGE = (
    "No keychain was found on this computer. On Linux install and start GNOME Keyring "
    "or KWallet, then try again. o365desk does not keep sign-ins anywhere else."
)
REFUSED_MESSAGE = (
    "The keychain refused to save the sign-in. Make sure it is unlocked, then try "
    "again; if it keeps happening, send the details to your IT support."
)
FAILED_MESSAGE = (
    "The keychain did not answer as expected. Make sure it is running and unlocked, then "
    "try again; if it keeps happening, send the details to your IT support."
)
BUSY_MESSAGE = (
    "Another o365desk window or command is using the keychain. Try again in a moment."
)
CORRUPT_MESSAGE = "The saved sign-in for this connection is damaged; sign in again to replace it."


class VaultError(Exception):
    """A keychain operation failed; str(error) says what to do, `detail` holds the raw error."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class VaultUnavailable(VaultError):
    """The keychain is missing, locked or refusing."""


class VaultCorrupt(VaultError):
    """A stored value is incomplete or does not match its manifest."""

def describe_exception(exc: BaseException) -> str:
    parts = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {current}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)


def unavailable_from(exc: BaseException, backend: Any = None) -> VaultUnavailable:
    """The plain-language VaultUnavailable for an error a keychain backend raised."""
    detail = describe_exception(exc)
    text = detail.lower()
    if backend is not None:
        kind = type(backend)
        detail += f" [backend {kind.__module__}.{kind.__qualname__}]"
    names = {f"{k.__module__}.{k.__qualname__}" for k in type(exc).__mro__}

    if (
        "keyring.errors.KeyringLocked" in names
        or "secretstorage.exceptions.LockedException" in names
        or "dismissed" in text
        or "locked" in text
    ):
        message = LOCKED_MESSAGE
    elif (
        "keyring.errors.NoKeyringError" in names
        or "keyring.errors.InitError" in names
        or "secretstorage.exceptions.SecretServiceNotAvailableException" in names
        or "not available" in text
        or "no recommended backend" in text
    ):
        message = NO_KEYCHAIN_MESSAGE
    elif "keyring.errors.PasswordSetError" in names:
        message = REFUSED_MESSAGE
    else:
        message = FAILED_MESSAGE
    return VaultUnavailable(message, detail)
