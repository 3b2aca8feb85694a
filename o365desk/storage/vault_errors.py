"""What the vault says when the keychain fails: its errors and their plain messages."""

from __future__ import annotations

from typing import Any

# Each kind of keychain trouble: a headline (a title, or the start of a sentence) and the
# message, which says what happened and what to do. The messages are what str(error) is.
NO_KEYCHAIN_HEADLINE = "No keychain was found"
LOCKED_HEADLINE = "The keychain is locked"
REFUSED_HEADLINE = "The keychain refused to save the sign-in"
FAILED_HEADLINE = "The keychain isn't answering"
BUSY_HEADLINE = "The keychain is in use"
CORRUPT_HEADLINE = "The saved sign-in is damaged"
TOO_LARGE_HEADLINE = "The sign-in is too large to keep"
NOT_KEPT_HEADLINE = "The keychain did not keep the sign-in intact"
NOT_ANSWERING_HEADLINE = "The keychain is not answering"
OTHER_HEADLINE = "The keychain could not be used"

NO_KEYCHAIN_ADVICE = (
    "On Linux, start GNOME Keyring or KWallet (most desktops start one when you log in), "
    "then try again. Without a desktop session, for example as root in a terminal, there "
    'is none: the README says how to start one, under "No keychain".'
)
LOCKED_ADVICE = (
    "Unlock it (on Linux: open Passwords and Keys, or log out and in again), then try again."
)

REFUSED_ADVICE = (
    "Make sure it is unlocked, then try again; if it keeps happening, send the details to "
    "your IT support."
)
FAILED_ADVICE = (
    "Make sure it is running and unlocked, then try again; if it keeps happening, send the "
    "details to your IT support."
)

LOCKED_MESSAGE = f"{LOCKED_HEADLINE}. {LOCKED_ADVICE}"
NO_KEYCHAIN_MESSAGE = (
    f"{NO_KEYCHAIN_HEADLINE} on this computer, and o365desk keeps sign-ins nowhere else. "
    f"{NO_KEYCHAIN_ADVICE}"
)
REFUSED_MESSAGE = f"{REFUSED_HEADLINE}. {REFUSED_ADVICE}"
FAILED_MESSAGE = f"{FAILED_HEADLINE} as it should. {FAILED_ADVICE}"
BUSY_MESSAGE = (
    "Another o365desk window or command is using the keychain. Try again in a moment."
)
CORRUPT_MESSAGE = "The saved sign-in for this connection is damaged; sign in again to replace it."
TOO_LARGE_ADVICE = (
    "Nothing of it was saved, and the sign-in saved before is kept. Try again; if it keeps "
    "happening, send the details to your IT support."
)
TOO_LARGE_MESSAGE = (
    f"{TOO_LARGE_HEADLINE} in the keychain: it is over 1 MB, where a usual one takes a few "
    f"kB. {TOO_LARGE_ADVICE}"
)

NOT_KEPT_ADVICE = (
    "Sign in again; if it keeps happening, this keychain can't hold sign-ins safely: send "
    "the details to your IT support."
)
NOT_KEPT_MESSAGE = (
    f"{NOT_KEPT_HEADLINE}: what it gave back was not what o365desk saved, so the sign-in "
    f"can't be used. {NOT_KEPT_ADVICE}"
)

NOT_ANSWERING_ADVICE = (
    "Unlock it, or restart it (on Linux, logging out and in again restarts it), then try "
    "again; if it keeps happening, send the details to your IT support."
)
NOT_ANSWERING_MESSAGE = (
    f"{NOT_ANSWERING_HEADLINE}: o365desk asked it, but it gave no answer in time. "
    f"{NOT_ANSWERING_ADVICE}"
)

_KINDS = {  # message: (headline, what to do)
    NO_KEYCHAIN_MESSAGE: (NO_KEYCHAIN_HEADLINE, NO_KEYCHAIN_ADVICE),
    LOCKED_MESSAGE: (LOCKED_HEADLINE, LOCKED_ADVICE),
    REFUSED_MESSAGE: (REFUSED_HEADLINE, REFUSED_ADVICE),
    FAILED_MESSAGE: (FAILED_HEADLINE, FAILED_ADVICE),
    BUSY_MESSAGE: (BUSY_HEADLINE, BUSY_MESSAGE),
    CORRUPT_MESSAGE: (CORRUPT_HEADLINE, CORRUPT_MESSAGE),
    TOO_LARGE_MESSAGE: (TOO_LARGE_HEADLINE, TOO_LARGE_ADVICE),
    NOT_KEPT_MESSAGE: (NOT_KEPT_HEADLINE, NOT_KEPT_ADVICE),
    NOT_ANSWERING_MESSAGE: (NOT_ANSWERING_HEADLINE, NOT_ANSWERING_ADVICE),
}


def headline(message: str) -> str:
    """The short name of the trouble a vault message describes ("No keychain was found")."""
    return _KINDS.get(message, (OTHER_HEADLINE, message))[0]


def advice(message: str) -> str:
    """What to do about the trouble a vault message describes (the message if unknown)."""
    return _KINDS.get(message, (OTHER_HEADLINE, message))[1]


class VaultError(Exception):
    """A keychain operation failed; str(error) says what to do, `detail` holds the raw error."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def headline(self) -> str:
        return headline(str(self))


class VaultUnavailable(VaultError):
    """The keychain is missing, locked or refusing."""


class VaultCorrupt(VaultError):
    """A stored value is incomplete or does not match its manifest."""


class VaultTooLarge(VaultError):
    """A value over MAX_VALUE_BYTES was refused before anything was written."""

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
