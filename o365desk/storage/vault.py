"""Keychain vault: secrets keyed by connection UUID, large values chunked by generation.

Entries (keyring "username"s under service SERVICE):

    {connection_id}/{name}                        the manifest (small JSON, always present
                                                  while a value is stored)
    {connection_id}/{name}/{generation}/{index}   chunk `index` of a large value

Manifest (version 1), at most ENTRY_LIMIT_BYTES as UTF-16-LE like every entry:

    {"v": 1, "value": "..."}                          small value, inline
    {"v": 1, "gen": "<16 hex>", "chunks": N,
     "sha256": "<hex of the UTF-8 value>"}            large value in N chunks of generation gen
    {"v": 1}                                          no value (only while writing/deleting)

plus optional "pending": [gen] (a generation being written, not yet current) and
"stale": [gen] (a generation no longer current whose chunks may remain). Every generation
whose chunks may exist in the keychain is named by the manifest, so leftovers of a crash
are found without enumerating the keychain (keyring can't). Chunks of a generation are
written in index order and deleted in reverse, so those that exist are always indexes
0..k-1 and probing upward finds them all.

`keyring` is not imported here at module level: importing it costs ~80 ms of start-up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from o365desk.core import paths
from o365desk.core.ids import canonical_uuid
from o365desk.storage.vault_errors import (  # noqa: F401 (the vault's public names)
    BUSY_MESSAGE,
    CORRUPT_MESSAGE,
    FAILED_MESSAGE,
    LOCKED_MESSAGE,
    NO_KEYCHAIN_MESSAGE,
    REFUSED_MESSAGE,
    VaultCorrupt,
    VaultError,
    VaultUnavailable,
    describe_exception,
    unavailable_from,
)

log = logging.getLogger(__name__)

SERVICE = "o365desk"
# Seconds another process may hold the keychain: longer than a keychain unlock prompt
# waits for its answer (keychain.PROMPT_TIMEOUT_SECONDS), so a second o365desk waits for
# the person rather than saying "busy" while the first one asks.
LOCK_TIMEOUT = 75.0
MSAL_CACHE = "msal-cache"
SECRET_NAMES = (MSAL_CACHE,)
ENTRY_LIMIT_BYTES = 2560  # Windows Credential Manager: CRED_MAX_CREDENTIAL_BLOB_SIZE, UTF-16-LE

MANIFEST_VERSION = 1
_GEN_BYTES = 8  # a generation is 16 random hex digits
_GEN_SAMPLE = "f" * (2 * _GEN_BYTES)
PROBE_KEY = "vault-check"  # check() reads this; never written, never a UUID

# --- sizes ------------------------------------------------------------------------------------


def entry_cost(text: str) -> int:
    """Bytes `text` takes as Windows Credential Manager stores it (UTF-16-LE)."""
    return 2 * len(text) + 2 * sum(1 for ch in text if ord(ch) > 0xFFFF) if text else 0


def split_chunks(value: str, limit: int = ENTRY_LIMIT_BYTES) -> list[str]:
    """Split `value` into pieces of at most `limit` UTF-16-LE bytes, never inside a character."""
    if not value:
        return []
    if max(value) <= "\uffff":  # BMP only: every character costs 2 bytes
        step = limit // 2
        return [value[i : i + step] for i in range(0, len(value), step)]
    chunks: list[str] = []
    start = cost = 0
    for i, ch in enumerate(value):
        size = 4 if ord(ch) > 0xFFFF else 2
        if cost + size > limit:
            chunks.append(value[start:i])
            start, cost = i, 0
        cost += size
    chunks.append(value[start:])
    return chunks


def fits_inline(value: str) -> bool:
    """Whether `value` is kept in its manifest: with room left for the bookkeeping a later
    write adds to that manifest (a pending and a stale generation), so it still fits."""
    if len(value) > ENTRY_LIMIT_BYTES // 2:
        return False
    worst = {
        "v": MANIFEST_VERSION,
        "value": value,
        "pending": [_GEN_SAMPLE],
        "stale": [_GEN_SAMPLE],
    }
    return entry_cost(_dump(worst)) <= ENTRY_LIMIT_BYTES


def _digest(value: str) -> str:
    import hashlib  # here: OpenSSL takes ~2 ms to load, and the window starts without it

    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _dump(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))


def _new_generation() -> str:
    return os.urandom(_GEN_BYTES).hex()


def _is_missing_on_delete(exc: BaseException) -> bool:
    from keyring.errors import PasswordDeleteError

    return isinstance(exc, PasswordDeleteError)


# --- the vault --------------------------------------------------------------------------------


class Vault:
    """Secrets of connections in one keychain backend (a keyring KeyringBackend).

    Every backend failure surfaces as VaultUnavailable (plain message, raw error in
    `detail`); a damaged value as VaultCorrupt. Calls block on the keychain: keep them off
    the GUI thread. Calls are serialised, within the process and, through a lock file
    beside connections.json, with every other o365desk process: one writing a value
    while another cleans up its chunks would otherwise destroy both.
    """

    def __init__(self, backend: Any, service: str = SERVICE,
                 lock_path: Path | None = None, *, backend_name: str | None = None) -> None:
        self.backend = backend
        # What people call the backend (keychain.describe_backend, given by open_vault).
        kind = type(backend)
        self._backend_name = backend_name or f"{kind.__module__}.{kind.__qualname__}"
        self.service = service
        self.lock_path = lock_path
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"Vault({self.backend_name!r}, service={self.service!r})"

    @property
    def backend_name(self) -> str:
        return self._backend_name

    @contextlib.contextmanager
    def _operation(self) -> Iterator[None]:
        """One vault operation: serialised, and inside the backend's batch() if it has one
        (the Secret Service backend then reuses one connection for all entries)."""
        with self._lock, contextlib.ExitStack() as stack:
            self._hold_process_lock(stack)
            batch = getattr(self.backend, "batch", None)
            if batch is not None:
                try:
                    stack.enter_context(batch())
                except Exception as exc:
                    raise unavailable_from(exc, self.backend) from exc
            yield

    def _hold_process_lock(self, stack: contextlib.ExitStack) -> None:
        # Imported here: filelock costs ~30 ms to import, and the window starts without it.
        from filelock import FileLock, Timeout

        path = self.lock_path or paths.config_dir() / "vault.lock"
        try:
            paths.make_private_dir(path.parent)
            lock = FileLock(str(path), timeout=LOCK_TIMEOUT, mode=0o600)
            stack.enter_context(lock)
        except Timeout:
            raise VaultError(BUSY_MESSAGE, f"{path}: held for over {LOCK_TIMEOUT:.0f} s") \
                from None
        except OSError as exc:  # a read-only config folder: go on, as one process would
            log.warning("keychain lock %s unavailable (%s); not coordinating with other "
                        "o365desk processes", path, exc)

    # --- public -------------------------------------------------------------------------------

    def check(self) -> None:
        """Raise VaultUnavailable unless the keychain answers a read (locked, missing...)."""
        with self._operation():
            self._get(PROBE_KEY)

    def get(self, connection_id: str, name: str) -> str | None:
        """The stored value, or None; VaultCorrupt if it is incomplete or altered."""
        base = self._base(connection_id, name)
        with self._operation():
            manifest = self._read_manifest(base)
            if manifest is None:
                return None
            if "value" in manifest:
                return manifest["value"]
            if "gen" not in manifest:
                return None
            gen, count = manifest["gen"], manifest["chunks"]
            pieces = []
            for index in range(count):
                piece = self._get(f"{base}/{gen}/{index}")
                if piece is None:
                    raise VaultCorrupt(CORRUPT_MESSAGE, f"{base}: chunk {index} of {count} missing")
                pieces.append(piece)
            value = "".join(pieces)
            if _digest(value) != manifest["sha256"]:
                raise VaultCorrupt(CORRUPT_MESSAGE, f"{base}: SHA-256 does not match the manifest")
            return value

    def set(self, connection_id: str, name: str, value: str) -> None:
        """Store `value`; after a crash at any point the old or the new value is readable."""
        base = self._base(connection_id, name)
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        try:
            value.encode("utf-16-le")
        except UnicodeEncodeError as exc:
            raise ValueError("value contains an unpaired surrogate") from exc
        with self._operation():
            current = self._clean(base, self._read_manifest(base, tolerant=True) or {})
            old_gen = current.get("gen")
            stale = [old_gen] if old_gen else []

            if fits_inline(value):  # the switch below is the only write
                new = {"v": MANIFEST_VERSION, "value": value}
                if stale:
                    new["stale"] = stale
            else:
                gen = _new_generation()
                # Name the generation before writing any of it, so a crash leaves no orphan.
                self._write_manifest(base, {"v": MANIFEST_VERSION, **current, "pending": [gen]})
                chunks = split_chunks(value)
                for index, chunk in enumerate(chunks):
                    self._set(f"{base}/{gen}/{index}", chunk)
                new = {
                    "v": MANIFEST_VERSION,
                    "gen": gen,
                    "chunks": len(chunks),
                    "sha256": _digest(value),
                }
                if stale:
                    new["stale"] = stale
            self._write_manifest(base, new)  # the switch
            self._clean(base, new)

    def delete_connection(self, connection_id: str) -> int:
        """Remove every entry of the connection; return how many entries were removed."""
        self._check_id(connection_id)
        removed = 0
        with self._operation():
            for name in SECRET_NAMES:
                base = f"{connection_id}/{name}"
                manifest = self._read_manifest(base, tolerant=True)
                if manifest is None:
                    continue
                gens = self._generations(manifest)
                if gens:
                    # First drop the value (an atomic write), then its chunks: a crash
                    # leaves the value or nothing, never a damaged one.
                    self._write_manifest(base, {"v": MANIFEST_VERSION, "stale": gens})
                    for gen in gens:
                        removed += self._purge(base, gen)
                if self._delete(base):
                    removed += 1
        return removed

    # --- protocol helpers ---------------------------------------------------------------------

    def _clean(self, base: str, manifest: dict[str, Any]) -> dict[str, Any]:
        """Delete the chunks of the manifest's pending/stale generations; return it clean."""
        current = manifest.get("gen")
        leftovers = [g for g in self._leftovers(manifest) if g != current]
        if not leftovers and not ("pending" in manifest or "stale" in manifest):
            return manifest
        for gen in leftovers:
            self._purge(base, gen)
        clean = {k: v for k, v in manifest.items() if k not in ("pending", "stale")}
        if "value" in clean or "gen" in clean:
            self._write_manifest(base, clean)
        elif manifest:
            self._delete(base)  # nothing stored: leave nothing behind
            clean = {}
        return clean

    @staticmethod
    def _leftovers(manifest: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for key in ("pending", "stale"):
            for gen in manifest.get(key, []):
                if gen not in found:
                    found.append(gen)
        return found

    def _generations(self, manifest: dict[str, Any]) -> list[str]:
        gens = self._leftovers(manifest)
        if manifest.get("gen") and manifest["gen"] not in gens:
            gens.insert(0, manifest["gen"])
        return gens

    def _purge(self, base: str, gen: str) -> int:
        """Delete the chunks of `gen` (indexes 0..k-1), highest first; return how many."""
        count = 0
        while self._get(f"{base}/{gen}/{count}") is not None:
            count += 1
        removed = 0
        for index in reversed(range(count)):
            if self._delete(f"{base}/{gen}/{index}"):
                removed += 1
        return removed

    def _read_manifest(self, base: str, tolerant: bool = False) -> dict[str, Any] | None:
        """The parsed manifest, None when absent; VaultCorrupt (or {} if tolerant) when bad."""
        raw = self._get(base)
        if raw is None:
            return None
        problem = _manifest_problem(raw)
        if problem:
            if tolerant:
                return {}
            raise VaultCorrupt(CORRUPT_MESSAGE, f"{base}: {problem}")
        return json.loads(raw)

    def _write_manifest(self, base: str, manifest: dict[str, Any]) -> None:
        text = _dump(manifest)
        if entry_cost(text) > ENTRY_LIMIT_BYTES:  # cannot happen: leftovers are bounded
            raise AssertionError(f"manifest of {base} would exceed the entry limit")
        self._set(base, text)

    # --- identifiers --------------------------------------------------------------------------

    @staticmethod
    def _check_id(connection_id: str) -> None:
        try:
            canonical_uuid(connection_id)
        except (TypeError, ValueError, AttributeError):
            raise ValueError(f"connection id must be a UUID, not {connection_id!r}") from None

    def _base(self, connection_id: str, name: str) -> str:
        self._check_id(connection_id)
        if name not in SECRET_NAMES:
            raise ValueError(f"unknown secret name {name!r}; known: {SECRET_NAMES}")
        return f"{connection_id}/{name}"

    # --- backend calls: every failure becomes VaultUnavailable --------------------------------

    def _get(self, key: str) -> str | None:
        try:
            return self.backend.get_password(self.service, key)
        except Exception as exc:
            raise unavailable_from(exc, self.backend) from exc

    def _set(self, key: str, value: str) -> None:
        try:
            self.backend.set_password(self.service, key, value)
        except Exception as exc:
            raise unavailable_from(exc, self.backend) from exc

    def _delete(self, key: str) -> bool:
        """Delete one entry; False if it was not there."""
        try:
            self.backend.delete_password(self.service, key)
        except Exception as exc:
            if _is_missing_on_delete(exc):
                return False
            raise unavailable_from(exc, self.backend) from exc
        return True


def _manifest_problem(raw: str) -> str:
    """Why `raw` is not a valid manifest, or "" if it is."""
    try:
        data = json.loads(raw)
    except ValueError:
        return "manifest is not JSON"
    if not isinstance(data, dict):
        return "manifest is not an object"
    if data.get("v") != MANIFEST_VERSION:
        return f"unknown manifest version {data.get('v')!r}"
    if "value" in data and not isinstance(data["value"], str):
        return "inline value is not a string"
    if "gen" in data:
        if not _is_gen(data["gen"]):
            return "bad generation"
        if not isinstance(data.get("chunks"), int) or isinstance(data["chunks"], bool):
            return "bad chunk count"
        if not 0 < data["chunks"] <= 100_000:
            return "bad chunk count"
        if not isinstance(data.get("sha256"), str):
            return "missing SHA-256"
    for key in ("pending", "stale"):
        if key in data and not (isinstance(data[key], list) and all(_is_gen(g) for g in data[key])):
            return f"bad {key} list"
    return ""


def _is_gen(gen: Any) -> bool:
    return isinstance(gen, str) and 0 < len(gen) <= 64 and all(c in "0123456789abcdef" for c in gen)
