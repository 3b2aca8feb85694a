"""Check the shape of the sign-in service's answers before MSAL takes them.

MSAL trusts the token and device-code endpoints to answer a JSON object whose fields
have the types OAuth gives them; a list, or `"scope": [...]`, makes it fail deep inside
with an AttributeError or TypeError (and some wrong types it would put in the token
cache). Every answer MSAL asks for with POST (those two endpoints are the only ones it
posts to) is checked here first; one of the wrong shape raises UnusableAnswer, which
the session explains as an answer that couldn't be read. Answers that aren't JSON at
all are left to MSAL, which already refuses them.
"""

from __future__ import annotations

import json
from typing import Any

import requests

# The OAuth, OpenID Connect and Entra fields MSAL reads, by the type they must have.
_TEXT = frozenset({
    "access_token", "refresh_token", "id_token", "token_type", "scope", "client_info",
    "foci", "error", "error_description", "suberror", "correlation_id", "trace_id",
    "timestamp", "error_uri", "claims", "user_code", "device_code", "verification_uri",
    "verification_url", "message",
})
_SECONDS = frozenset({  # a whole number, or its digits as text (as some servers send)
    "expires_in", "ext_expires_in", "refresh_in", "expires_on", "interval",
    "refresh_token_expires_in",
})
_MAX_SECONDS = 10**10  # beyond this no date can be computed from it


class UnusableAnswer(requests.RequestException):
    """An answer of the wrong shape; str() says what was wrong (never a value)."""


def check_answer(response: Any) -> None:
    """Raise UnusableAnswer unless `response` (a requests.Response) is usable by MSAL."""
    try:
        text = response.text
    except (ValueError, LookupError):
        return  # undecodable: MSAL's own parsing refuses it
    try:
        data = json.loads(text)
    except RecursionError:
        raise UnusableAnswer("the answer is JSON nested too deeply to read") from None
    except ValueError:
        return  # not JSON: MSAL refuses it as such
    problem = shape_problem(data)
    if problem:
        raise UnusableAnswer(f"the sign-in service's answer {problem}")


def shape_problem(data: Any) -> str | None:
    """What is wrong with a parsed answer, or None when MSAL can use it."""
    if not isinstance(data, dict):
        return f"is {_kind(data)}, not an object"
    for name, value in data.items():
        if name in _TEXT and not isinstance(value, str):
            return f'has "{name}" as {_kind(value)}, not text'
        if name in _SECONDS and not _is_seconds(value):
            return f'has "{name}" as {_kind(value)}, not a number of seconds'
    codes = data.get("error_codes")
    if codes is not None and not (isinstance(codes, list) and all(
            isinstance(c, int) and not isinstance(c, bool) for c in codes)):
        return '"error_codes" is not a list of numbers'
    return None


class CheckedClient:
    """The HTTP client MSAL gets: the session's, with every POST answer checked."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def post(self, *args: Any, **kwargs: Any) -> Any:
        response = self.session.post(*args, **kwargs)
        check_answer(response)
        return response

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.get(*args, **kwargs)

    def close(self) -> None:
        self.session.close()


def _is_seconds(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii() and value.isdigit() and int(value) <= _MAX_SECONDS
    return isinstance(value, int) and not isinstance(value, bool) and \
        -_MAX_SECONDS <= value <= _MAX_SECONDS


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), "something else")
