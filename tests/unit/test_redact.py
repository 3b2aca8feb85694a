"""No auth code, PKCE verifier, token or password survives into a log line."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import secrets
import stat
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from o365desk.auth import redact as redaction
from o365desk.auth.redact import (
    MASK,
    RedactingFilter,
    RedactingFormatter,
    install_redaction,
    redact,
    set_msal_log_level,
    setup_logging,
    uninstall_redaction,
)

CODE = "0.AXEA" + "q" * 20 + "codeSecret1"
VERIFIER = "verifierSecret_" + "v" * 30
CHALLENGE = "challengeSecret-" + "c" * 27
AT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJVc2VyLlJlYWQifQ.atSignatureSecret"
RT = "1.AXEA" + "r" * 60 + "refreshSecret"
CLIENT_INFO = "eyJ1aWQiOiIxMjM0NTY3OCIsInV0aWQiOiI4NzY1NDMyMSJ9"
SECRETS = (CODE, VERIFIER, CHALLENGE, AT, RT, CLIENT_INFO, "hunter2pass", "devCodeSecret99")

MSAL_STYLE_LINES = [
    # msal.token_cache at DEBUG: the request data holds the code and the verifier.
    "event=" + json.dumps({
        "client_id": "14d82eec", "data": {"code": CODE, "code_verifier": VERIFIER,
                                          "redirect_uri": "http://localhost"},
        "response": {"access_token": "********", "client_info": CLIENT_INFO,
                     "id_token": AT, "refresh_token": "********"},
        "scope": ["User.Read"]}, indent=4),
    # msal.oauth2cli.authcode: the parsed auth response, as a dict repr.
    "Got auth response: " + repr({"code": [CODE], "state": ["s"],
                                  "client_info": [CLIENT_INFO], "session_state": ["x"]}),
    # The loopback server's access log line.
    f'127.0.0.1 - - "GET /?code={CODE}&state=abc&session_state=def HTTP/1.1" 200 -',
    # urllib3 at DEBUG: the authorize URL with the challenge, a token POST body.
    'https://login.microsoftonline.com:443 "GET /organizations/oauth2/v2.0/authorize?'
    f'client_id=x&code_challenge={CHALLENGE}&code_challenge_method=S256 HTTP/1.1" 200 None',
    f"body: grant_type=refresh_token&refresh_token={RT}&client_info=1&scope=User.Read",
    f"Token response is not in json format: access_token={AT}&refresh_token={RT}",
    f"send: b'POST /token HTTP/1.1\\r\\nAuthorization: Bearer {AT}\\r\\nHost: x\\r\\n'",
    "headers: " + repr({"Authorization": f"Bearer {AT}", "Accept": "application/json"}),
    json.dumps(json.dumps({"access_token": AT, "refresh_token": RT})),  # JSON inside JSON
    "ROPC data password=hunter2pass&username=a@b.c; device_code: devCodeSecret99",
    f"redirect=http%3A%2F%2Flocalhost%2F%3Fcode%3D{CODE}%26state%3Dabc",
    f"opaque RT seen alone: {RT}",
]


@pytest.fixture
def clean_logging():
    """Put root, msal and o365desk loggers back as they were after each test."""
    names = ("", "msal", "o365desk", "urllib3", "requests", "msal.application")
    saved = {n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers)) for n in names}
    factory = logging.getLogRecordFactory()
    yield
    uninstall_redaction()
    logging.setLogRecordFactory(factory)
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()


def _no_secret_in(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert leaked == [], text


@pytest.mark.parametrize("line", MSAL_STYLE_LINES)
def test_realistic_msal_debug_lines_lose_every_secret(line):
    out = redact(line)
    _no_secret_in(out)
    assert MASK in out
    assert redact(out) == out  # redacting twice changes nothing


def test_harmless_text_is_left_alone():
    for text in ("Refresh failed. invalid_grant: AADSTS70008: expired",
                 "status code: 500", "scope=User.Read openid&prompt=select_account",
                 "Connection state: ready", "token_type=Bearer&expires_in=3600",
                 "the refresh token was refused; sign in again",
                 "Initializing with Entra authority: https://login.microsoftonline.com/x"):
        assert redact(text) == text


def _capture(logger_name: str, *, with_filter: bool) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    if with_filter:
        handler.addFilter(RedactingFilter())
    logging.getLogger().addHandler(handler)
    logger = logging.getLogger(logger_name)
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_filter_on_a_handler_redacts_records_of_child_loggers(clean_logging):
    logger, stream = _capture("msal.application", with_filter=True)
    logger.debug("Got auth response: %s", {"code": [CODE], "client_info": [CLIENT_INFO]})
    try:
        raise ValueError(f"bad response {RT}")
    except ValueError:
        logger.exception("Token response is not in json format: %s", f'{{"access_token": "{AT}"}}')
    out = stream.getvalue()
    _no_secret_in(out)
    assert "Got auth response" in out and "Traceback" in out and "bad response" in out


def test_record_factory_protects_handlers_added_later(clean_logging):
    install_redaction()
    logger, stream = _capture("o365desk.somewhere", with_filter=False)
    logger.warning("login with %s and code=%s", {"refresh_token": RT}, CODE)
    out = stream.getvalue()
    _no_secret_in(out)
    assert "login with" in out


def test_bad_format_arguments_are_still_redacted_not_lost(clean_logging):
    install_redaction()
    logger, stream = _capture("o365desk.x", with_filter=False)
    logger.info("two %s %s but one arg", f"code={CODE}")
    _no_secret_in(stream.getvalue())


def test_formatter_redacts_extra_fields_too():
    formatter = RedactingFormatter("%(message)s %(user)s")
    record = logging.makeLogRecord({"msg": "hello", "user": f"Bearer {AT}"})
    out = formatter.format(record)
    _no_secret_in(out)
    assert out.startswith("hello")


def test_msal_loggers_are_kept_at_info(clean_logging):
    logging.getLogger("msal").setLevel(logging.DEBUG)
    logging.getLogger("msal.application").setLevel(logging.DEBUG)
    set_msal_log_level(logging.DEBUG)  # asking for DEBUG still gives INFO
    assert logging.getLogger("msal").level == logging.INFO
    assert not logging.getLogger("msal.application").isEnabledFor(logging.DEBUG)
    set_msal_log_level(logging.WARNING)
    assert logging.getLogger("msal").level == logging.WARNING


def test_setup_logging_writes_a_private_rotating_redacted_file(clean_logging, config_dir):
    path = setup_logging()
    assert path == config_dir / "data" / "logs" / "o365desk.log"
    assert setup_logging() == path  # a second call adds no second handler
    ours = [h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(path)]
    assert len(ours) == 1 and isinstance(ours[0], logging.handlers.RotatingFileHandler)
    log = logging.getLogger("o365desk.auth.test")
    log.info("redirect caught: http://localhost/?code=%s&state=s", CODE)
    log.warning("token response %s", json.dumps({"access_token": AT, "refresh_token": RT}))
    logging.getLogger("msal.application").debug("verifier %s", {"code_verifier": VERIFIER})
    for handler in ours:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    _no_secret_in(text)
    assert "redirect caught" in text and "token response" in text
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        ours[0].doRollover()  # the fresh file after a rotation is private too
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(f"{path}.1").st_mode) == 0o600


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class _Response:
    def __init__(self, body: dict) -> None:
        self.status_code, self.text, self.headers = 200, json.dumps(body), {}

    def raise_for_status(self) -> None:
        pass


class _FakeEntra:
    """Just enough of the identity platform for MSAL's auth-code flow, without a network."""

    def __init__(self) -> None:
        self.nonce = ""
        self.base = "https://login.fake.test/contoso"

    def get(self, url, **kwargs):
        return _Response({"authorization_endpoint": f"{self.base}/oauth2/v2.0/authorize",
                          "token_endpoint": f"{self.base}/oauth2/v2.0/token",
                          "issuer": f"{self.base}/v2.0"})

    def post(self, url, data=None, **kwargs):
        id_token = ".".join((_b64({"alg": "none"}), _b64({
            "iss": f"{self.base}/v2.0", "aud": "client-1", "nonce": self.nonce,
            "iat": 1_700_000_000, "exp": 4_000_000_000, "oid": "o", "tid": "t",
            "preferred_username": "admin@contoso.com"}), "sig"))
        return _Response({"token_type": "Bearer", "scope": "User.Read", "expires_in": 3600,
                          "access_token": AT, "refresh_token": RT, "id_token": id_token,
                          "client_info": CLIENT_INFO})

    def close(self):
        pass


@pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")
def test_real_msal_debug_output_is_redacted_even_at_debug(clean_logging):
    msal = pytest.importorskip("msal")
    install_redaction()
    logger, stream = _capture("msal", with_filter=False)  # no filter: the factory must do it
    logger.setLevel(logging.DEBUG)  # what someone debugging might do despite the rule
    fake = _FakeEntra()
    app = msal.PublicClientApplication("client-1", authority=fake.base, http_client=fake,
                                       instance_discovery=False)
    flow = app.initiate_auth_code_flow(["User.Read"], redirect_uri="http://localhost")
    fake.nonce = parse_qs(urlsplit(flow["auth_uri"]).query)["nonce"][0]
    result = app.acquire_token_by_auth_code_flow(
        flow, {"code": CODE, "state": flow["state"], "client_info": CLIENT_INFO})
    assert result.get("access_token") == AT, result
    out = stream.getvalue()
    # Without redaction this output holds the code, client_info and the verifier.
    assert "event=" in out and "code_verifier" in out
    _no_secret_in(out)
    assert flow["code_verifier"] not in out
    assert redaction._previous_factory is not None


_TOKEN = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~",
                 min_size=8, max_size=120)
_TEMPLATES = [
    "code={}&state=abc", "GET /?state=1&code={} HTTP/1.1", "?code_verifier={}",
    "code_challenge={}&code_challenge_method=S256", 'token "access_token": "{}", "x": 1',
    "{{'refresh_token': '{}'}}", "{{'code': ['{}']}}", '{{"id_token":"{}"}}',
    "Authorization: Bearer {}", "{{'Authorization': 'Bearer {}'}}", "password={}&user=a",
    "client_secret: {}", "device_code = {}", '\\"refresh_token\\": \\"{}\\"',
    "http%3A%2F%2Flocalhost%3Fcode%3D{}%26state", "client_info={}", "Cookie: ESTSAUTH={}; a=b",
    "refresh_token:{}\nnext line",
    # Reprs: keyword arguments, bytes, lists of pairs; free text with a quoted value.
    "Flow(code_verifier='{}', state='s')", 'call(password="{}")', "refresh_token = '{}'",
    "data={{b'code_verifier': b'{}'}}", "[('code', '{}'), ('state', 's')]",
    "('code_verifier', '{}')", 'client_secret: "{}"',
]


@given(st.sampled_from(_TEMPLATES), _TOKEN)
def test_a_random_secret_in_common_patterns_never_survives(template, token):
    assume(token not in template and token not in MASK)
    assert token not in redact(template.format(token))


_B64URL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                  min_size=10, max_size=80)


@given(_B64URL, _B64URL, _B64URL, st.text(max_size=30), st.text(max_size=30))
def test_any_jwt_anywhere_never_survives(header, payload, signature, before, after):
    jwt = f"eyJ{header}.{payload}.{signature}"
    assume(jwt not in before + after)
    assert jwt not in redact(f"{before} {jwt} {after}")


def test_secrets_differ_per_run_too():
    token = secrets.token_urlsafe(48)
    for template in _TEMPLATES:
        assert token not in redact(template.format(token))
