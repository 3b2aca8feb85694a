"""The one place that removes codes, verifiers, tokens and passwords from log records: by
the name beside them (in any spelling), by their shape, and by the exact values seen."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MASK = "[REDACTED]"
DEFAULT_LOGGERS = ("msal", "o365desk", "urllib3", "requests")
LOG_FILE_NAME = "o365desk.log"

# The names whose values are secrets wherever they appear, as words: each matches in any
# spelling (refresh_token, refresh-token, refreshToken, RefreshToken, REFRESH_TOKEN, ...).
SECRET_KEYS = (
    "code", "auth code", "authorization code", "code verifier", "code challenge",
    "access token", "refresh token", "id token", "client info", "device code", "user code",
    "password", "passwd", "client secret", "secret", "assertion", "client assertion",
    "session key", "authorization", "proxy authorization", "cookie", "set cookie",
    "x ms refresh token", "nonce", "state", "session state", "token", "api key",
)
# In free text "code: 500", "state: ready" and "token: expired" are common and harmless,
# so these are secrets only in query strings, quoted fields and XML elements, where MSAL
# and the auth response put the real ones (the headers have their own patterns).
_NOT_IN_FREE_TEXT = ("code", "authorization", "cookie", "state", "token", "secret")
_FREE_TEXT_KEYS = tuple(k for k in SECRET_KEYS if k not in _NOT_IN_FREE_TEXT)


def _spellings(words: str) -> str:
    """A pattern for every spelling of `words`: separated by _, -, . or a space, or not at
    all (camelCase), in any case (the patterns are compiled with re.I)."""
    return "[ _.-]?".join(re.escape(w) for w in words.split())


def _alternation(keys: Iterable[str]) -> str:
    return "(?:" + "|".join(_spellings(k) for k in sorted(keys, key=len, reverse=True)) + ")"


_KEYS = _alternation(SECRET_KEYS)
_FREE = _alternation(_FREE_TEXT_KEYS)
_NOT_DONE = re.escape(MASK).join(("(?!", ")"))  # a second pass must not eat the mask;
# the possessive `\s*+` before it stops a backtrack from slipping past it. Every value run
# is possessive (`++`, `*+`) so that a long line costs one pass, never a backtrack.
# Where a name starts: not inside a longer word, or right after a percent-encoded
# character (once or twice encoded: %3F, %253F).
_START = r"(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2})|(?<=%25[0-9A-Fa-f]{2}))"
_SCHEME = r"(?:(?:bearer|basic|pop)(?:\s++|%20|\+))?"  # refresh_token: Bearer x
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "key": "value" and 'key': 'value' (JSON, Python reprs), also list values from
    # parse_qs ('code': ['...']) and JSON nested in a string (\"key\": \"value\").
    # Bytes too (b'key': b'value'), and pairs in a list of tuples (('code', '...')).
    (re.compile(rf"""(\\*+["']{_KEYS}\\*+["']\s*+[:,]\s*+\[?\s*+b?\\*+"){_NOT_DONE}"""
                rf"""(?:[^"\\]|\\(?!"))*+""", re.I), rf"\1{MASK}"),
    (re.compile(rf"""(\\*+["']{_KEYS}\\*+["']\s*+[:,]\s*+\[?\s*+b?\\*+'){_NOT_DONE}"""
                rf"""(?:[^'\\]|\\(?!'))*+""", re.I), rf"\1{MASK}"),
    # key='value' and key="value" (keyword arguments, XML attributes); key: "value".
    (re.compile(rf"""(?<![\w-])({_KEYS}\s*+=\s*+b?(["'])){_NOT_DONE}(?:(?!\2)[^\\]|\\.)*+""",
                re.I), rf"\1{MASK}"),
    (re.compile(rf"""(?<![\w-])({_FREE}\s*+:\s*+b?(["'])){_NOT_DONE}(?:(?!\2)[^\\]|\\.)*+""",
                re.I), rf"\1{MASK}"),
    # <refresh_token>value</refresh_token>, <wsse:Password Type="...">value</...>.
    (re.compile(rf"(<(?:[\w.-]++:)?{_KEYS}(?:\s[^<>]*+)?>\s*+){_NOT_DONE}[^<]++", re.I),
     rf"\1{MASK}"),
    # Query strings and form bodies (code=...&code_verifier=...), plain, percent-encoded
    # once or twice.
    (re.compile(rf"{_START}({_KEYS}(?:=|%3D|%253D)){_NOT_DONE}"
                rf"(?:(?!%(?:25)?26)[^&\s\"'<>#,;)\]}}])++", re.I), rf"\1{MASK}"),
    # Headers: "Authorization: Bearer x", "Cookie: a=b; c=d", to the end of the line.
    (re.compile(rf"((?<![\w-])(?:proxy[ _-]?)?authorization\s*+[:=]\s*+){_NOT_DONE}"
                r"[^\r\n\"']++", re.I), rf"\1{MASK}"),
    (re.compile(rf"((?<![\w-])(?:set[ _-]?)?cookie\s*+:\s*+){_NOT_DONE}[^\r\n\"']++", re.I),
     rf"\1{MASK}"),
    # Free text: refresh_token: x, password = y, refreshToken: Bearer z, and a key alone
    # on its line with the value on the next.
    (re.compile(rf"(?<![\w-])({_FREE}\s*+[:=]\s*+){_NOT_DONE}{_SCHEME}"
                r"[^\s\"',;&)\]}<>]++", re.I), rf"\1{MASK}"),
    (re.compile(rf"(?<![\w-])({_FREE}[ \t]*+\r?\n[ \t]*+){_NOT_DONE}{_SCHEME}"
                r"[^\s\"',;&)\]}<>]++", re.I), rf"\1{MASK}"),
    # Wherever they turn up: bearer credentials (also percent-encoded), JWTs, base64 JSON
    # (client_info), and long opaque blobs in the shapes of Entra and Microsoft account
    # codes and tokens (0.A..., 1.A..., M.C..., EwB...) and Entra device codes (DAQAB...).
    (re.compile(rf"({_START}bearer(?:\s++|%20|\+)){_NOT_DONE}[^\s\"',;&]++", re.I),
     rf"\1{MASK}"),
    (re.compile(r"eyJ[\w-]{4,}+(?:\.[\w-]*+){1,4}+"), MASK),
    (re.compile(r"eyJ[\w+/-]{16,}+={0,2}+"), MASK),
    (re.compile(r"(?<![\w.-])(?:[01]\.A|M\.C|M\.R\d)[\w.!*$%-]{40,}+"), MASK),
    (re.compile(r"(?<![\w.+/-])(?:Ew[A-D]|DAQAB)[\w.!*$%+/=-]{30,}+"), MASK),
)

