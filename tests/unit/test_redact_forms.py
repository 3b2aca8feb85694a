"""Redaction by every spelling of a secret's name, by the value's shape, in every format."""

from __future__ import annotations

import json
import logging
import secrets
import string
from urllib.parse import quote

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from o365desk.auth.redact import MASK, forget_registered_secrets, redact

# Names whose value is a secret in any context, free text included.
ANYWHERE = (
    ("refresh", "token"), ("access", "token"), ("id", "token"), ("code", "verifier"),
    ("code", "challenge"), ("device", "code"), ("client", "secret"), ("client", "info"),
    ("client", "assertion"), ("password",), ("nonce",), ("session", "key"), ("auth", "code"),
    ("x", "ms", "refresh", "token"), ("user", "code"), ("api", "key"),
)
# Names that are secrets only where a value is clearly theirs (quoted, query, XML): in
# free text "code: 500" and "state: ready" are ordinary words.
STRUCTURED_ONLY = (("code",), ("state",), ("token",), ("secret",), ("session", "state"))


def _spell(words: tuple[str, ...], style: str) -> str:
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == "pascal":
        return "".join(w.capitalize() for w in words)
    if style == "title-kebab":
        return "-".join(w.capitalize() for w in words)
    joiner = {"snake": "_", "kebab": "-", "dotted": ".", "flat": "", "upper": "_"}[style]
    name = joiner.join(words)
    return name.upper() if style == "upper" else name


STYLES = ("snake", "kebab", "camel", "pascal", "upper", "flat", "title-kebab", "dotted")

# Formats a (key, value) pair is written in. "{k}" is the key, "{v}" the value.
STRUCTURED = (
    '{{"{k}": "{v}", "x": 1}}',                    # JSON
    '{{\n    "{k}":"{v}"\n}}',                      # JSON, indented
    '"{{\\"{k}\\": \\"{v}\\"}}"',                   # JSON inside a JSON string
    "{{'{k}': '{v}'}}",                              # a Python repr
    "{{'{k}': ['{v}']}}",                            # parse_qs
    "[('{k}', '{v}'), ('a', 'b')]",                  # a list of pairs
    "grant_type=x&{k}={v}&scope=User.Read",         # a form body
    "{k}={v}",                                       # a bare form field
    "GET /cb?a=1&{k}={v} HTTP/1.1",                 # a query string
    "https://localhost/#{k}={v}&b=2",               # a fragment
    "<{k}>{v}</{k}>",                               # XML
    '<wsse:{k} Type="text">{v}</wsse:{k}>',          # XML with a namespace and attribute
    "<Item {k}=\"{v}\" />",                         # an XML attribute
    "call({k}='{v}', other=1)",                      # keyword arguments
)
FREE = (
    "{k}: {v}",                                      # a header, YAML
    "  {k}: {v}\n  next: 1",                         # YAML, indented
    "{k}: \"{v}\"",                                  # YAML, quoted
    "{k}:\n  {v}",                                   # key, newline, value
    "{k}\n{v}",                                      # key alone on its line
    "{k}: Bearer {v}",                               # a scheme before the value
    "{k} = {v}; more",                               # free text
    "{k}={v}",
)
PERCENT = ("redirect=https%3A%2F%2Fx%2Fcb%3F{k}%3D{v}%26state%3Dabc",
           "%2Fcb%253F{k}%253D{v}%2526a")            # percent-encoded once and twice

_VALUE_CHARS = string.ascii_letters + string.digits + "-_.~!*$@+/="
VALUES = st.one_of(
    # Of unknown shape: passwords, PKCE verifiers, opaque strings.
    st.text(alphabet=_VALUE_CHARS, min_size=8, max_size=90),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=43, max_size=128),
    # Shapes of real codes and tokens.
    st.builds("eyJ{}.{}.{}".format, *[st.text(string.ascii_letters + "-_", min_size=10,
                                               max_size=60)] * 3),
    st.builds("EwB{}=".format, st.text(string.ascii_letters + "+/", min_size=60, max_size=90)),
    st.builds("DAQABAAEAAAD{}".format, st.text(string.ascii_letters + "-_", min_size=40,
                                               max_size=90)),
    st.builds("{}.A{}".format, st.sampled_from("01"),
              st.text(string.ascii_letters + "-_.", min_size=40, max_size=90)),
    st.builds("M.C5{}".format, st.text(string.ascii_letters + "!*$_-", min_size=40,
                                       max_size=90)),
)


def _survives(template: str, key: str, value: str) -> bool:
    text = template.format(k=key, v=value)
    out = redact(text)
    assert redact(out) == out  # redacting twice changes nothing
    return value in out or quote(value, safe="") in out


@pytest.fixture(autouse=True)
def _nothing_registered():
    forget_registered_secrets()  # these tests are about names and shapes only
    yield
    forget_registered_secrets()


@given(st.sampled_from(ANYWHERE + STRUCTURED_ONLY), st.sampled_from(STYLES),
       st.sampled_from(STRUCTURED), VALUES)
def test_structured_formats_mask_every_spelling_of_a_secret_name(words, style, template,
                                                                 value):
    key = _spell(words, style)
    assume(value not in template.format(k=key, v="") and value not in MASK)
    assert not _survives(template, key, value)


@given(st.sampled_from(ANYWHERE), st.sampled_from(STYLES), st.sampled_from(FREE), VALUES)
def test_free_text_masks_every_spelling_of_a_secret_name(words, style, template, value):
    key = _spell(words, style)
    assume(value not in template.format(k=key, v="") and value not in MASK)
    assert not _survives(template, key, value)


