"""`o365desk edit` and `o365desk sign-out`, in-process over a real store."""

from __future__ import annotations

from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


def test_edit_replaces_adds_and_removes_permissions(services, capsys):
    assert cli(services, "add", "Payroll", "--tenant", "contoso.com") == 0
    assert cli(services, "edit", "Payroll", "--scopes", "user.read,Mail.Send") == 0
    assert services.store.find("Payroll").scopes == ("User.Read", "Mail.Send")  # catalog case
    assert cli(services, "edit", "Payroll", "--add-scopes", "Calendars.Read Mail.Send") == 0
    assert services.store.find("Payroll").scopes == ("User.Read", "Mail.Send", "Calendars.Read")
    assert cli(services, "edit", "Payroll", "--remove-scopes", "mail.send") == 0
    assert services.store.find("Payroll").scopes == ("User.Read", "Calendars.Read")
    out = capsys.readouterr().out
    assert out.rstrip().endswith('Changed "Payroll" (permissions: User.Read Calendars.Read).')
    assert "approved" not in out  # not signed in: nothing waits for approval


def test_edit_refuses_an_unknown_name_with_the_suggestion_and_changes_nothing(services, capsys):
    assert cli(services, "add", "Payroll") == 0
    capsys.readouterr()
    assert cli(services, "edit", "Payroll", "--add-scopes", "Mail.Sendd") == 1
    err = capsys.readouterr().err
    assert '"Mail.Sendd" is not a Microsoft Graph permission. Did you mean Mail.Send' in err
    assert services.store.find("Payroll").scopes == ("User.Read",)


def test_edit_says_what_to_change_and_what_cannot_be_removed(services, capsys):
    assert cli(services, "add", "Payroll") == 0
    assert cli(services, "edit", "Payroll") == 2
    assert "--description, --scopes, --add-scopes or --remove-scopes" in capsys.readouterr().err
    assert cli(services, "edit", "Payroll", "--remove-scopes", "Mail.Send") == 1
    assert "does not ask for Mail.Send" in capsys.readouterr().err
    assert cli(services, "edit", "Payroll", "--remove-scopes", "User.Read") == 1
    assert "at least one permission" in capsys.readouterr().err
    assert services.store.find("Payroll").scopes == ("User.Read",)


def test_edit_description_alone_keeps_the_permissions(services, capsys):
    assert cli(services, "add", "Payroll", "--scopes", "Mail.Send") == 0
    assert cli(services, "edit", "Payroll", "--description", "  For \x1b[31mHR\n ") == 0
    saved = services.store.find("Payroll")
    assert saved.description == "For  [31mHR" and saved.scopes == ("Mail.Send",)


def test_sign_out_of_a_connection_not_signed_in_changes_nothing(services, capsys):
    assert cli(services, "add", "Payroll") == 0
    assert cli(services, "sign-out", "Payroll") == 0
    assert "is not signed in; nothing to remove" in capsys.readouterr().out


def test_removing_what_scopes_leaves_out_says_so_not_that_the_connection_lacks_it(
        services, capsys):
    assert cli(services, "add", "Payroll", "--scopes", "User.Read Mail.Send") == 0
    capsys.readouterr()
    assert cli(services, "edit", "Payroll", "--scopes", "Mail.Send",
               "--remove-scopes", "User.Read") == 1
    err = capsys.readouterr().err
    assert "does not ask for" not in err  # it does ask for User.Read
    assert "--scopes does not include User.Read" in err
    assert services.store.find("Payroll").scopes == ("User.Read", "Mail.Send")


def test_list_and_show_never_print_control_characters_from_the_file(services, capsys):
    from o365desk.core.connection import Account

    assert cli(services, "add", "Payroll", "--description", "HR") == 0
    conn = services.store.find("Payroll")
    services.store.patch(conn.id, account=Account("a\x1b[2Jdmin@contoso.com", "h", "t"),
                         description="line one\nline\x07two")
    capsys.readouterr()
    assert cli(services, "list") == 0
    assert cli(services, "show", "Payroll") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "a\\x1b[2Jdmin@contoso.com" in out and "line one\\nline\\x07two" in out
