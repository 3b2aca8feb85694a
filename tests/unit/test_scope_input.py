"""Permission lists as typed on the command line: split, checked, suggested, defaulted."""

from __future__ import annotations

import pytest

from o365desk.catalog.scope_input import UnknownScopeError, check_scopes, parse_scope_list
from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.connection import DEFAULT_SCOPES
from o365desk.ui.wizard.permissions_page import DEFAULT_SCOPES as WIZARD_DEFAULT


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("User.Read Mail.Send", ("User.Read", "Mail.Send")),
        ("User.Read,Mail.Send", ("User.Read", "Mail.Send")),
        (" User.Read , Mail.Send,,\tMail.Send\nUser.Read ", ("User.Read", "Mail.Send")),
        ("", ()),
        (" ,, ", ()),
    ],
)
def test_commas_and_white_space_both_separate(raw, names):
    assert parse_scope_list(raw) == names


def test_names_get_the_catalog_spelling_and_others_pass_as_typed():
    typed = ["user.read", "MAIL.SEND", "User.Read", "https://graph.microsoft.com/Mail.Send",
             "https://graph.microsoft.us/User.Read.All",
             "https://outlook.office.com/IMAP.AccessAsUser.All", "api://contoso-api/Read",
             "openid", "profile", "offline_access", ".default",
             "https://graph.microsoft.com/.default"]
    assert check_scopes(typed) == (
        "User.Read", "Mail.Send", "https://graph.microsoft.com/Mail.Send",
        "https://graph.microsoft.us/User.Read.All",
        "https://outlook.office.com/IMAP.AccessAsUser.All", "api://contoso-api/Read",
        "openid", "profile", "offline_access", ".default",
        "https://graph.microsoft.com/.default")


def test_every_unknown_name_is_named_with_its_suggestion():
    with pytest.raises(UnknownScopeError) as caught:
        check_scopes(["User.Read", "Mail.Sendd", "Qwertyuiop",
                      "https://graph.microsoft.com/User.Reed", "Evil\x1b[31m"])
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert '"Mail.Sendd" is not a Microsoft Graph permission. Did you mean Mail.Send' in message
    assert '"Qwertyuiop" is not a Microsoft Graph permission.' in message
    assert "Did you mean https://graph.microsoft.com/User.Read?" in message
    assert '"Evil\\u001b[31m"' in message and "\x1b" not in message  # never raw
    assert [name for name, _ in caught.value.unknown] == [
        "Mail.Sendd", "Qwertyuiop", "https://graph.microsoft.com/User.Reed", "Evil\x1b[31m"]
    assert '"User.Read"' not in message  # the known one is not blamed


def test_the_suggestion_is_the_one_o365desk_scope_gives(capsys):
    from o365desk.catalog import get_catalog
    from o365desk.catalog.catalog import UnknownPermission

    with pytest.raises(UnknownPermission) as scope_says:
        get_catalog().require("Mail.Sendd")
    with pytest.raises(UnknownScopeError) as add_says:
        check_scopes(["Mail.Sendd"])
    assert add_says.value.unknown == [("Mail.Sendd", scope_says.value.suggestions)]


def _add(services, capsys, *args):
    code = run(build_parser().parse_args(["add", *args]), services)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_refuses_an_unknown_scope_and_saves_nothing(services, capsys):
    code, out, err = _add(services, capsys, "Mail bot", "--scopes", "User.Read,Mail.Sendd")
    assert code == 1 and out == ""
    assert err.startswith("o365desk: ") and "Did you mean Mail.Send" in err
    assert len(err.strip().splitlines()) == 1
    assert services.store.load() == []


def test_add_splits_commas_and_defaults_to_the_wizards_scopes(services, capsys):
    code, out, _ = _add(services, capsys, "Mail bot", "--scopes", "user.read,Mail.Send")
    assert code == 0 and "asking for User.Read Mail.Send" in out
    code, out, _ = _add(services, capsys, "Plain")
    assert code == 0
    saved = {c.nickname: c.scopes for c in services.store.load()}
    assert saved == {"Mail bot": ("User.Read", "Mail.Send"), "Plain": DEFAULT_SCOPES}
    assert WIZARD_DEFAULT is DEFAULT_SCOPES == ("User.Read",)  # one constant, both places


def test_add_with_an_empty_scope_list_says_what_to_do(services, capsys):
    code, _, err = _add(services, capsys, "Nothing", "--scopes", " , ")
    assert code == 1 and "at least one permission" in err and "User.Read" in err


@pytest.mark.parametrize(
    ("typed", "tenant"),
    [
        ("admin@contoso.com", "contoso.com"),
        ("https://contoso.com/about", "contoso.com"),
        ("contoso.com ", "contoso.com"),
        ("{ 4F1C3B52-8D6E-4F0A-9B7C-2D5E6F708192 }", "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"),
        (None, "organizations"),
    ],
)
def test_add_tenant_reads_what_was_pasted_as_the_window_does(services, capsys, typed, tenant):
    args = ("Payroll",) if typed is None else ("Payroll", "--tenant", typed)
    code, out, _ = _add(services, capsys, *args)
    assert code == 0, out
    (saved,) = services.store.load()
    assert saved.tenant == tenant
    assert (f"signs in to {tenant}" if typed else "choose the organisation") in out


@pytest.mark.parametrize("typed", ["Contoso payroll", "", "conto\x1bso.com",
                                   "https://x@contoso.com/"])
def test_add_refuses_another_tenant_saying_what_is_accepted(services, capsys, typed):
    code, out, err = _add(services, capsys, "Payroll", "--tenant", typed)
    assert code == 1 and out == "" and services.store.load() == []
    assert "admin@contoso.com" in err and "leave --tenant out" in err
    assert "\x1b" not in err and len(err.strip().splitlines()) == 1
