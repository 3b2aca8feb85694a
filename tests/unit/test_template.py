"""Connection templates: the format's rules, export, preview and import on a real store."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from o365desk.core import template as tpl
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Credential, CredentialType, Kind, utcnow
from o365desk.storage.store import NicknameRefused
from o365desk.usecases import templates

GOOD = {
    "format": "o365desk-template", "version": 1,
    "connections": [{
        "nickname": "Payroll", "description": "Payroll team\nsecond line",
        "kind": "delegated", "tenant": "contoso.com", "cloud": "global",
        "client_id": "14d82eec-204b-4c2f-b7e8-296a70dab67e",
        "redirect_uri": "http://localhost:8400",
        "scopes": ["User.Read", "Mail.Send"], "locked": ["tenant", "scopes"],
    }],
}


def doc(**changes):
    """GOOD with the first connection's fields changed (None removes a field)."""
    data = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            data["connections"][0].pop(key, None)
        else:
            data["connections"][0][key] = value
    return data


def parse(data) -> tpl.Template:
    return tpl.parse_bytes(json.dumps(data).encode())


def test_a_good_template_reads_with_its_values_and_locks():
    [entry] = parse(GOOD).entries
    assert entry.nickname == "Payroll" and entry.tenant == "contoso.com"
    assert entry.scopes == ("User.Read", "Mail.Send")
    assert entry.redirect_uri == "http://localhost:8400"
    assert entry.locked == {"tenant", "scopes"}
    draft = entry.draft("Mine")
    assert draft.nickname == "Mine" and draft.account is None and draft.credential is None


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"nickname": "x" * (1 << 19)}, "nickname", "at most 64 characters"),
    ({"nickname": "Pay\u202eroll"}, "nickname", "changes text direction"),
    ({"nickname": "Pay\x1b[2Jroll"}, "nickname", "control character"),
    ({"nickname": 42}, "nickname", "should be text, not a number"),
    ({"nickname": None}, "nickname", "missing"),
    ({"description": "a\x07b"}, "description", "control or text-direction"),
    ({"description": "a\u2067b"}, "description", "control or text-direction"),
    ({"description": ["x"]}, "description", "should be text, not a list"),
    ({"tenant": "contoso\x00.com"}, "tenant", "control"),
    ({"tenant": "not a domain"}, "tenant", "not a domain"),
    ({"tenant": {"a": 1}}, "tenant", "should be text, not an object"),
    ({"cloud": "mars"}, "cloud", "is not one of global"),
    ({"kind": "robot"}, "kind", "is not one of delegated, app-only"),
    ({"client_id": "nope"}, "client_id", "not a GUID"),
    ({"authority": "https://evil.example.com/contoso.com"}, "authority",
     "not on Microsoft's sign-in host for the Global cloud"),
    ({"authority": "http://login.microsoftonline.com/contoso.com"}, "authority", "https"),
    ({"authority": "https://login.microsoftonline.us/contoso.com"}, "authority",
     "another cloud"),
    ({"graph_endpoint": "http://graph.microsoft.com"}, "graph_endpoint", "https://"),
    ({"graph_endpoint": "https://graph.evil.example"}, "graph_endpoint",
     "not Microsoft Graph of the Global cloud"),
    ({"redirect_uri": "https://evil.example.com/"}, "redirect_uri", "not one o365desk"),
    ({"scopes": "User.Read"}, "scopes", "list of permission names"),
    ({"scopes": []}, "scopes", "at least one"),
    ({"scopes": ["User.Read\u202e"]}, "scopes", "not a permission name"),
    ({"scopes": None}, "scopes", "missing"),
    ({"locked": ["nickname"]}, "locked", "never locked"),
    ({"locked": ["colour"]}, "locked", "not a field that can be locked"),
    ({"locked": "tenant"}, "locked", "list of field names"),
    ({"certificate_thumbprints": ["AB" * 20]}, "certificate_thumbprints", "only an app-only"),
    ({"client_secret": "s3cr3t"}, "client_secret", "never holds secrets"),
    ({"id": "0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11"}, "id", "never holds secrets"),
    ({"account": {"username": "a@b.c"}}, "account", "never holds secrets"),
    ({"colour": "blue"}, "colour", "does not know this field"),
    ({"description": "-----BEGIN PRIVATE KEY-----\nMII"}, "description", "private key"),
])
def test_each_hostile_value_is_refused_naming_the_connection_and_field(changes, field, words):
    with pytest.raises(tpl.TemplateError) as caught:
        parse(doc(**changes))
    message = str(caught.value)
    assert message.startswith(f"Connection 1, \"{field}\": ")
    assert words in message and message.endswith("Nothing was created.")