# What each pattern needs in the (lower-cased) text to match at all: one of each group.
# Every one of SECRET_KEYS holds one of _KEY_WORDS. Masking adds none of these, so what
# is checked before the first pattern holds for all.
_KEY_WORDS = ("code", "token", "secret", "pass", "assertion", "nonce", "state", "cookie",
              "authorization", "info", "key")
_HINTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (_KEY_WORDS, ('"',)), (_KEY_WORDS, ("'",)), (_KEY_WORDS, ("=",)), (_KEY_WORDS, (":",)),
    (_KEY_WORDS, ("<",)), (_KEY_WORDS, ("=", "%3d", "%253d")), (("authorization",),),
    (("cookie",),),
    (_KEY_WORDS, (":", "=")), (_KEY_WORDS, ("\n",)), (("bearer",),), (("eyj",),),
    (("eyj",),), (("0.a", "1.a", "m.c", "m.r"),), (("ewa", "ewb", "ewc", "ewd", "daqab"),),
)

# --- the exact secrets this process has seen ----------------------------------------------
# Every token, code, verifier, state and nonce is registered the moment it is received or
# made, so it is masked in whatever shape or context it later turns up, even one no
# pattern knows. The newest _MAX_HELD are kept (a long-running window refreshes hourly).
_MIN_SECRET = 8  # shorter values would mask ordinary words
_MAX_HELD = 512
_held: dict[str, None] = {}  # insertion order: the oldest first
_held_longest_first: tuple[str, ...] = ()
_held_lock = threading.Lock()
# Field names whose values are registered: the secret keys, without those that are only
# shown to the person (user_code) or are not values (authorization holds "Bearer x").
_REGISTERED_NAMES = frozenset(
    re.sub(r"[ _.-]", "", k) for k in SECRET_KEYS
    if k not in ("user code", "authorization", "proxy authorization", "cookie", "set cookie")
)
_MAX_SCANNED_BODY = 1_000_000  # bytes of a sign-in answer read to find its secrets


