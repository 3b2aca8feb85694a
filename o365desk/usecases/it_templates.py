"""The templates the IT policy offers (its `templates` key): a folder, or an https address.

A folder: every `*.o365template` file directly in it (not in folders below), in name order,
at most MAX_FILES, each read with the template reader's own limits and checks.

An address names either one template file or an index: a JSON object
`{"format": "o365desk-template-index", "version": 1, "templates": ["payroll.o365template",
...]}` whose addresses (relative to the index, or full) must be https on the same host
and port as the policy's address. One GET each, through o365desk's HTTP session (the
proxy, the trusted CAs, answers bounded like a template file), no redirects followed, and
the whole listing within DEADLINE_SECONDS.

Nothing here raises for what IT put there: a file that can't be used is offered as refused
with why, and a folder or address that can't be read at all is `problem`, a sentence the
window and doctor show; the wizard works without them.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from o365desk.core import safe_read
from o365desk.core import template as tpl
from o365desk.core.text import visible
from o365desk.core.words import plural

INDEX_FORMAT = "o365desk-template-index"
INDEX_VERSION = 1
MAX_FILES = 200  # templates IT offers; a folder or index with more is read this far
DEADLINE_SECONDS = 20.0  # the whole listing: the index and every template it names
_CONNECT_SECONDS = 5.0
_READ_SECONDS = 10.0  # the longest wait for the next bytes of an answer
_CHUNK = 16 * 1024
_SHOWN = 80


@dataclasses.dataclass(frozen=True)
class OfferedTemplate:
    """One connection IT's templates offer, or one template that can't be used (`entry`
    None, `refusal` says why). `source`: the file name or address it came from."""

    source: str
    name: str
    entry: tpl.TemplateEntry | None = None
    refusal: str = ""

    @property
    def usable(self) -> bool:
        return self.entry is not None and not self.refusal

    @property
    def description(self) -> str:
        return self.entry.description if self.entry is not None else ""


@dataclasses.dataclass(frozen=True)
class ItTemplates:
    """What the policy's `templates` key offers. `where` is "" when it sets none."""

    where: str = ""
    offered: tuple[OfferedTemplate, ...] = ()
    problem: str = ""  # the folder or address could not be read at all; "" otherwise
    note: str = ""  # a limit reached (more files than MAX_FILES); "" otherwise

    @property
    def configured(self) -> bool:
        return bool(self.where)

    @property
    def usable(self) -> tuple[OfferedTemplate, ...]:
        return tuple(o for o in self.offered if o.usable)

    @property
    def refused(self) -> tuple[OfferedTemplate, ...]:
        return tuple(o for o in self.offered if not o.usable)

    def summary(self) -> str:
        """One sentence for doctor and the window: how many, and whether they could be read."""
        if not self.configured:
            return "The IT policy offers no templates."
        if self.problem:
            return self.problem
        count = plural(len(self.usable), "1 template", "{count} templates")
        text = f"The IT policy offers {count} from {_shown(self.where)}"
        if self.refused:
            text += plural(len(self.refused), "; 1 file can't be used",
                           "; {count} files can't be used")
        return text + "." + (f" {self.note}" if self.note else "")


class _Unreachable(Exception):
    """The address could not be read; str() completes "because"."""


def policy_location() -> str:
    """The policy's `templates` value in force ("" when it sets none)."""
    from o365desk.core import policy

    return policy.load().values.get("templates", "") or ""


def list_it_templates(where: str | None = None, session: Any = None) -> ItTemplates:
    """The templates offered at `where` (default: the policy's `templates`). Blocks: reads
    files, or the network for an address (`session`: an HTTP session to use, default
    o365desk's own, closed afterwards)."""
    where = policy_location() if where is None else where
    if not where:
        return ItTemplates()
    if "://" in where:
        return _from_address(where, session)
    return _from_folder(where)


# -- a folder ---------------------------------------------------------------------------