@given(st.sampled_from(ANYWHERE + STRUCTURED_ONLY),
       st.sampled_from(("snake", "kebab", "camel", "pascal", "upper", "flat")),
       st.sampled_from(PERCENT), VALUES)
def test_percent_encoded_fields_are_masked(words, style, template, value):
    key = _spell(words, style)
    encoded = quote(value, safe="")
    assume(encoded not in template.format(k=key, v=""))
    out = redact(template.format(k=key, v=encoded))
    assert encoded not in out and MASK in out


# Values of no known token shape (those are masked alone, whatever is around them): drawn
# as such rather than filtered out of VALUES, half of which are shaped (hypothesis's health
# check failed the test for filtering too much).
_UNSHAPED = st.one_of(
    st.text(alphabet=_VALUE_CHARS, min_size=8, max_size=90),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=43, max_size=128),
).filter(lambda v: not v.startswith(("eyJ", "EwB", "DAQAB", "0.A", "1.A", "M.C")))


@given(_UNSHAPED, st.sampled_from(("Bearer {}", "bearer%20{}",
                                                          "Authorization=Bearer+{}",
                                                          "auth: BEARER {}")))
def test_bearer_credentials_are_masked_plain_and_percent_encoded(value, template):
    assume(value not in template.format("") and "," not in value)
    assert value not in redact(template.format(value))


@given(st.sampled_from(("eyJ{a}.{b}.{c}", "EwB{a}{b}+{c}==", "DAQABAAEAAAD{a}{b}{c}",
                        "0.AXEA{a}{b}{c}", "M.C5{a}_{b}{c}")),
       *[st.text(string.ascii_letters + string.digits + "-_", min_size=14, max_size=40)] * 3,
       st.text(max_size=20), st.text(max_size=20))
def test_known_token_shapes_are_masked_alone_in_any_text(shape, a, b, c, before, after):
    value = shape.format(a=a, b=b, c=c)
    assume(value not in before + after)
    assert value not in redact(f"{before} {value} {after}")


def test_the_issue_examples_no_longer_leak():
    rt, dc, at = "0.FAKE-RT." + "r" * 40, "DAQABAAEAAAD--DLA3VO7QrddgJg7We" + "d" * 40, \
        "EwBwA+l3BAAUcDnR9grBJokeAHaUV8R3+rVHX+IAAVGhWJ" + "a" * 30 + "=="
    for text in (f"<refresh_token>{rt}</refresh_token>", f"refresh_token\n{rt}",
                 f"refresh_token: Bearer {rt}", f"refreshToken: {rt}", f"deviceCode={dc}",
                 f"codeVerifier: {rt}", f"refresh-token: {rt}", f"seen {dc} alone",
                 f"seen {at} alone", f"Authorization%3A%20bearer%20{rt}"):
        out = redact(text)
        assert rt not in out and dc not in out and at not in out, out


@pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")
def test_msal_info_line_with_the_auth_uri_keeps_no_state_nonce_or_challenge(caplog):
    msal = pytest.importorskip("msal")
    from o365desk.auth.redact import install_redaction, uninstall_redaction
    from tests.unit.test_redact import _FakeEntra

    fake = _FakeEntra()
    app = msal.PublicClientApplication("client-1", authority=fake.base, http_client=fake,
                                       instance_discovery=False)
    flow = app.initiate_auth_code_flow(["User.Read"], redirect_uri="http://localhost")
    install_redaction()
    try:
        with caplog.at_level(logging.INFO, logger="msal"):
            # What msal.oauth2cli.authcode logs at INFO when it opens the browser (it
            # formats the line itself, so the record has no arguments).
            logging.getLogger("msal.oauth2cli.authcode").info(
                "Open a browser on this device to visit: " + flow["auth_uri"])
    finally:
        uninstall_redaction()
    out = caplog.text
    assert "Open a browser" in out and "client_id=client-1" in out
    for secret in (flow["state"], flow["nonce"], flow["code_verifier"]):
        assert secret not in out


def test_long_hostile_lines_are_redacted_in_one_pass():
    # Many near-misses of every pattern in one line: a backtracking pattern would take
    # hours here; the possessive ones go through once.
    token = secrets.token_urlsafe(40)
    near_misses = "".join((
        "eyJ" + "a" * 5000, '"code": "' * 2000, "code=" * 2000, "<code " * 2000,
        "refresh_token: " * 2000, "bearer " * 2000, "0.A" + "b" * 5000, "EwB" * 2000,
        "\\" * 5000, "'refresh_token': b'" * 1000,
    ))
    out = redact(f"{near_misses} refresh_token={token} {near_misses}")
    assert token not in out
    assert len(out) > 10_000


def test_json_dump_of_a_token_answer_in_any_spelling():
    answer = {"tokenType": "Bearer", "accessToken": "at" + "x" * 30,
              "RefreshToken": "rt" + "y" * 30, "IdToken": "it" + "z" * 30,
              "expiresIn": 3600}
    out = redact(json.dumps(answer))
    assert json.loads(out)["expiresIn"] == 3600 and json.loads(out)["tokenType"] == "Bearer"
    for key in ("accessToken", "RefreshToken", "IdToken"):
        assert json.loads(out)[key] == MASK


def test_every_secret_name_holds_a_word_the_quick_check_looks_for():
    # redact() skips the name patterns for a line holding none of these words.
    from o365desk.auth.redact import _KEY_WORDS, SECRET_KEYS

    assert all(any(word in key for word in _KEY_WORDS) for key in SECRET_KEYS)
