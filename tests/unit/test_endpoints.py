"""Authority and Graph endpoint rules, and the CLI's --authority refusing hostile values."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.clouds import Cloud
from o365desk.core.endpoints import EndpointError, normalize_authority, normalize_graph_endpoint

GUID = "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"

HOSTILE_AUTHORITIES = [
    # a user name or password before the host
    "https://login.microsoftonline.com@127.0.0.1/t",
    "https://login.microsoftonline.com@evil.example/contoso.com",
    "https://user:pass@login.microsoftonline.com/contoso.com",
    "https://@login.microsoftonline.com/contoso.com",
    "https://login.microsoftonline.com:443@evil.example/t",
    "https://a%40b@evil.example/t",
    "https://login.microsoftonline.com%40evil.example/t",
    "https://evil.example\\@login.microsoftonline.com/t",
    "https://login.microsoftonline.com\\evil.example/t",
    "https://login.microsoftonline.com@[::1]/t",
    # homographs and mixed scripts
    "https://l\u043egin.microsoftonline.com/contoso.com",  # Cyrillic o
    "https://login.micr\u043es\u043eftonline.com/contoso.com",
    "https://log\u0456n.microsoftonline.com/contoso.com",  # Cyrillic i
    "https://login.microsoftonl\u0456ne.com/t",
    "https://\u0430\u0440\u0440\u04cf\u0435.com/t",  # all-Cyrillic "apple"
    "https://xn--80ak6aa92e.com/t",  # the same, already in punycode
    "https://l\u03bfgin.microsoftonline.com/t",  # Greek omicron
    "https://\u03bf\u03c1\u03b5\u03b1.example/t",  # Greek letters that look Latin
    "https://login.micro\u0455oft.com/t",  # Cyrillic dze
    "https://\uff4c\uff4f\uff47\uff49\uff4e.microsoftonline.com/t",  # fullwidth
    "https://login\u3002microsoftonline.com/t",  # ideographic full stop
    "https://login\uff0emicrosoftonline.com/t",  # fullwidth full stop
    "https://login\uff61microsoftonline.com/t",
    "https://\u217cogin.microsoftonline.com/t",  # Roman numeral fifty
    "https://login.microsoftonline.\u0441om/t",  # Cyrillic es
    "https://p\u0430ypal.example/t",
    "https://\u0261oogle.example/t",  # Latin script g from IPA: mixed with none but odd
    "https://mi\u0441rosoft.com/t",
    "https://\u13aa\u13a2.example/t",  # Cherokee letters
    "https://xn--lgin-9ve.microsoftonline.com/t",  # Cyrillic o in punycode
    # control and invisible characters
    "https://login.microsoftonline.com/contoso.com\n",
    "https://login.microsoftonline.com/con\ntoso.com",
    "https://login.microsoftonline.com/con\rtoso.com",
    "https://login.microsoftonline.com/con\ttoso.com",
    "https://login.microsoftonline.com/\x00contoso.com",
    "https://login.micro\x00softonline.com/t",
    "https://login.microsoftonline.com/\x1b[31mcontoso",
    "https://login.microsoftonline.com/contoso\x7f",
    "https://login.microsoftonline.com/contoso\u0085",
    "https://login.micro\u200bsoftonline.com/t",  # zero width space
    "https://login.microsoftonline.com/con\u200dtoso",
    "https://login.microsoftonline.com/\u202econtoso",  # right-to-left override
    "https://login.microsoftonline.com/contoso\u2066",
    "https://login.microsoft\u00adonline.com/t",  # soft hyphen
    "https://login.microsoftonline.com/\ufeffcontoso",
    "https://login.microsoftonline.com/contoso\u2028",
    "https://\u200elogin.microsoftonline.com/t",
    # bad ports
    "https://login.microsoftonline.com:0/t",
    "https://login.microsoftonline.com:65536/t",
    "https://login.microsoftonline.com:99999/t",
    "https://login.microsoftonline.com:/t",
    "https://login.microsoftonline.com:-1/t",
    "https://login.microsoftonline.com:+443/t",
    "https://login.microsoftonline.com:443:443/t",
    "https://login.microsoftonline.com:44a/t",
    "https://login.microsoftonline.com:\u0664\u0664\u0663/t",  # Arabic-Indic digits
    "https://login.microsoftonline.com:123456/t",
    "https://127.0.0.1:0/t",
    "https://[::1]:70000/t",
    "https://[::1/t",
    # spaces
    "https://login.microsoftonline.com/contoso com",
    "https://login microsoftonline.com/t",
    "https://login.microsoftonline.com /t",
    "https://login.microsoftonline.com/\u00a0contoso",
    "https://login.microsoftonline.com/contoso\u3000x",
    "https:// login.microsoftonline.com/t",
    # not https
    "http://login.microsoftonline.com/contoso.com",
    "http://127.0.0.1:8443/contoso.com",
    "http://localhost/t",
    "ftp://login.microsoftonline.com/t",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "login.microsoftonline.com/contoso.com",
    "//login.microsoftonline.com/contoso.com",
    "https:/login.microsoftonline.com/t",
    "https:login.microsoftonline.com/t",
    "httpss://login.microsoftonline.com/t",
    "ws://login.microsoftonline.com/t",
    # fragments and queries
    "https://login.microsoftonline.com/contoso.com#x",
    "https://login.microsoftonline.com/contoso.com#",
    "https://login.microsoftonline.com#@evil.example/t",
    "https://evil.example#.login.microsoftonline.com/t",
    "https://login.microsoftonline.com/contoso.com?x=1",
    "https://login.microsoftonline.com/contoso.com?",
    "https://login.microsoftonline.com?/t",
    "https://login.microsoftonline.com/t?redirect=https://evil.example",
    # odd hosts and paths
    "https:///contoso.com",
    "https://login.microsoftonline.com./t",
    "https://login..microsoftonline.com/t",
    "https://-login.microsoftonline.com/t",
    "https://login-.microsoftonline.com/t",
    "https://login_x.microsoftonline.com/t",
    "https://2130706433/t",
    "https://0x7f000001/t",
    "https://127.1/t",
    "https://0127.0.0.1/t",
    "https://256.0.0.1/t",
    "https://[fe80::1%25eth0]/t",
    "https://[not-an-ip]/t",
    "https://" + "a" * 64 + ".example/t",
    "https://" + ".".join(["abcdefghi"] * 30) + ".example/t",
    "https://login.microsoftonline.com",
    "https://login.microsoftonline.com/",
    "https://login.microsoftonline.com/contoso.com/oauth2",
    "https://login.microsoftonline.com//contoso.com",
    "https://login.microsoftonline.com/%2e%2e",
    "https://login.microsoftonline.com/..",
    "https://login.microsoftonline.com/con%0atoso",
    "https://login.microsoftonline.com/contoso.com;x",
    "https://login.microsoftonline.com/\u00e9cole.fr",
    "https://login.microsoftonline.com/contoso.com/../evil",
]

GOOD_AUTHORITIES = {
    "https://login.microsoftonline.com/contoso.com": Cloud.GLOBAL,
    "https://login.microsoftonline.com/organizations": Cloud.GLOBAL,
    "https://login.microsoftonline.com/common": Cloud.GLOBAL,
    f"https://login.microsoftonline.com/{GUID}": Cloud.GLOBAL,
    "https://login.microsoftonline.us/contoso.onmicrosoft.us": Cloud.USGOV,
    f"https://login.microsoftonline.us/{GUID}": Cloud.USGOVDOD,
    "https://login.chinacloudapi.cn/fabrikam.partner.onmschina.cn": Cloud.CHINA,
    "https://login.partner.microsoftonline.cn/contoso.cn": Cloud.CHINA,
    "https://adfs.contoso.com/adfs": Cloud.GLOBAL,
    "https://login.contoso.example:8443/contoso.com": Cloud.GLOBAL,
    "https://127.0.0.1:8443/contoso.com": Cloud.GLOBAL,
    "https://[::1]:8443/organizations": Cloud.GLOBAL,
}


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


def test_there_are_about_a_hundred_hostile_authorities():
    assert len(HOSTILE_AUTHORITIES) >= 100
    assert len(set(HOSTILE_AUTHORITIES)) == len(HOSTILE_AUTHORITIES)


@pytest.mark.parametrize("raw", HOSTILE_AUTHORITIES)
def test_hostile_authorities_are_refused(raw):
    with pytest.raises(EndpointError):
        normalize_authority(raw, Cloud.GLOBAL)


def test_the_cli_refuses_every_hostile_authority_and_saves_nothing(services, capsys):
    for number, raw in enumerate(HOSTILE_AUTHORITIES):
        assert cli(services, "add", f"Hostile {number}", "--authority", raw) == 1, raw
        err = capsys.readouterr().err
        assert err.startswith("o365desk: The authority") or "authority" in err, (raw, err)
        assert "Traceback" not in err
    assert services.store.load() == []


@pytest.mark.parametrize(("raw", "cloud"), GOOD_AUTHORITIES.items())
def test_real_and_custom_authorities_are_accepted(raw, cloud):
    assert normalize_authority(raw, cloud) == raw
    assert normalize_authority(f"  {raw}/ ", cloud) == raw


def test_the_cli_saves_the_good_authorities(services):
    for number, (raw, cloud) in enumerate(GOOD_AUTHORITIES.items()):
        assert cli(services, "add", f"Good {number}", "--cloud", cloud.value,
                   "--authority", raw) == 0, raw
        assert services.store.find(f"Good {number}").authority == raw


def test_an_international_host_is_kept_in_its_punycode_form():
    assert normalize_authority("https://b\u00fccher.example/t") == "https://xn--bcher-kva.example/t"
    assert normalize_authority("https://LOGIN.MicrosoftOnline.com/Contoso.com") == \
        "https://login.microsoftonline.com/Contoso.com"


def test_a_microsoft_sign_in_host_of_another_cloud_is_refused():
    with pytest.raises(EndpointError, match="another cloud"):
        normalize_authority("https://login.chinacloudapi.cn/contoso.com", Cloud.GLOBAL)
    with pytest.raises(EndpointError, match="another cloud"):
        normalize_authority("https://login.microsoftonline.com/contoso.com", Cloud.USGOV)


def test_messages_quote_the_value_without_its_control_characters():
    with pytest.raises(EndpointError) as caught:
        normalize_authority("https://login.microsoftonline.com/\x1b[31mcontoso")
    message = str(caught.value)
    assert "\x1b" not in message and "U+001B" in message and "Type it again" in message


@pytest.mark.parametrize("raw", [
    "http://127.0.0.1:8443/graph",
    "https://graph.microsoft.com@127.0.0.1:8443",
    "https://gr\u0430ph.microsoft.com",
    "https://graph.microsoft.com:0",
    "https://graph.microsoft.com/v1.0?x",
    "https://graph.microsoft.com/a b",
    "https://graph.microsoft.com/%2e",
    "https://graph.microsoft.com/x\n",
    "https://graph.microsoft.com#",
])
def test_hostile_graph_endpoints_are_refused(raw):
    with pytest.raises(EndpointError):
        normalize_graph_endpoint(raw, Cloud.GLOBAL)


def test_microsoft_graph_of_another_cloud_is_refused():
    assert normalize_graph_endpoint("https://graph.microsoft.us", Cloud.USGOV) == \
        "https://graph.microsoft.us"
    with pytest.raises(EndpointError, match="another cloud"):
        normalize_graph_endpoint("https://graph.microsoft.com", Cloud.CHINA)


_url_parts = st.sampled_from(["https://", "http://", "@", ":", "/", "?", "#", "[", "]", "%",
                              "\\", ".", "login.microsoftonline.com", "127.0.0.1", "::1",
                              "443", "0", "contoso.com", "xn--", "\u043e", "\u00fc", " ",
                              "\n", "\u200b", "graph", "v1.0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_url_parts | st.text(max_size=3), max_size=12).map("".join))
def test_whatever_is_typed_is_refused_or_comes_back_plain_and_the_same(raw):
    for check in (normalize_authority, normalize_graph_endpoint):
        try:
            result = check(raw, Cloud.GLOBAL)
        except EndpointError as exc:
            assert str(exc) and "\n" not in str(exc)
            continue
        if result is None:
            assert not raw.strip()
            continue
        parts = urlsplit(result)
        assert result.isascii() and result.startswith("https://")
        assert not any(ch.isspace() or ord(ch) < 32 or ch in "@?#%\\" for ch in result)
        assert parts.hostname and parts.username is None and not parts.query
        assert check(result, Cloud.GLOBAL) == result
