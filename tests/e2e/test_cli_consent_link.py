"""The admin-consent link the command line prints after a failure that needs consent is
the v2.0 one on the connection's own host: `o365desk token` of an app-only connection
refused with AADSTS65001 by the fake, through the real MSAL and the real Secret Service."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.e2e.test_cli_app_only import (
    APP_ID,
    SECRET,
    TENANT,
    add_app,
    cli_env,  # noqa: F401 (a fixture)
    o365desk,
)


def test_a_missing_consent_prints_the_v2_link(
        fake_identity, cli_env, secret_service_vault):  # noqa: F811 (the fixture)
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All",))
    assert add_app(fake_identity, cli_env, "Daemon", "User.Read.All").returncode == 0
    fake_identity.fail_token(65001, grant="client_credentials")
    token = o365desk(cli_env, "token", "Daemon")
    assert token.returncode == 1 and token.stdout == ""
    (line,) = [s for s in token.stderr.splitlines() if s.startswith("Admin-consent link: ")]
    link = urlsplit(line.removeprefix("Admin-consent link: "))
    assert f"{link.scheme}://{link.netloc}{link.path}" == \
        f"{fake_identity.base_url}/{TENANT}/v2.0/adminconsent"
    query = parse_qs(link.query, strict_parsing=True)
    assert query["client_id"] == [APP_ID]
    assert query["scope"] == ["https://graph.microsoft.com/.default"]
    assert query["redirect_uri"] == ["http://localhost"] and query["state"][0]
