"""The admin-consent link, the explanation of its answers, and the roles check."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from o365desk.auth.admin_consent import (
    WHAT_THE_ADMIN_SEES,
    admin_consent_url,
    consent_link_for,
    explain_refusal,
    missing_roles,
    missing_roles_message,
)
from o365desk.auth.claims import TokenClaims
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind

CLIENT = "5b0c1a2e-9d8f-4e7a-b6c5-d4e3f2a1b0c9"
REDIRECT = "http://localhost:53117"


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, strict_parsing=True).items()}


@pytest.mark.parametrize(("cloud", "host", "graph"), [
    (Cloud.GLOBAL, "login.microsoftonline.com", "https://graph.microsoft.com"),
    (Cloud.USGOV, "login.microsoftonline.us", "https://graph.microsoft.us"),
    (Cloud.USGOVDOD, "login.microsoftonline.us", "https://dod-graph.microsoft.us"),
    (Cloud.CHINA, "login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"),
])
def test_the_link_is_the_v2_form_on_the_clouds_own_hosts(cloud, host, graph):
    url = admin_consent_url(cloud, "contoso.com", CLIENT, REDIRECT, "s&t=1 x")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", host,
                                                        "/contoso.com/v2.0/adminconsent")
    assert _query(url) == {"client_id": CLIENT, "scope": f"{graph}/.default",
                           "redirect_uri": REDIRECT, "state": "s&t=1 x"}
    # Every value is encoded: nothing of the state or the URIs leaks into the structure.
    assert parts.query.count("&") == 3 and "://" not in parts.query and " " not in url


def test_the_link_encodes_the_tenant_and_makes_a_generic_one_organizations():
    url = admin_consent_url("global", "a/b?c", CLIENT, REDIRECT, "s")
    assert urlsplit(url).path == "/a%2Fb%3Fc/v2.0/adminconsent"
    for generic in ("common", "organizations", "", None):
        url = admin_consent_url(Cloud.GLOBAL, generic, CLIENT, REDIRECT, "s")
        assert urlsplit(url).path == "/organizations/v2.0/adminconsent"


def test_an_authority_override_gives_the_host_and_a_graph_resource_the_scope():
    url = admin_consent_url(Cloud.USGOV, "contoso.us", CLIENT, REDIRECT, "s",
                            "https://graph.microsoft.us/", authority="https://login.microsoft.us/x")
    assert url.startswith("https://login.microsoft.us/contoso.us/v2.0/adminconsent?")
    assert _query(url)["scope"] == "https://graph.microsoft.us/.default"


def test_an_app_only_connection_asks_for_default_and_a_delegated_one_for_its_scopes():
    app_only = Connection("Payroll", tenant="contoso.us", cloud=Cloud.USGOV, client_id=CLIENT,
                          kind=Kind.APP_ONLY, scopes=("User.Read.All",),
                          graph_endpoint="https://graph.example.test")
    query = _query(consent_link_for(app_only, REDIRECT, "s"))
    assert query["scope"] == "https://graph.microsoft.us/.default"  # not the override
    delegated = Connection("Mail", tenant="contoso.com", client_id=CLIENT,
                           scopes=("Mail.Send", "User.Read", "offline_access"))
    query = _query(consent_link_for(delegated, REDIRECT, "s"))
    assert query["scope"] == "https://graph.microsoft.com/Mail.Send " \
                             "https://graph.microsoft.com/User.Read"


def test_a_generic_tenant_with_an_authority_override_takes_the_authoritys_tenant():
    connection = Connection("Test", authority="https://127.0.0.1:4443/contoso.com",
                            client_id=CLIENT)
    url = consent_link_for(connection, REDIRECT, "s")
    assert url.startswith("https://127.0.0.1:4443/contoso.com/v2.0/adminconsent?")


def test_the_explanation_says_what_the_admin_sees_and_does():
    assert "Accept" in WHAT_THE_ADMIN_SEES and "administrator" in WHAT_THE_ADMIN_SEES


@pytest.mark.parametrize(("error", "description", "words"), [
    ("access_denied", "AADSTS65004: User declined to consent to access the app.", "Cancel"),
    ("access_denied", "", "Cancel"),
    ("access_denied", "AADSTS90094: An administrator must approve.", "Global Administrator"),
    ("invalid_request", "AADSTS50011: The redirect URI does not match.", "http://localhost"),
    ("unauthorized_client", "AADSTS700016: Application not found.", "client ID"),
    ("invalid_request", "AADSTS90002: Tenant 'x' not found.", 'organisation "contoso.com"'),
])
def test_each_refusal_is_explained_with_what_to_do(error, description, words):
    connection = Connection("Payroll", tenant="contoso.com", client_id=CLIENT)
    message = explain_refusal(error, description, connection=connection)
    assert words in message and "AADSTS" not in message and "Traceback" not in message


def test_an_unknown_refusal_keeps_its_code_for_it():
    connection = Connection("Payroll", tenant="contoso.com", client_id=CLIENT)
    message = explain_refusal("server_error", "AADSTS12345678: new", connection=connection)
    assert message.startswith("Microsoft's page didn't approve the app: ")
    assert "AADSTS12345678" in message


def test_missing_roles_names_the_requested_roles_the_token_lacks():
    claims = {"roles": ["User.Read.All", "https://graph.microsoft.com/Mail.Send"]}
    requested = ["user.read.all", "Mail.Send", "Group.Read.All", "Group.Read.All",
                 "https://graph.microsoft.us/Sites.Read.All"]
    assert missing_roles(claims, requested) == ["Group.Read.All", "https://graph.microsoft.us/"
                                                                  "Sites.Read.All"]
    token = TokenClaims(("User.Read.All",), None, None, None, (), None, claims)
    assert missing_roles(token, ["Mail.Send", "Files.Read.All"]) == ["Files.Read.All"]


def test_a_token_without_roles_lacks_every_requested_role_but_not_default():
    for claims in ({}, {"roles": "User.Read.All"}, {"roles": None}, {"scp": "User.Read.All"}):
        assert missing_roles(claims, ["User.Read.All", ".default"]) == ["User.Read.All"]


def test_the_missing_roles_message_names_them_and_says_what_to_do():
    assert missing_roles_message([], "Payroll") == ""
    one = missing_roles_message(["Mail.Send"], "Payroll")
    assert "application permission Mail.Send" in one and 'o365desk consent "Payroll"' in one
    two = missing_roles_message(["Mail.Send", "Group.Read.All"], "Payroll")
    assert "2 of the application permissions asked for (Mail.Send, Group.Read.All)" in two
    assert "API permissions" in two and "grant admin consent again" in two
