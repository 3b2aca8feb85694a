"""The one place that decides the secret backend.

open_vault() asks `keyring` for its backend (keyring honours PYTHON_KEYRING_BACKEND and
keyringrc.cfg itself) and refuses anything that is not a real keychain: keyring's "fail"
and "null" backends, every keyrings.alt backend (files; its "plaintext" one is base64),
any backend keyring does not recommend (priority < 1), and a chainer with nothing viable
in it. There is no silent plaintext fallback.

`keyring` is imported only inside functions: importing it costs ~80 ms of start-up.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from o365desk.storage.deadline import CallThread, Deadline, extend_current
from o365desk.storage.vault import (
    CALL_TIMEOUT,
    NO_KEYCHAIN_MESSAGE,
    NOT_ANSWERING_MESSAGE,
    Vault,
    VaultUnavailable,
    describe_exception,
)

# How long an unlock prompt of the Secret Service may wait for the user; the call that
# raised it fails with VaultUnavailable (locked) afterwards instead of hanging.
PROMPT_TIMEOUT_SECONDS = 60.0
# Time beyond an unlock prompt's own limit for the call that showed it to give up cleanly.
_PROMPT_MARGIN_SECONDS = 5.0

_SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
_CHAINER = "keyring.backends.chainer.ChainerBackend"
_NAMES = {
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
}


def open_vault(backend: Any = None, *, prompt_timeout: float = PROMPT_TIMEOUT_SECONDS,
               call_timeout: float = CALL_TIMEOUT) -> Vault:
    """The vault over the system keychain; VaultUnavailable when there is none fit for use.

    Without `backend`, keyring detects one afresh on every call, so "Retry" after starting
    or installing a keychain works without restarting the app. Slow (D-Bus, ~100 ms): keep
    it off the GUI thread. Each keychain call, the detection too, gives up after
    `call_timeout` seconds (an unlock prompt after `prompt_timeout`).
    """
    candidate = backend if backend is not None else _detect_in_time(call_timeout)
    chosen = choose_backend(candidate, prompt_timeout=prompt_timeout)
    return Vault(chosen, backend_name=describe_backend(chosen), call_timeout=call_timeout)


def choose_backend(candidate: Any, *, prompt_timeout: float = PROMPT_TIMEOUT_SECONDS) -> Any:
    """The backend to use for `candidate`, or VaultUnavailable if it must be refused."""
    if _CHAINER in _class_names(candidate):
        usable = [b for b in _chained(candidate) if not refusal(b)]
        if not usable:
            raise VaultUnavailable(
                NO_KEYCHAIN_MESSAGE,
                f"{_qualname(candidate)}: no viable keychain to chain "
                f"({', '.join(_qualname(b) for b in _chained(candidate)) or 'none'})",
            )
        # One store keeps chunked values whole; the best one is what the chainer writes to.
        candidate = max(usable, key=_priority)
    problem = refusal(candidate)
    if problem:
        if type(candidate).__module__ == "keyring.backends.fail":
            problem += _unviable_summary()
        raise VaultUnavailable(NO_KEYCHAIN_MESSAGE, problem)
    if type(candidate).__module__ + "." + type(candidate).__qualname__ == _SECRET_SERVICE:
        candidate = _with_prompt_timeout(candidate, prompt_timeout)
    return candidate


def refusal(backend: Any) -> str:
    """Why `backend` must not hold secrets, or "" if it may."""
    module = type(backend).__module__
    name = _qualname(backend)
    if module.startswith("keyrings.alt"):
        return (
            f"refused {name}: keyrings.alt keeps secrets in files "
            "(its 'plaintext' backend only base64-encodes them)"
        )
    if module == "keyring.backends.fail":
        return f"refused {name}: no keychain backend is available"
    if module == "keyring.backends.null":
        return f"refused {name}: it throws secrets away"
    try:
        priority = _priority(backend)
    except Exception as exc:  # keyring's way of saying "not viable here"
        return f"refused {name}: not usable here ({exc})"
    if priority < 1:
        return f"refused {name}: priority {priority:g}, keyring does not recommend it"
    return ""


def describe_backend(backend: Any) -> str:
    """A name a person recognises, e.g. "GNOME Keyring (Secret Service)"."""
    names = _class_names(backend)
    if _SECRET_SERVICE in names:
        desktop = os.environ.get("XDG_CURRENT_DESKTOP", "").lower()
        if os.environ.get("GNOME_KEYRING_CONTROL") or "gnome" in desktop:
            return "GNOME Keyring (Secret Service)"
        return "Secret Service"
    for name in names:
        if name in _NAMES:
            return _NAMES[name]
    if _CHAINER in names:
        try:
            chained = [describe_backend(b) for b in _chained(backend)]
        except Exception:
            chained = []
        return " + ".join(chained) if chained else "none"
    return _qualname(backend)


# --- helpers ----------------------------------------------------------------------------------


def _qualname(obj: Any) -> str:
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__}"


def _class_names(obj: Any) -> list[str]:
    return [f"{k.__module__}.{k.__qualname__}" for k in type(obj).__mro__]


def _priority(backend: Any) -> float:
    return type(backend).priority


def _chained(chainer: Any) -> list[Any]:
    return list(type(chainer).backends)


def _unviable_summary() -> str:
    """Why keyring's own keychain backends are not usable here, for the details."""
    try:
        from keyring.backend import KeyringBackend, get_all_keyring

        get_all_keyring()  # loads every backend module keyring knows of
    except Exception:  # pragma: no cover - only for the details
        return ""
    reasons = []
    for kind in sorted(KeyringBackend._classes, key=lambda k: (k.__module__, k.__qualname__)):
        if not kind.__module__.startswith("keyring.backends.") or kind.__module__ in (
            "keyring.backends.fail",
            "keyring.backends.null",
            "keyring.backends.chainer",
        ):
            continue
        try:
            kind.priority  # noqa: B018 - raises when not viable
        except Exception as exc:
            name = kind.__module__.removeprefix("keyring.backends.")
            reasons.append(f"{name}.{kind.__qualname__}: {exc}")
    return "; not usable: " + "; ".join(reasons) if reasons else ""