def test_an_authority_on_its_own_clouds_host_is_kept():
    [entry] = parse(doc(cloud="usgov", authority="https://login.microsoftonline.us/contoso.com",
                        graph_endpoint="https://graph.microsoft.us/v1.0")).entries
    assert entry.authority == "https://login.microsoftonline.us/contoso.com"
    assert entry.graph_endpoint == "https://graph.microsoft.us"


@pytest.mark.parametrize(("raw", "words"), [
    (b"\xff\xfe\x00", "not text"),
    (b"{nope", "not valid JSON (line 1, column 2"),
    (b"[]", "not an o365desk template"),
    (json.dumps({**GOOD, "format": "other"}).encode(), "not an o365desk template"),
    (json.dumps({**GOOD, "version": 2}).encode(), "newer o365desk"),
    (json.dumps({**GOOD, "version": "1"}).encode(), "\"version\""),
    (json.dumps({**GOOD, "connections": []}).encode(), "\"connections\""),
    (json.dumps({**GOOD, "extra": 1}).encode(), "\"extra\": o365desk does not know"),
    (b'{"format": "o365desk-template", "version": 1, "connections": '
     + b"[" * 100 + b"]" * 100 + b"}", "nests its contents"),
    (b" " * (tpl.MAX_BYTES + 1), "larger than 1 MB"),
])
def test_a_broken_file_is_refused_in_plain_words(raw, words):
    with pytest.raises(tpl.TemplateError) as caught:
        tpl.parse_bytes(raw)
    assert words in str(caught.value)


def test_duplicate_nicknames_in_the_file_are_refused_naming_the_second():
    data = copy.deepcopy(GOOD)
    data["connections"].append({**data["connections"][0], "nickname": "PAYROLL"})
    with pytest.raises(tpl.TemplateError) as caught:
        parse(data)
    assert str(caught.value).startswith("Connection 2, \"nickname\": ")
    assert "also the nickname of connection 1" in str(caught.value)


def test_an_app_only_entry_needs_one_organisation_and_keeps_its_thumbprints():
    with pytest.raises(tpl.TemplateError, match="names no specific organisation"):
        parse(doc(kind="app-only", tenant="organizations", locked=[]))
    [entry] = parse(doc(kind="app-only", certificate_thumbprints=["ab:" * 19 + "ab"])).entries
    assert entry.certificate_thumbprints == ("AB" * 20,)


def test_export_holds_no_secret_account_or_id_and_reads_back(services):
    cert = Credential(CredentialType.CERTIFICATE, utcnow() + timedelta(days=90), "A" * 40,
                      "B" * 64, "CN=Payroll app", utcnow() + timedelta(days=90))
    app = services.store.add(Connection(
        "Payroll app", tenant="contoso.com", kind=Kind.APP_ONLY,
        client_id="0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11", credential=cert,
        scopes=("https://graph.microsoft.com/.default",)))
    person = services.store.add(Connection("Mail", tenant="fabrikam.com", cloud=Cloud.USGOV,
                                           scopes=("Mail.Read",)))
    text = templates.export(services, ["Payroll app", "mail", "Mail"], frozenset({"tenant"}))
    for private in (app.id, person.id, "CN=Payroll app", "expires_at", "account"):
        assert private not in text
    entries = tpl.parse_bytes(text.encode()).entries
    assert [e.nickname for e in entries] == ["Payroll app", "Mail"]
    assert entries[0].certificate_thumbprints == ("A" * 40, "B" * 64)
    assert entries[1].cloud == Cloud.USGOV and entries[1].locked == {"tenant"}
    with pytest.raises(ValueError, match="not a field that can be locked"):
        templates.export(services, ["Mail"], frozenset({"nickname"}))


