"""The fake identity platform checks a client assertion as Entra does: signed (PS256 or
RS256) by a certificate registered on the app and named by its thumbprint, for the token
endpoint, by the app, valid now. Assertions signed here, posted over HTTPS."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from tests.e2e.certificates import certificate, rsa_key

APP = "5d1c8a2e-0b3f-4c7d-9e6a-2f4b8c0d1e3a"
TENANT = "contoso.onmicrosoft.com"
BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture(scope="module")
def key():
    return rsa_key()


@pytest.fixture(scope="module")
def cert(key):
    return certificate(key)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def assertion(fake, key, cert, alg="PS256", **changes) -> str:
    header = {"alg": alg, "typ": "JWT"}
    if alg == "PS256":
        header["x5t#S256"] = b64(cert.fingerprint(hashes.SHA256()))
    else:
        header["x5t"] = b64(cert.fingerprint(hashes.SHA1()))
    header.update(changes.pop("header", {}))
    now = int(time.time())
    claims = {"aud": f"{fake.base_url}/{fake.tid_for(TENANT)}/oauth2/v2.0/token",
              "iss": APP, "sub": APP, "jti": "x", "nbf": now, "exp": now + 600, **changes}
    signed = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    pad = padding.PSS(padding.MGF1(hashes.SHA256()), hashes.SHA256().digest_size) \
        if alg == "PS256" else padding.PKCS1v15()
    return f"{signed}.{b64(key.sign(signed.encode(), pad, hashes.SHA256()))}"


def post(fake, token: str, tenant: str | None = None) -> dict:
    session = fake.http_session()
    try:
        answer = session.post(
            f"{fake.base_url}/{tenant or fake.tid_for(TENANT)}/oauth2/v2.0/token", data={
                "client_id": APP, "grant_type": "client_credentials",
                "scope": "https://graph.microsoft.com/.default",
                "client_assertion_type": BEARER, "client_assertion": token})
    finally:
        session.close()
    return answer.json()


def test_a_good_assertion_gets_a_token_with_ps256_and_rs256(fake_identity, key, cert):
    fake_identity.register_app_certificate(APP, cert, roles=("User.Read.All",))
    for alg in ("PS256", "RS256"):
        assert "access_token" in post(fake_identity, assertion(fake_identity, key, cert, alg))
    assert fake_identity.assertion_refusals == []


@pytest.mark.parametrize("case,code", [
    ("another key signed it", 700027), ("unregistered thumbprint", 700027),
    ("aud of another endpoint", 700027), ("iss of another app", 700027),
    ("sub of another app", 700027), ("expired", 700024), ("not yet valid", 700024),
    ("alg none", 700027), ("not a jwt", 700027), ("rs256 named by sha-256", 700027),
])
def test_a_bad_assertion_is_refused(fake_identity, key, cert, case, code):
    fake_identity.register_app_certificate(APP, cert, roles=("User.Read.All",))
    now = int(time.time())
    made = {
        "another key signed it": lambda: assertion(fake_identity, rsa_key(), cert),
        "unregistered thumbprint": lambda: assertion(fake_identity, key, certificate(key)),
        "aud of another endpoint": lambda: assertion(
            fake_identity, key, cert, aud="https://login.microsoftonline.com/x/oauth2/token"),
        "iss of another app": lambda: assertion(fake_identity, key, cert, iss="other"),
        "sub of another app": lambda: assertion(fake_identity, key, cert, sub="other"),
        "expired": lambda: assertion(fake_identity, key, cert, exp=now - 3600),
        "not yet valid": lambda: assertion(fake_identity, key, cert, nbf=now + 3600),
        "alg none": lambda: assertion(fake_identity, key, cert, header={"alg": "none"}),
        "not a jwt": lambda: "not-a-jwt",
        "rs256 named by sha-256": lambda: assertion(
            fake_identity, key, cert, "RS256", header={
                "x5t#S256": b64(cert.fingerprint(hashes.SHA256())), "x5t": "nope"}),
    }[case]
    answer = post(fake_identity, made())
    assert "access_token" not in answer
    assert answer["error_codes"] == [code], answer
    assert answer["error"] == "invalid_client"