def _detect_in_time(timeout: float) -> Any:
    """_detect(), given up after `timeout` seconds (its thread is left to finish)."""
    calls = CallThread("o365desk-keychain-detect")
    job = calls.submit(_detect, deadline=Deadline(timeout))
    calls.stop()
    if not job.wait():
        raise VaultUnavailable(NOT_ANSWERING_MESSAGE,
                               f"keyring's detection of a keychain took over {timeout:g} s")
    return job.outcome()


def _detect() -> Any:
    """keyring's backend, detected afresh (env, then keyringrc.cfg, then best viable)."""
    try:
        import keyring
        import keyring.backend
        import keyring.core
    except ImportError as exc:  # pragma: no cover - keyring is a dependency
        raise VaultUnavailable(NO_KEYCHAIN_MESSAGE, f"cannot import keyring: {exc}") from exc
    forget_detected_backends()
    try:
        keyring.core.init_backend()
        return keyring.get_keyring()
    except Exception as exc:  # e.g. PYTHON_KEYRING_BACKEND names one that is not viable
        chosen = os.environ.get("PYTHON_KEYRING_BACKEND")
        source = f"PYTHON_KEYRING_BACKEND={chosen}" if chosen else "keyring's detection"
        detail = f"{source} failed: {describe_exception(exc)}"
        raise VaultUnavailable(NO_KEYCHAIN_MESSAGE, detail) from exc


def forget_detected_backends() -> None:
    """Make keyring look again which backends are viable (it remembers its first look)."""
    import keyring.backend

    reset = getattr(keyring.backend.get_all_keyring, "reset", None)
    if callable(reset):
        try:
            reset()
        except KeyError:  # nothing remembered yet
            pass


_timeout_class: type | None = None


def _with_prompt_timeout(backend: Any, timeout: float) -> Any:
    """The same Secret Service backend, whose unlock/create prompts give up after `timeout`."""
    guarded = _prompt_timeout_class()()
    vars(guarded).update(vars(backend))  # preferred_collection, scheme, KEYRING_PROPERTY_*
    guarded.prompt_timeout = timeout
    return guarded