def test_preview_says_which_nickname_is_taken_and_import_creates_the_rest(services):
    services.store.add(Connection("payroll", tenant="contoso.com", scopes=("User.Read",)))
    data = copy.deepcopy(GOOD)
    data["connections"].append({**data["connections"][0], "nickname": "Payroll EU"})
    result = templates.preview(services, parse(data))
    [refused] = result.refused
    assert refused.number == 1 and "\"payroll\" already exists" in refused.refusal
    assert [i.nickname for i in result.to_create] == ["Payroll EU"]
    [made] = templates.import_template(services, result)
    assert made.nickname == "Payroll EU" and made.account is None
    assert made.scopes == ("User.Read", "Mail.Send") and made.tenant == "contoso.com"
    assert [c.nickname for c in services.store.load()] == ["payroll", "Payroll EU"]


def test_import_is_all_or_nothing_when_a_nickname_is_taken_meanwhile(services):
    data = copy.deepcopy(GOOD)
    data["connections"].append({**data["connections"][0], "nickname": "Payroll EU"})
    result = templates.preview(services, parse(data))
    services.store.add(Connection("Payroll EU", scopes=("User.Read",)))  # another window
    before = services.store.path.read_bytes()
    with pytest.raises(NicknameRefused):
        templates.import_template(services, result)
    assert services.store.path.read_bytes() == before


def test_another_nickname_only_for_a_one_connection_template(services):
    result = templates.preview(services, parse(GOOD), "Mine")
    assert [i.nickname for i in result.to_create] == ["Mine"]
    data = copy.deepcopy(GOOD)
    data["connections"].append({**data["connections"][0], "nickname": "Payroll EU"})
    with pytest.raises(ValueError, match="only for a template of one connection"):
        templates.preview(services, parse(data), "Mine")


def test_reading_a_path_is_bounded_and_refuses_what_is_not_a_file(services, tmp_path):
    import os

    with pytest.raises(tpl.TemplateError, match="There is no file"):
        templates.read(tmp_path / "missing.o365template")
    with pytest.raises(tpl.TemplateError, match="a folder rather than a file"):
        templates.read(tmp_path)
    pipe = tmp_path / "pipe.o365template"
    os.mkfifo(pipe)
    with pytest.raises(tpl.TemplateError, match="named pipe"):
        templates.read(pipe)
    big = tmp_path / "big.o365template"
    big.write_bytes(b" " * (tpl.MAX_BYTES + 10))
    with pytest.raises(tpl.TemplateError, match="larger than 1 MB"):
        templates.read(big)


def test_an_app_only_entry_asking_for_a_delegated_only_permission_is_refused(services):
    data = doc(kind="app-only", scopes=["User.Read", "User.Read.All"], locked=[])
    [item] = templates.preview(services, parse(data)).items
    assert item.refusal == ("User.Read is a permission for a signed-in person only; an app "
                            "on its own can't be given it.")
    fine = templates.preview(services, parse(doc(kind="app-only", scopes=["User.Read.All"],
                                                 locked=[])))
    [made] = templates.import_template(services, fine)
    assert made.kind == Kind.APP_ONLY and made.credential is None  # given one later
    with pytest.raises(ValueError, match="can be created as it is"):
        templates.import_template(services, templates.preview(services, parse(data)))