def _forms(value: str) -> set[str]:
    """A secret as it may be written: plain, percent-encoded (form or URL), JSON-escaped."""
    from urllib.parse import quote, quote_plus

    return {value, quote(value, safe=""), quote_plus(value, safe=""),
            value.replace("/", "\\/")}


def register_secret(*values: object) -> None:
    """Mask these exact values in every later redact(), however they are written."""
    global _held_longest_first
    with _held_lock:
        changed = False
        for value in values:
            if not isinstance(value, str):
                continue
            value = value.strip()
            if len(value) < _MIN_SECRET or value in MASK:
                continue
            for form in _forms(value):
                if form not in _held:
                    changed = True
                _held.pop(form, None)
                _held[form] = None  # now the newest
        while len(_held) > _MAX_HELD:
            del _held[next(iter(_held))]
            changed = True
        if changed:
            _held_longest_first = tuple(sorted(_held, key=len, reverse=True))


def forget_registered_secrets() -> None:
    """Drop every registered secret (for tests)."""
    global _held_longest_first
    with _held_lock:
        _held.clear()
        _held_longest_first = ()


def is_secret_name(name: object) -> bool:
    """Whether a field called `name` (in any spelling) holds a secret to register."""
    return isinstance(name, str) and re.sub(r"[ _.-]", "", name).lower() in _REGISTERED_NAMES


def register_secrets_in(data: object, _depth: int = 0) -> None:
    """Register the values of secret fields in a parsed answer: a dict (JSON, a flow, the
    redirect's query), a list of them, or a list of (name, value) pairs."""
    if _depth > 8:
        return
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list | tuple):
        if len(data) == 2 and isinstance(data[0], str) and not isinstance(data[1], dict):
            items = [data]
        else:
            for item in data:
                register_secrets_in(item, _depth + 1)
            return
    else:
        return
    for name, value in items:
        if isinstance(value, dict | list | tuple):
            if is_secret_name(name):  # parse_qs's lists of values: ['the code']
                register_secret(*(v for v in value if isinstance(v, str)))
            # A token cache's "AccessToken": {...: {"secret": ...}}: look inside too.
            register_secrets_in(value, _depth + 1)
        elif is_secret_name(name):
            register_secret(value)


def register_secrets_in_json(text: str) -> None:
    """register_secrets_in() for a JSON text (a token cache: its "secret" fields)."""
    import json

    try:
        register_secrets_in(json.loads(text))
    except (ValueError, TypeError, RecursionError):
        pass  # not JSON: whoever reads it reports that