def _from_folder(where: str) -> ItTemplates:
    folder = Path(where)
    try:
        with os.scandir(folder) as found:
            names = sorted(e.name for e in found
                           if e.name.lower().endswith(tpl.EXTENSION) and not e.is_dir())
    except FileNotFoundError:
        return ItTemplates(where, problem=_folder_problem(where, "it does not exist"))
    except NotADirectoryError:
        return ItTemplates(where, problem=_folder_problem(where, "it is not a folder"))
    except OSError as exc:
        return ItTemplates(where, problem=_folder_problem(
            where, f"it can't be opened ({exc.strerror or exc})"))
    note = ""
    if len(names) > MAX_FILES:
        note = (f"Only the first {MAX_FILES} of its {len(names)} template files were "
                "read.")
        names = names[:MAX_FILES]
    offered: list[OfferedTemplate] = []
    for name in names:
        from o365desk.usecases.templates import read

        try:
            template = read(folder / name)
        except tpl.TemplateError as exc:
            offered.append(OfferedTemplate(visible(name), visible(name), refusal=_why(exc)))
            continue
        offered.extend(_entries(visible(name), template))
    return ItTemplates(where, tuple(offered), note=note)


def _folder_problem(where: str, why: str) -> str:
    return (f"Your IT team's templates can't be read: the folder {_shown(where)} the IT "
            f"policy names can't be used because {why}. You can still set up a connection "
            "without them; tell your IT team.")


def _entries(source: str, template: tpl.Template) -> list[OfferedTemplate]:
    return [OfferedTemplate(source, entry.nickname, entry) for entry in template.entries]


# -- an address -------------------------------------------------------------------------


def _from_address(where: str, session: Any) -> ItTemplates:
    from o365desk.auth.http import TrustedCertificatesError, http_session
    from o365desk.auth.proxy import ProxySettingError

    own = session is None
    if own:
        try:
            session = http_session(timeout=(_CONNECT_SECONDS, _READ_SECONDS))
        except (TrustedCertificatesError, ProxySettingError) as exc:
            return ItTemplates(where, problem=_address_problem(where, str(exc)))
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        try:
            raw = _get(session, where, deadline)
        except _Unreachable as exc:
            return ItTemplates(where, problem=_address_problem(where, f"{exc}."))
        kind = _kind_of(raw)
        if kind != INDEX_FORMAT:
            try:
                template = tpl.parse_bytes(raw)
            except tpl.TemplateError as exc:
                if kind is None:
                    return ItTemplates(where, problem=_address_problem(
                        where, "what it answered is neither a template nor a list of "
                        "templates."))
                return ItTemplates(where, (OfferedTemplate(where, _shown(where),
                                                           refusal=_why(exc)),))
            return ItTemplates(where, tuple(_entries(where, template)))
        try:
            addresses, note = _index(raw, where)
        except ValueError as exc:
            return ItTemplates(where, problem=_address_problem(
                where, f"its list of templates can't be used: {exc}"))
        offered: list[OfferedTemplate] = []
        for address, refusal in addresses:
            shown = _shown(address)
            if refusal:
                offered.append(OfferedTemplate(shown, shown, refusal=refusal))
                continue
            try:
                template = tpl.parse_bytes(_get(session, address, deadline))
            except _Unreachable as exc:
                offered.append(OfferedTemplate(shown, shown, refusal=(
                    f"This template can't be fetched because {exc}.")))
                continue
            except tpl.TemplateError as exc:
                offered.append(OfferedTemplate(shown, shown, refusal=_why(exc)))
                continue
            offered.extend(_entries(shown, template))
        return ItTemplates(where, tuple(offered), note=note)
    finally:
        if own:
            session.close()


def _kind_of(raw: bytes) -> str | None:
    """The document's "format" when it is a JSON object that has one; None otherwise."""
    try:
        doc = safe_read.parse_json(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, safe_read.TooDeep):
        return None
    if isinstance(doc, dict) and isinstance(doc.get("format"), str):
        return doc["format"]
    return None


