"""The use cases the window and the command line share, on a real store and keychain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from o365desk import usecases
from o365desk.auth.results import SignInResult
from o365desk.core.connection import Account, Connection, Status, utcnow
from o365desk.storage.store import StoreError
from o365desk.usecases.connections import MAX_DESCRIPTION


def result_for(scopes=("User.Read",)) -> SignInResult:
    return SignInResult(
        account=Account("admin@contoso.com", "uid.utid", "utid"), access_token="token",
        expires_at=utcnow() + timedelta(hours=1), granted=tuple(scopes),
        requested=tuple(scopes), claims=None)


def test_create_without_a_sign_in_saves_it_not_signed_in(services):
    saved = usecases.create(services, Connection("Payroll", tenant="contoso.com"))
    [stored] = services.store.load()
    assert stored == saved and stored.account is None
    assert stored.status() == Status.NOT_SIGNED_IN


def test_create_with_a_sign_in_records_it_and_its_approved_permissions(services):
    draft = Connection("Payroll", tenant="contoso.com", scopes=("User.Read", "Mail.Send"))
    saved = usecases.create(services, draft, result_for(draft.scopes))
    assert saved.account.username == "admin@contoso.com"
    assert saved.approved_scopes == ("User.Read", "Mail.Send")
    assert saved.status() == Status.SIGNED_IN


def test_create_removes_the_connection_when_recording_the_sign_in_fails(services, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise StoreError("the disk is full")

    monkeypatch.setattr(services, "record_sign_in", refuse)
    with pytest.raises(StoreError):
        usecases.create(services, Connection("Payroll"), result_for())
    assert services.store.load() == []  # nothing half-saved


def test_create_cleans_and_bounds_the_description(services):
    saved = usecases.create(services, Connection("A", description="  two\x1b[2Jlines\r\n x  "))
    assert saved.description == "two [2Jlines\n x"
    with pytest.raises(ValueError, match="keep it to"):
        usecases.create(services, Connection("B", description="x" * (MAX_DESCRIPTION + 1)))
    assert [c.nickname for c in services.store.load()] == ["A"]


def test_adding_a_permission_to_a_signed_in_connection_waits_for_approval(services):
    conn = usecases.create(services, Connection("Payroll", scopes=("User.Read",)),
                           result_for())
    services.store.rename(conn.id, "Payroll UK")  # meanwhile, in another window
    edited = usecases.edit(services, conn.id, scopes=["User.Read", "Mail.Send"],
                           description="For the payroll team")
    assert edited.needs_approval == ("Mail.Send",)
    stored = services.store.find(conn.id)
    assert stored.nickname == "Payroll UK"  # the rename stays
    assert stored.description == "For the payroll team"
    assert stored.status() == Status.WAITING_FOR_APPROVAL
    signed = usecases.record_sign_in(services, stored, result_for(stored.scopes))
    assert signed.status() == Status.SIGNED_IN and signed.awaiting_approval() == ()


def test_removing_a_permission_needs_no_approval(services):
    scopes = ("User.Read", "Mail.Send")
    conn = usecases.create(services, Connection("Payroll", scopes=scopes), result_for(scopes))
    edited = usecases.edit(services, conn.id, scopes=["User.Read"])
    assert edited.needs_approval == () and edited.connection.scopes == ("User.Read",)
    assert edited.connection.status() == Status.SIGNED_IN


def test_a_connection_not_signed_in_never_waits_for_approval(services):
    conn = usecases.create(services, Connection("Payroll"))
    edited = usecases.edit(services, conn.id, scopes=["Mail.Send"])
    assert edited.needs_approval == () and edited.connection.status() == Status.NOT_SIGNED_IN


def test_edit_refuses_no_permissions_and_changes_nothing(services):
    conn = usecases.create(services, Connection("Payroll", scopes=("User.Read",)))
    with pytest.raises(ValueError, match="at least one permission"):
        usecases.edit(services, conn.id, scopes=[])
    assert services.store.load()[0].scopes == ("User.Read",)


def test_sign_out_forgets_what_was_approved(services):
    conn = usecases.create(services, Connection("Payroll"), result_for())
    out = usecases.sign_out(services, conn)
    assert out.account is None and out.approved_scopes is None


def test_an_older_file_without_approved_scopes_reads_as_nothing_waiting():
    data = Connection("A", account=Account("u", "h", "t"), scopes=("Mail.Send",)).to_dict()
    del data["approved_scopes"]
    conn = Connection.from_dict(data)
    assert conn.approved_scopes is None and conn.status() == Status.SIGNED_IN


def test_approved_scopes_of_the_wrong_type_are_damage():
    from o365desk.core.connection import FormatError

    data = Connection("A").to_dict() | {"approved_scopes": [1]}
    with pytest.raises(FormatError, match="approved_scopes"):
        Connection.from_dict(data)


def test_an_edit_of_a_connection_signed_in_by_an_older_version_still_asks_for_approval(
        services):
    conn = usecases.create(services, Connection("Payroll", scopes=("User.Read",)),
                           result_for())
    services.store.patch(conn.id, approved_scopes=None)  # as an older o365desk saved it
    edited = usecases.edit(services, conn.id, scopes=["User.Read", "Mail.Send"])
    assert edited.needs_approval == ("Mail.Send",)
    assert edited.connection.status() == Status.WAITING_FOR_APPROVAL