def register_http_exchange(response: Any) -> None:
    """Register what a sign-in request sent and its answer holds (a requests Response):
    the form fields (code, code_verifier, refresh_token, ...), a bearer token in the
    Authorization header and, for the identity platform's OAuth answers, their tokens."""
    request = getattr(response, "request", None)
    headers = getattr(request, "headers", None) or {}
    body = getattr(request, "body", None)
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    form = "x-www-form-urlencoded" in str(headers.get("Content-Type", ""))
    if form and isinstance(body, str) and len(body) <= _MAX_SCANNED_BODY:
        from urllib.parse import parse_qsl

        register_secrets_in(parse_qsl(body, keep_blank_values=True))
    credential = headers.get("Authorization") or ""
    register_secret(credential.partition(" ")[2] or None)
    url = str(getattr(response, "url", "") or "")
    kind = str((getattr(response, "headers", None) or {}).get("Content-Type", ""))
    if "/oauth2/" not in url or "json" not in kind.lower():
        return
    try:  # only a body of known, bounded size: a larger one is not read here at all
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return
    if 0 < length <= _MAX_SCANNED_BODY:
        register_secrets_in_json(response.content)


def _mask_held(text: str) -> str:
    for secret in _held_longest_first:  # a snapshot: registering meanwhile is fine
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact(text: str) -> str:
    """`text` with every secret the patterns know and every registered one replaced by
    [REDACTED]."""
    text = _mask_held(text)
    lower = text.lower()
    for (pattern, replacement), needs in zip(_PATTERNS, _HINTS, strict=True):
        # A pattern that can't match isn't run: most lines name no secret at all.
        if all(any(hint in lower for hint in group) for group in needs):
            text = pattern.sub(replacement, text)
    return text


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a record in place so every handler after this sees only redacted text."""
    if getattr(record, "_o365desk_redacted", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # bad %-args: keep what there is, redacted, rather than lose it
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = redact(str(message)), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._o365desk_redacted = True
    return record


class RedactingFilter(logging.Filter):
    """A filter for loggers and handlers alike: it never drops a record, only rewrites it."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the finished line too, so fields added by `extra=` or a subclass can't leak."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(redact_record(record)))


def set_msal_log_level(level: int = logging.INFO) -> None:
    """Keep MSAL at INFO or quieter: at DEBUG it logs the auth code and PKCE verifier."""
    level = max(level, logging.INFO)
    logging.getLogger("msal").setLevel(level)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith("msal.") and isinstance(logger, logging.Logger):
            if logger.level and logger.level < level:
                logger.setLevel(logging.NOTSET)  # inherit from "msal" again


_FILTER = RedactingFilter()
_previous_factory = None


def install_redaction(logger_names: Iterable[str] = DEFAULT_LOGGERS) -> None:
    """Redact every record: at creation, on the named loggers and on their handlers.

    A logger's filters don't see records of its child loggers ("msal.application"), so
    the handlers get the filter too, and the record factory covers handlers added later
    (a console handler, pytest's caplog) that nobody remembered to protect.
    """
    global _previous_factory
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        previous = _previous_factory

        def factory(*args, **kwargs) -> logging.LogRecord:
            return redact_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
    for logger in [logging.getLogger(), *(logging.getLogger(n) for n in logger_names)]:
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
    set_msal_log_level()


def uninstall_redaction(logger_names: Iterable[str] = DEFAULT_LOGGERS) -> None:
    """Undo install_redaction (for tests that check each layer on its own)."""
    global _previous_factory
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
    for logger in [logging.getLogger(), *(logging.getLogger(n) for n in logger_names)]:
        logger.removeFilter(_FILTER)
        for handler in logger.handlers:
            handler.removeFilter(_FILTER)


def default_log_file() -> Path:
    from o365desk.core import paths

    return paths.data_dir() / "logs" / LOG_FILE_NAME


def setup_logging(path: Path | None = None, level: int = logging.INFO) -> Path:
    """Write the app log (rotated, readable only by its owner) with every record redacted."""
    from o365desk.auth.logfile import PrivateRotatingFileHandler  # logging.handlers: ~8 ms
    from o365desk.core import paths

    path = Path(path) if path else default_log_file()
    paths.make_private_dir(path.parent)
    root = logging.getLogger()
    # A second handler on the same file would write every line twice.
    if not any(getattr(h, "baseFilename", None) == os.path.abspath(path) for h in root.handlers):
        handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(
            RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler.addFilter(_FILTER)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    install_redaction()
    return path