def _index(raw: bytes, where: str) -> tuple[list[tuple[str, str]], str]:
    """The template addresses an index lists, each with why it is not fetched ("" when it
    is: https, on the policy address's host and port), and a note when it lists more than
    MAX_FILES."""
    doc = safe_read.parse_json(raw.decode("utf-8-sig"))
    assert isinstance(doc, dict)
    unknown = sorted(set(doc) - {"format", "version", "templates"})
    if unknown:
        raise ValueError(f"it has a field o365desk does not know, "
                         f"\"{_shown(str(unknown[0]))}\".")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError("its \"version\" must be 1.")
    if version > INDEX_VERSION:
        raise ValueError("it was made for a newer o365desk. Update o365desk.")
    listed = doc.get("templates")
    if not isinstance(listed, list) or not all(isinstance(a, str) for a in listed):
        raise ValueError("its \"templates\" must be a list of addresses.")
    note = ""
    if len(listed) > MAX_FILES:
        note = f"Only the first {MAX_FILES} of the {len(listed)} templates it lists were read."
        listed = listed[:MAX_FILES]
    base = urlsplit(where)
    addresses: list[tuple[str, str]] = []
    for text in listed:
        address = urljoin(where, text.strip())
        parts = urlsplit(address)
        if parts.scheme.lower() != "https":
            addresses.append((address, "This template is not fetched: its address does "
                              "not start with https://, so what it says could be changed "
                              "on the way."))
        elif (parts.hostname, parts.port) != (base.hostname, base.port):
            addresses.append((address, f"This template is not fetched: it is on another "
                              f"host than the list ({base.hostname}), and o365desk fetches "
                              "templates only from the host the IT policy names."))
        else:
            addresses.append((address, ""))
    return addresses, note


def _get(session: Any, address: str, deadline: float) -> bytes:
    """One GET of `address`: its body (at most a template's MAX_BYTES) by the deadline."""
    import requests

    from o365desk.auth.http import transport_kind

    left = deadline - time.monotonic()
    if left <= 0:
        raise _Unreachable("the server took too long to answer")
    try:
        answer = session.get(address, stream=True, allow_redirects=False,
                             headers={"Accept": "application/json"},
                             timeout=(min(_CONNECT_SECONDS, left), min(_READ_SECONDS, left)))
    except requests.RequestException as exc:
        raise _Unreachable(_transport_words(transport_kind(exc))) from None
    with answer:
        if answer.is_redirect:
            raise _Unreachable(f"it answered with a redirect to another address "
                               f"({_shown(answer.headers.get('Location', ''))}); the IT "
                               "policy must name the final address")
        if answer.status_code != 200:
            raise _Unreachable(f"the server answered {answer.status_code} "
                               f"{_shown(answer.reason or '')}".rstrip())
        return _body(answer, deadline)


def _body(answer: Any, deadline: float) -> bytes:
    """The answer's body, refused once it is longer than a template may be or has not all
    come by the deadline (each read waits at most the session's read timeout)."""
    declared = answer.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > tpl.MAX_BYTES:
        raise _Unreachable(f"the answer is larger than {tpl.MAX_BYTES >> 20} MB, far more "
                           "than a template needs")
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            part = answer.raw.read1(_CHUNK, decode_content=True)
            if not part:
                break
            size += len(part)
            if size > tpl.MAX_BYTES:
                raise _Unreachable(f"the answer is larger than {tpl.MAX_BYTES >> 20} MB, "
                                   "far more than a template needs")
            if time.monotonic() > deadline:
                raise _Unreachable("the server took too long to answer")
            parts.append(part)
    except _Unreachable:
        raise
    except Exception as exc:  # requests', urllib3's and the socket's own (a read timeout)
        if isinstance(exc, TimeoutError) or "timed out" in str(exc).lower():
            raise _Unreachable("the server took too long to answer") from None
        raise _Unreachable("the answer was cut off before its end") from None
    return b"".join(parts)


def _why(exc: tpl.TemplateError) -> str:
    """The reader's refusal, without its "Nothing was created." (nothing is, here)."""
    text = str(exc)
    return text.removesuffix(" Nothing was created.")


def _transport_words(kind: Any) -> str:
    from o365desk.core.signin_errors import TransportKind

    return {
        TransportKind.TIMEOUT: "the server took too long to answer",
        TransportKind.TLS: "its secure connection could not be checked (its certificate "
                           "is not one o365desk trusts)",
        TransportKind.PROXY: "the proxy refused the connection",
        TransportKind.TOO_LARGE: "the answer is far larger than a template",
    }.get(kind, "the server could not be reached (the computer may be offline)")


def _address_problem(where: str, why: str) -> str:
    return (f"Your IT team's templates can't be read from {_shown(where)} because {why} You "
            "can still set up a connection without them; try again later, or tell your IT "
            "team if it goes on.")


def _shown(text: str) -> str:
    shown = visible(text)
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "\u2026"
