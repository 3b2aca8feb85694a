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

A damaged manifest names nothing, so delete_connection also asks the backend for every
entry under the connection's id when it can list them (a `usernames(service)` method:
the Secret Service backend of storage/keychain.py has one), and doctor finds entries of
connections that no longer exist the same way.

`keyring` is not imported here at module level: importing it costs ~80 ms of start-up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from o365desk.core import paths
from o365desk.core.ids import canonical_uuid
from o365desk.storage.deadline import CallThread, Deadline, Job
from o365desk.storage.vault_errors import (  # noqa: F401 (the vault's public names)
    BUSY_MESSAGE,
    CORRUPT_MESSAGE,
    FAILED_MESSAGE,
    LOCKED_MESSAGE,
    NO_KEYCHAIN_MESSAGE,
    NOT_ANSWERING_MESSAGE,
    NOT_KEPT_MESSAGE,
    REFUSED_MESSAGE,
    TOO_LARGE_MESSAGE,
    VaultCorrupt,
    VaultError,
    VaultTooLarge,
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
# Seconds one keychain call may take before the vault says the keychain is not answering
# (a stopped or hung daemon never answers); an unlock prompt extends it while it waits.
CALL_TIMEOUT = 10.0
_LOCK_STEP = 0.25  # seconds between looks at the lock file's "late" mark while waiting
MSAL_CACHE = "msal-cache"
CLIENT_SECRET = "client-secret"  # an app-only connection's client secret
CERTIFICATE_KEY = "certificate-key"  # an app-only connection's private key (PKCS#8 PEM)
CERTIFICATE = "certificate"  # and its certificate chain (PEM, the leaf first)
# A proxy's user name and password (JSON), under its own service (auth/proxy_login.py).
PROXY_LOGIN = "proxy-login"
SECRET_NAMES = (MSAL_CACHE, CLIENT_SECRET, CERTIFICATE_KEY, CERTIFICATE, PROXY_LOGIN)
ENTRY_LIMIT_BYTES = 2560  # Windows Credential Manager: CRED_MAX_CREDENTIAL_BLOB_SIZE, UTF-16-LE
# The largest value kept (UTF-8 bytes). An MSAL cache takes a few kB; one over this holds a
# token no sign-in server sends, and chunking it would write entries without end.
MAX_VALUE_BYTES = 1024 * 1024
# The most chunks a value of MAX_VALUE_BYTES takes (every chunk is within 2 bytes of full).
MAX_CHUNKS = 2 * MAX_VALUE_BYTES // (ENTRY_LIMIT_BYTES - 2) + 1

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
    `detail`); a damaged value as VaultCorrupt; a keychain call that takes longer than
    `call_timeout` as VaultUnavailable with NOT_ANSWERING_MESSAGE. Calls block on the
    keychain (up to that deadline): keep them off the GUI thread. Calls are serialised,
    within the process and, through a lock file
    beside connections.json, with every other o365desk process: one writing a value
    while another cleans up its chunks would otherwise destroy both.
    """

    def __init__(self, backend: Any, service: str = SERVICE,
                 lock_path: Path | None = None, *, backend_name: str | None = None,
                 call_timeout: float = CALL_TIMEOUT) -> None:
        self.backend = backend
        # What people call the backend (keychain.describe_backend, given by open_vault).
        kind = type(backend)
        self._backend_name = backend_name or f"{kind.__module__}.{kind.__qualname__}"
        self.service = service
        self.lock_path = lock_path
        self.call_timeout = call_timeout
        self._lock = threading.RLock()
        self._calls: CallThread | None = None  # the running operation's keychain calls
        self._stuck: Job | None = None  # a call the vault stopped waiting for
        self._late: Path | None = None  # the lock file's "late" mark, while it is held

    def __repr__(self) -> str:
        return f"Vault({self.backend_name!r}, service={self.service!r})"

    @property
    def backend_name(self) -> str:
        return self._backend_name

    @contextlib.contextmanager
    def _operation(self) -> Iterator[None]:
        """One vault operation: serialised, its keychain calls on a thread of their own (so
        each has a deadline), inside the backend's batch() if it has one (the Secret
        Service backend then reuses one connection for all entries).

        A call that outlives its deadline still runs, and may still write: until it ends,
        other operations of this vault fail at once, and the lock file stays held (it is
        released on the calls' thread after that call), so no other o365desk comes between.
        """
        with self._lock:
            if self._still_stuck():
                raise self._not_answering("an earlier call has not returned yet")
            lock = self._hold_process_lock()
            calls = self._calls = CallThread("o365desk-keychain")
            opened: list[Any] = []
            try:
                batch = getattr(self.backend, "batch", None)
                if batch is not None:
                    self._backend_call(_enter_batch, batch, opened)
                yield
            finally:
                try:
                    self._leave(calls, opened)
                finally:
                    if lock is not None:
                        if self._still_stuck():  # after the late call, on its thread
                            calls.submit(_release, lock, self._late)
                        else:
                            _release(lock, self._late)
                    self._late = None
                    calls.stop()
                    self._calls = None

    def _leave(self, calls: CallThread, opened: list[Any]) -> None:
        """Close the batch (after any late call); wait for that only if nothing is stuck."""
        if not opened and not self._still_stuck():
            return
        if self._still_stuck():
            calls.submit(_exit_batches, opened)
            return
        with contextlib.suppress(VaultError):  # not answering now: stuck, handled by caller
            self._run(_exit_batches, opened)

    def _still_stuck(self) -> bool:
        return self._stuck is not None and not self._stuck.done.is_set()

    def _not_answering(self, why: str) -> VaultUnavailable:
        return VaultUnavailable(NOT_ANSWERING_MESSAGE, f"{why} (waited {self.call_timeout:g} s "
                                f"for each call) [backend {self.backend_name}]")

    def _run(self, fn: Any, *args: Any) -> Any:
        """fn(*args) on the operation's call thread, waited for until the call deadline."""
        calls = self._calls
        if calls is None:  # pragma: no cover - every backend call is inside an operation
            raise AssertionError("keychain call outside a vault operation")
        job = calls.submit(fn, *args, deadline=Deadline(self.call_timeout))
        if not job.wait():
            self._stuck = job
            if self._late is not None:
                self._mark_late(self._late)
            raise self._not_answering(f"no answer from {getattr(fn, '__name__', 'a call')}")
        return job.outcome()

    def _mark_late(self, late: Path) -> None:
        """Mark the lock file as held by a late call. The mark goes when the lock does: on
        release, or when the process ends (its hold on the lock file ends with it)."""
        with contextlib.suppress(OSError):
            late.touch(mode=0o600)
        import atexit

        def unmark() -> None:
            if self._still_stuck():  # else released already, and the mark may be another's
                with contextlib.suppress(OSError):
                    late.unlink(missing_ok=True)

        atexit.register(unmark)

    def _backend_call(self, fn: Any, *args: Any) -> Any:
        """_run, with the backend's own failures made VaultUnavailable."""
        try:
            return self._run(fn, *args)
        except VaultError:
            raise
        except Exception as exc:
            raise unavailable_from(exc, self.backend) from exc

    def _hold_process_lock(self) -> Any:
        """The lock file, acquired (None where it can't be made); released by _operation.

        Its holder marks it "late" (a file beside it) while one of its calls outlives the
        deadline: then the keychain isn't answering, and waiting the full LOCK_TIMEOUT for
        that holder would only end in a misleading "in use".
        """
        # Imported here: filelock costs ~30 ms to import, and the window starts without it.
        from filelock import FileLock, Timeout

        path = self.lock_path or paths.config_dir() / "vault.lock"
        late = _late_marker(path)
        started = time.monotonic()
        try:
            paths.make_private_dir(path.parent)
            # Not tied to this thread: a late call's thread may have to release it.
            lock = FileLock(str(path), timeout=LOCK_TIMEOUT, mode=0o600, thread_local=False)
            while True:
                try:
                    lock.acquire(timeout=min(_LOCK_STEP, LOCK_TIMEOUT))
                    break
                except Timeout:
                    waited = time.monotonic() - started
                    if waited >= LOCK_TIMEOUT:
                        raise VaultError(BUSY_MESSAGE, f"{path}: held for over "
                                         f"{LOCK_TIMEOUT:.0f} s") from None
                    if waited >= self.call_timeout and late.exists():
                        raise self._not_answering(
                            f"another o365desk holds {path} and its keychain call is "
                            "late") from None
        except OSError as exc:  # a read-only config folder: go on, as one process would
            log.warning("keychain lock %s unavailable (%s); not coordinating with other "
                        "o365desk processes", path, exc)
            return None
        with contextlib.suppress(OSError):
            late.unlink(missing_ok=True)  # left by a process that died late: nobody is now
        self._late = late
        return lock

    # --- public -------------------------------------------------------------------------------

    def check(self) -> None:
        """Raise VaultUnavailable unless the keychain answers a read (locked, missing...)."""
        with self._operation():
            self._get(PROBE_KEY)

    def get(self, connection_id: str, name: str) -> str | None:
        """The stored value, or None; VaultCorrupt if it is incomplete or altered."""
        base = self._base(connection_id, name)
        with self._operation():
            return self._read_value(base)

    def set(self, connection_id: str, name: str, value: str) -> None:
        """Store `value`; after a crash at any point the old or the new value is readable.

        A value over MAX_VALUE_BYTES is refused before anything is written (VaultTooLarge);
        what was written is read back, and a keychain that doesn't give it back whole
        fails the save (VaultUnavailable with NOT_KEPT_MESSAGE).
        """
        base = self._base(connection_id, name)
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        if len(value) <= MAX_VALUE_BYTES:  # else too large whatever its characters
            try:
                value.encode("utf-16-le")
            except UnicodeEncodeError as exc:
                raise ValueError("value contains an unpaired surrogate") from exc
        size = len(value) if len(value) > MAX_VALUE_BYTES else len(value.encode("utf-8"))
        if size > MAX_VALUE_BYTES:
            raise VaultTooLarge(TOO_LARGE_MESSAGE, f"{base}: {size:,} bytes or more, over "
                                f"the limit of {MAX_VALUE_BYTES:,}; nothing was written")
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
            self._check_kept(base, value)

    def delete(self, connection_id: str, name: str) -> int:
        """Remove one value of the connection (every chunk of it); entries removed."""
        base = self._base(connection_id, name)
        with self._operation():
            return self._delete_value(base, self._listed(connection_id))

    def delete_connection(self, connection_id: str) -> int:
        """Remove every entry of the connection; return how many entries were removed.

        Whatever state its manifest is in: the generations it names, those a damaged one
        still spells out, and, where the backend can list its entries (`usernames`),
        every entry under the connection's id.
        """
        self._check_id(connection_id)
        removed = 0
        with self._operation():
            listed = self._listed(connection_id)
            for name in SECRET_NAMES:
                removed += self._delete_value(f"{connection_id}/{name}", listed)
            if listed is not None:
                # Anything still there: chunks past a gap, names this version doesn't know.
                for key in sorted(self._listed(connection_id) or (), reverse=True):
                    if self._delete(key):
                        removed += 1
        return removed

    def connection_ids(self) -> set[str] | None:
        """The ids of every connection with entries here; None if the backend can't list."""
        with self._operation():
            listed = self._listed(None)
        if listed is None:
            return None
        ids = set()
        for key in listed:
            head = key.split("/", 1)[0]
            try:
                ids.add(canonical_uuid(head))
            except (TypeError, ValueError, AttributeError):
                continue  # not one of ours (the probe, something else under our service)
        return ids

    @property
    def can_list(self) -> bool:
        """Whether the backend can list its entries (delete and doctor then find all)."""
        return callable(getattr(self.backend, "usernames", None))

    def _delete_value(self, base: str, listed: set[str] | None) -> int:
        """Remove one value: its manifest and every generation of chunks found for it."""
        raw = self._get(base)
        manifest = None if raw is None or _manifest_problem(raw) else json.loads(raw)
        gens = self._generations(manifest) if manifest is not None else _salvaged(raw)
        if raw is not None and manifest is None and listed is None and not gens:
            log.warning("%s: damaged manifest, and %s can't list its entries; chunks it "
                        "named may remain", base, self.backend_name)
        for gen in _listed_generations(listed or set(), base):
            if gen not in gens:
                gens.append(gen)
        if raw is None and not gens:
            return 0
        removed = 0
        if raw is not None and gens:
            # First drop the value (an atomic write), then its chunks: a crash leaves the
            # value or nothing, never a damaged one; the manifest names what remains.
            self._write_manifest(base, {"v": MANIFEST_VERSION, "stale": _fitting(gens)})
        for gen in gens:
            removed += self._purge(base, gen)
        if raw is not None and self._delete(base):
            removed += 1
        return removed

    # --- protocol helpers ---------------------------------------------------------------------

    def _read_value(self, base: str) -> str | None:
        """The value stored under `base` (within an operation); VaultCorrupt if damaged."""
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

    def _check_kept(self, base: str, value: str) -> None:
        """Read back what was just written: a keychain that cuts values short or gives back
        something else must fail the save, not a later read ("never signed in")."""
        try:
            stored = self._read_value(base)
        except VaultCorrupt as exc:
            raise VaultUnavailable(NOT_KEPT_MESSAGE, f"{exc.detail} [backend "
                                   f"{self.backend_name}, right after writing]") from exc
        if stored != value:
            got = "nothing" if stored is None else f"{len(stored):,} characters"
            raise VaultUnavailable(NOT_KEPT_MESSAGE, f"{base}: wrote {len(value):,} characters,"
                                   f" read back {got} [backend {self.backend_name}]")

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

    def _listed(self, connection_id: str | None) -> set[str] | None:
        """Our entries' names (those of one connection if given); None if not listable."""
        lister = getattr(self.backend, "usernames", None)
        if not callable(lister):
            return None
        names = set(self._backend_call(lister, self.service))
        if connection_id is None:
            return names
        return {n for n in names if n.startswith(connection_id + "/")}

    def _get(self, key: str) -> str | None:
        return self._backend_call(self.backend.get_password, self.service, key)

    def _set(self, key: str, value: str) -> None:
        self._backend_call(self.backend.set_password, self.service, key, value)

    def _delete(self, key: str) -> bool:
        """Delete one entry; False if it was not there."""
        try:
            self._run(self.backend.delete_password, self.service, key)
        except VaultError:
            raise
        except Exception as exc:
            if _is_missing_on_delete(exc):
                return False
            raise unavailable_from(exc, self.backend) from exc
        return True


def _late_marker(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".late")


def _release(lock: Any, late: Path | None) -> None:
    """Release the lock file, its "late" mark first."""
    if late is not None:
        with contextlib.suppress(OSError):
            late.unlink(missing_ok=True)
    lock.release()


def _enter_batch(batch: Any, opened: list[Any]) -> None:
    context = batch()
    context.__enter__()
    opened.append(context)


def _exit_batches(opened: list[Any]) -> None:
    while opened:
        try:
            opened.pop().__exit__(None, None, None)
        except Exception:  # closing a connection: nothing to tell the person
            log.debug("closing the keychain batch failed", exc_info=True)


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
        if not 0 < data["chunks"] <= MAX_CHUNKS:
            return "bad chunk count"
        if not isinstance(data.get("sha256"), str):
            return "missing SHA-256"
    for key in ("pending", "stale"):
        if key in data and not (isinstance(data[key], list) and all(_is_gen(g) for g in data[key])):
            return f"bad {key} list"
    return ""


def _salvaged(raw: str | None) -> list[str]:
    """Generations a damaged manifest still spells out (a cut-off or altered manifest)."""
    if not raw:
        return []
    return list(dict.fromkeys(re.findall(f'"([0-9a-f]{{{2 * _GEN_BYTES}}})"', raw)))


def _listed_generations(listed: set[str], base: str) -> list[str]:
    """The generations of `base` whose chunks are among the listed entry names."""
    found: list[str] = []
    for key in sorted(listed):
        rest = key[len(base) + 1:] if key.startswith(base + "/") else ""
        gen, _, index = rest.partition("/")
        if _is_gen(gen) and index.isdigit() and gen not in found:
            found.append(gen)
    return found


def _fitting(gens: list[str]) -> list[str]:
    """As many of `gens` as a manifest can name (the rest are purged all the same)."""
    kept: list[str] = []
    for gen in gens:
        if entry_cost(_dump({"v": MANIFEST_VERSION, "stale": [*kept, gen]})) > ENTRY_LIMIT_BYTES:
            break
        kept.append(gen)
    return kept


def _is_gen(gen: Any) -> bool:
    return isinstance(gen, str) and 0 < len(gen) <= 64 and all(c in "0123456789abcdef" for c in gen)
