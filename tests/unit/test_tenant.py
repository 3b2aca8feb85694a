"""What typed or pasted organisation text becomes, and what is refused with which message."""

from __future__ import annotations

import pytest

from o365desk.core.tenant import (
    ACCEPTED,
    DEFAULT_TENANT,
    TenantError,
    parse_tenant,
    unicode_domain,
)

GUID = "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("contoso.com", "contoso.com"),
        ("Contoso.OnMicrosoft.com", "contoso.onmicrosoft.com"),
        ("contoso.com ", "contoso.com"),
        ("\tcontoso.com\r\n", "contoso.com"),
        ("\u00a0contoso.com\u200b", "contoso.com"),  # a web page's no-break and zero-width space
        ("contoso.com.", "contoso.com"),
        ("admin@contoso.com", "contoso.com"),
        ("  Admin@Contoso.COM ", "contoso.com"),
        ("mailto:admin@contoso.com", "contoso.com"),
        ("Ada Admin <ada.admin@contoso.com>", "contoso.com"),
        ("first.last+tag@sub.contoso.co.uk", "sub.contoso.co.uk"),
        ("https://contoso.com/", "contoso.com"),
        ("https://contoso.com/about/team?x=1#top", "contoso.com"),
        ("http://www.contoso.com", "contoso.com"),
        ("HTTPS://Contoso.com:8443/x", "contoso.com"),
        ("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
         "contoso.onmicrosoft.com"),
        (f"https://login.microsoftonline.us/{GUID.upper()}/v2.0", GUID),
        ("https://login.microsoftonline.com/organizations/", DEFAULT_TENANT),
        ("https://login.microsoftonline.com/common/oauth2/authorize", DEFAULT_TENANT),
        # A link to the organisation's SharePoint or OneDrive: its name in Microsoft 365.
        ("https://contoso.sharepoint.com/sites/Payroll/Shared%20Documents",
         "contoso.onmicrosoft.com"),
        ("https://contoso-my.sharepoint.com/personal/ada_contoso_com", "contoso.onmicrosoft.com"),
        ("contoso-admin.sharepoint.com", "contoso.onmicrosoft.com"),
        ("https://fabrikam.sharepoint.us/sites/x", "fabrikam.onmicrosoft.us"),
        (GUID, GUID),
        (GUID.upper(), GUID),
        ("{" + GUID + "}", GUID),
        ("{ " + GUID.upper() + " }", GUID),
        ("(" + GUID + ")", GUID),
        (GUID.replace("-", ""), GUID),
        ("organizations", DEFAULT_TENANT),
        ("ORGANIZATIONS", DEFAULT_TENANT),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("admin@bücher.example", "xn--bcher-kva.example"),
        ("\uff43\uff4f\uff4e\uff54\uff4f\uff53\uff4f\u3002com", "contoso.com"),  # full-width
        ("c\u043entoso.com", "xn--cntoso-wqf.com"),  # a Cyrillic o: shown as xn--, not hidden
    ],
)
def test_what_is_typed_or_pasted_becomes_the_tenant_inside_it(typed, stored):
    assert parse_tenant(typed) == stored


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "Type your organisation's domain"),
        ("   ", "Type your organisation's domain"),
        ("not a tenant!", '"not a tenant!" is not an organisation'),
        ("contoso", '"contoso" is not an organisation'),
        ("contoso..com", "is not an organisation"),
        ("-contoso.com", "is not an organisation"),
        ("contoso.com:443", "is not an organisation"),
        ("@contoso.com", "is not an organisation"),
        ("ada admin@contoso.com", "is not an organisation"),
        ("ftp://contoso.com/", "is not an organisation"),
        ("https://", "is not an organisation"),
        ("https://[::1/", "is not an organisation"),
        ("https://login.microsoftonline.com/", "is not an organisation"),
        ("https://evil.example@contoso.com/", "user name or password"),
        ("https://admin:pw@contoso.com/", "user name or password"),
        ("{" + GUID + "", "is not an organisation"),
        ("contoso\u202e.com", "U+202E"),
        ("contoso\x00.com", "U+0000"),
        ("conto\nso.com", "U+000A"),
        ("contoso\u200b.com", "U+200B"),
        ("a" * 300 + ".com", "\u2026\" is not an organisation"),
        ("x" * 64 + ".com", "is not an organisation"),
        ("<b>bold</b>", "is not an organisation"),
    ],
)
def test_anything_else_is_refused_saying_what_is_accepted(typed, fragment):
    with pytest.raises(TenantError) as caught:
        parse_tenant(typed)
    message = str(caught.value)
    assert fragment in message
    assert message.endswith(ACCEPTED)
    assert "admin@contoso.com" in message and "GUID" in message
    assert all(ch.isprintable() for ch in message), repr(message)  # nothing raw
    assert len(message) < 400  # a 300-character paste is quoted shortened


def test_nothing_typed_is_not_an_organisation():  # "choose when signing in" is explicit
    with pytest.raises(TenantError):
        parse_tenant("")


def test_an_international_domain_is_shown_in_its_own_script():
    assert unicode_domain("xn--mnchen-3ya.de") == "münchen.de"
    assert unicode_domain("contoso.com") == "contoso.com"
    assert unicode_domain("xn--zz.com") == "xn--zz.com"  # not valid punycode: as stored
