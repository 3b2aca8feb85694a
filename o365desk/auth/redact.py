"""The one place that removes codes, verifiers, tokens and passwords from log records."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

MASK = "[REDACTED]"
DEFAULT_LOGGERS = ("msal", "o365desk", "urllib3", "requests")
LOG_FILE_NAME = "o365desk.log"

# Parameter and field names whose values are secrets wherever they appear.
SECRET_KEYS = (
    "code", "code_verifier", "code_challenge", "access_token", "refresh_token", "id_token",
    "client_info", "device_code", "user_code", "password", "client_secret", "assertion",
    "client_assertion", "session_key", "authorization", "proxy-authorization", "cookie",
    "set-cookie", "x-ms-refresh-token", "nonce",
)
# In free text "code: 500" is common and harmless, so bare "code" is only a secret in
# query strings and quoted fields, where MSAL and the auth response put the real one.
_FREE_TEXT_KEYS = tuple(k for k in SECRET_KEYS if k not in ("code", "authorization", "cookie"))


def _alternation(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_KEYS = _alternation(SECRET_KEYS)
_FREE = _alternation(_FREE_TEXT_KEYS)
_NOT_DONE = re.escape(MASK).join(("(?!", ")"))  # a second pass must not eat the mask;
# the possessive `\s*+` before it stops a backtrack from slipping past it.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "key": "value" and 'key': 'value' (JSON, Python reprs), also list values from
    # parse_qs ('code': ['...']) and JSON nested in a string (\"key\": \"value\").
    # Bytes too (b'key': b'value'), and pairs in a list of tuples (('code', '...')).
    (re.compile(rf"""(\\*["'](?:{_KEYS})\\*["']\s*[:,]\s*\[?\s*b?\\*"){_NOT_DONE}(?:[^"\\]|\\(?!"))*""",
                re.I), rf"\1{MASK}"),
    (re.compile(rf"""(\\*["'](?:{_KEYS})\\*["']\s*[:,]\s*\[?\s*b?\\*'){_NOT_DONE}(?:[^'\\]|\\(?!'))*""",
                re.I), rf"\1{MASK}"),
    # key='value' and key="value" (keyword arguments in a repr); free text key: "value".
    (re.compile(rf"""(?<![\w-])((?:{_KEYS})\s*=\s*b?(["'])){_NOT_DONE}(?:(?!\2)[^\\]|\\.)*""",
                re.I), rf"\1{MASK}"),
    (re.compile(rf"""(?<![\w-])((?:{_FREE})\s*:\s*b?(["'])){_NOT_DONE}(?:(?!\2)[^\\]|\\.)*""",
                re.I), rf"\1{MASK}"),
    # Query strings and form bodies (code=...&code_verifier=...), plain or percent-encoded.
    (re.compile(rf"(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{{2}}))((?:{_KEYS})(?:=|%3D)){_NOT_DONE}"
                rf"(?:(?!%26)[^&\s\"'<>#,;)\]}}])+", re.I), rf"\1{MASK}"),
    # Headers: "Authorization: Bearer x", "Cookie: a=b; c=d", to the end of the line.
    (re.compile(rf"((?<![\w-])(?:proxy-)?authorization\s*[:=]\s*+){_NOT_DONE}[^\r\n\"']+",
                re.I), rf"\1{MASK}"),
    (re.compile(rf"((?<![\w-])(?:set-)?cookie\s*:\s*+){_NOT_DONE}[^\r\n\"']+", re.I),
     rf"\1{MASK}"),
    # Free text: refresh_token: x, password = y.
    (re.compile(rf"(?<![\w-])((?:{_FREE})\s*[:=]\s*+){_NOT_DONE}[^\s\"',;&)\]}}]+", re.I),
     rf"\1{MASK}"),
    # Wherever they turn up: bearer credentials, JWTs, base64 JSON (client_info), and long
    # opaque blobs in the shape of Entra and Microsoft account refresh tokens and codes.
    (re.compile(rf"(\bbearer\s++){_NOT_DONE}[^\s\"',;]+", re.I), rf"\1{MASK}"),
    (re.compile(r"eyJ[\w-]{4,}(?:\.[\w-]*){1,4}"), MASK),
    (re.compile(r"eyJ[\w-]{16,}={0,2}"), MASK),
    (re.compile(r"(?<![\w.-])(?:[01]\.A|M\.C)[\w.!*$%-]{40,}"), MASK),
)


def redact(text: str) -> str:
    """`text` with every secret the patterns know replaced by [REDACTED]."""
    for pattern, replacement in _PATTERNS:
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