def _prompt_timeout_class() -> type:
    """keyring's Secret Service backend with bounded prompts (built on first use).

    keyring unlocks a locked collection with `collection.unlock()`, which waits for the
    prompt's answer without a limit: on a desktop where nobody answers the dialog the
    call hangs forever (reproduced with a prompter that never answers). Headless, the
    prompter fails at once and keyring raises KeyringLocked / InitError("Prompt dismissed").
    """
    global _timeout_class
    if _timeout_class is not None:
        return _timeout_class

    import secretstorage
    from keyring.backend import KeyringBackend
    from keyring.backends import SecretService
    from keyring.errors import InitError, KeyringLocked, PasswordDeleteError
    from secretstorage.defines import SS_PATH, SS_PREFIX
    from secretstorage.exceptions import (
        ItemNotFoundException,
        PromptDismissedException,
        SecretStorageException,
    )
    from secretstorage.util import DBusAddressWrapper, exec_prompt, open_session

    def run_prompt(bus: Any, prompt: str, timeout: float) -> tuple[bool, Any]:
        # A person is asked: the call waits for the prompt's own limit, not the call's.
        extend_current(timeout + _PROMPT_MARGIN_SECONDS)
        try:
            return exec_prompt(bus, prompt, timeout=timeout)
        except TimeoutError as exc:
            try:  # take the unanswered dialog off the screen
                DBusAddressWrapper(prompt, SS_PREFIX + "Prompt", bus).call("Dismiss", "")
            except Exception:
                pass
            raise KeyringLocked(
                f"nobody answered the keychain's unlock prompt within {timeout:g} s"
            ) from exc

    def unlock(bus: Any, path: str, timeout: float) -> bool:
        """Unlock the object at `path`; True if it was unlocked."""
        service = DBusAddressWrapper(SS_PATH, SS_PREFIX + "Service", bus)
        _unlocked, prompt = service.call("Unlock", "ao", [path])
        if len(prompt) > 1:
            dismissed, _result = run_prompt(bus, prompt, timeout)
            return not dismissed
        return True

    def default_collection(bus: Any, timeout: float) -> Any:
        try:
            return secretstorage.Collection(bus)
        except ItemNotFoundException:
            pass
        service = DBusAddressWrapper(SS_PATH, SS_PREFIX + "Service", bus)
        label = {SS_PREFIX + "Collection.Label": ("s", "Default")}
        path, prompt = service.call("CreateCollection", "a{sv}s", label, "default")
        if len(path) > 1:
            return secretstorage.Collection(bus, path)
        dismissed, (_signature, path) = run_prompt(bus, prompt, timeout)
        if dismissed:
            raise PromptDismissedException("Prompt dismissed.")
        return secretstorage.Collection(bus, path)

    class PromptTimeoutSecretService(SecretService.Keyring):
        """keyring's Secret Service backend: prompts time out, failures close the bus, and
        inside batch() every call shares one D-Bus connection and one secret session
        (keyring opens both, with a Diffie-Hellman exchange, for every single entry)."""

        prompt_timeout = PROMPT_TIMEOUT_SECONDS

        def __init__(self) -> None:
            super().__init__()
            self._local = threading.local()

        def get_preferred_collection(self):
            bus = secretstorage.dbus_init()
            try:
                try:
                    if hasattr(self, "preferred_collection"):
                        collection = secretstorage.Collection(bus, self.preferred_collection)
                    else:
                        collection = default_collection(bus, self.prompt_timeout)
                except SecretStorageException as exc:
                    raise InitError(f"Failed to create the collection: {exc}.") from exc
                if collection.is_locked():
                    unlock(bus, collection.collection_path, self.prompt_timeout)
                    if collection.is_locked():  # prompt dismissed or failed
                        raise KeyringLocked("Failed to unlock the collection!")
                return collection
            except BaseException:
                bus.close()
                raise

        def unlock(self, item):
            if item.is_locked():
                unlock(item.connection, item.item_path, self.prompt_timeout)
                if item.is_locked():
                    raise KeyringLocked("Failed to unlock the item!")

        @contextlib.contextmanager
        def batch(self):
            """Share one unlocked collection, connection and session for the calls inside."""
            if getattr(self._local, "collection", None) is not None:
                yield  # nested
                return
            collection = self.get_preferred_collection()
            try:
                collection.session = open_session(collection.connection)
                self._local.collection = collection
                yield
            finally:
                self._local.collection = None
                collection.connection.close()

        def get_password(self, service, username):
            collection = getattr(self._local, "collection", None)
            if collection is None:
                return super().get_password(service, username)
            for item in collection.search_items(self._query(service, username)):
                self.unlock(item)
                return item.get_secret().decode("utf-8")
            return None

        def set_password(self, service, username, password):
            collection = getattr(self._local, "collection", None)
            if collection is None:
                return super().set_password(service, username, password)
            attributes = self._query(service, username, application=self.appid)
            label = f"Password for '{username}' on '{service}'"
            collection.create_item(label, attributes, password, replace=True)

        def usernames(self, service):
            """The username of every item of `service` (searched by its attributes, which
            the Secret Service shows without unlocking the items)."""
            collection = getattr(self._local, "collection", None)
            if collection is not None:
                return _usernames(collection, service)
            collection = self.get_preferred_collection()
            with contextlib.closing(collection.connection):
                return _usernames(collection, service)

        def delete_password(self, service, username):
            collection = getattr(self._local, "collection", None)
            if collection is None:
                return super().delete_password(service, username)
            for item in collection.search_items(self._query(service, username)):
                return item.delete()
            raise PasswordDeleteError("No such password!")

    def _usernames(collection: Any, service: str) -> list[str]:
        found = []
        for item in collection.search_items({"service": service}):
            name = item.get_attributes().get("username")
            if name:
                found.append(name)
        return found

    # Defining a backend registers it with keyring; this one must never be auto-selected.
    KeyringBackend._classes.discard(PromptTimeoutSecretService)
    _timeout_class = PromptTimeoutSecretService
    return _timeout_class
