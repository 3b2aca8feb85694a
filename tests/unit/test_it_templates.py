"""The templates the IT policy offers: a real folder of files (good, hostile, oversized,
not files at all) and an address on a local HTTPS server trusted through the test CA,
fetched through o365desk's own HTTP session."""

from __future__ import annotations

import json
import os
import socket

import pytest

from o365desk.core import policy_sources
from o365desk.core import template as tpl
from o365desk.core.tls import EXTRA_CA_ENV
from o365desk.usecases import it_templates
from o365desk.usecases.it_templates import INDEX_FORMAT, list_it_templates
from tests.fakes.template_site import TemplateSite

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def doc(*nicknames: str, **extra) -> str:
    return json.dumps({"format": tpl.FORMAT, "version": 1, "connections": [
        {"nickname": n, "description": f"{n} team", "tenant": "contoso.com",
         "scopes": ["User.Read"], "locked": ["tenant"], **extra} for n in nicknames]})


def rows(found) -> list[tuple[str, str, bool]]:
    return [(o.source, o.name, o.usable) for o in found.offered]


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    monkeypatch.delenv(EXTRA_CA_ENV, raising=False)
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def site(tmp_path, monkeypatch):
    with TemplateSite(tmp_path) as running:
        monkeypatch.setenv(EXTRA_CA_ENV, running.ca_pem_path)
        yield running


# -- a folder ---------------------------------------------------------------------------


def test_a_folder_offers_each_connection_and_refuses_the_bad_files_saying_why(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "payroll.o365template").write_text(doc("Payroll", "Payroll EU"))
    (folder / "helpdesk.O365TEMPLATE").write_text(doc("Helpdesk"))
    (folder / "stolen.o365template").write_text(doc("Sneaky", client_secret="hunter2"))
    (folder / "huge.o365template").write_bytes(b" " * (tpl.MAX_BYTES + 1))
    os.mkfifo(folder / "pipe.o365template")
    (folder / "notes.txt").write_text(doc("Not a template file"))
    (folder / "deeper").mkdir()
    (folder / "deeper" / "inner.o365template").write_text(doc("Not read"))

    found = list_it_templates(str(folder))
    assert found.problem == "" and found.note == ""
    assert rows(found) == [
        ("helpdesk.O365TEMPLATE", "Helpdesk", True),
        ("huge.o365template", "huge.o365template", False),
        ("payroll.o365template", "Payroll", True),
        ("payroll.o365template", "Payroll EU", True),
        ("pipe.o365template", "pipe.o365template", False),
        ("stolen.o365template", "stolen.o365template", False)]
    refusals = {o.source: o.refusal for o in found.refused}
    assert "larger than 1 MB" in refusals["huge.o365template"]
    assert "rather than a file" in refusals["pipe.o365template"]
    assert "never holds secrets" in refusals["stolen.o365template"]
    assert "hunter2" not in refusals["stolen.o365template"]
    payroll = found.usable[1].entry
    assert (payroll.tenant, payroll.locked, found.usable[1].description) == \
        ("contoso.com", frozenset({"tenant"}), "Payroll team")
    assert found.summary() == (f"The IT policy offers 3 templates from {folder}; 3 files "
                               "can't be used.")


def test_a_folder_is_read_only_so_far(tmp_path, monkeypatch):
    monkeypatch.setattr(it_templates, "MAX_FILES", 3)
    for number in range(5):
        (tmp_path / f"t{number}.o365template").write_text(doc(f"T{number}"))
    found = list_it_templates(str(tmp_path))
    assert [o.name for o in found.offered] == ["T0", "T1", "T2"]
    assert found.note == "Only the first 3 of its 5 template files were read."


@pytest.mark.parametrize("make, why", [
    (lambda p: None, "it does not exist"),
    (lambda p: p.write_text("a file"), "it is not a folder")])
def test_a_folder_that_cant_be_read_is_one_plain_line(tmp_path, make, why):
    where = tmp_path / "templates"
    make(where)
    found = list_it_templates(str(where))
    assert found.offered == ()
    assert found.problem == (
        f"Your IT team's templates can't be read: the folder {where} the IT policy names "
        f"can't be used because {why}. You can still set up a connection without them; "
        "tell your IT team.")
    assert found.summary() == found.problem


def test_the_policys_key_is_where_they_are_looked_for(tmp_path, monkeypatch):
    assert not policy_sources.LINUX_FILE.exists()
    (tmp_path / "a.o365template").write_text(doc("From the policy"))
    policy = tmp_path / "policy.json"
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    policy.write_text(json.dumps({"allowed_clouds": ["global"]}))
    assert list_it_templates().configured is False
    assert list_it_templates().summary() == "The IT policy offers no templates."
    policy.write_text(json.dumps({"templates": str(tmp_path)}))
    assert [o.name for o in list_it_templates().offered] == ["From the policy"]


# -- an address -------------------------------------------------------------------------


def test_an_address_of_one_template_file(site):
    url = site.put("/o365desk/payroll.o365template", doc("Payroll"))
    found = list_it_templates(url)
    assert found.problem == "" and rows(found) == [(url, "Payroll", True)]
    assert site.requests == ["/o365desk/payroll.o365template"]


def test_an_index_lists_templates_on_the_same_host_only(site):
    site.put("/o365desk/payroll.o365template", doc("Payroll"))
    site.put("/shared/helpdesk.o365template", doc("Helpdesk"))
    site.put("/o365desk/bad.o365template", doc("Bad", password="x"))
    index = site.put("/o365desk/index.json", json.dumps({
        "format": INDEX_FORMAT, "version": 1, "templates": [
            "payroll.o365template", site.url("/shared/helpdesk.o365template"),
            "bad.o365template", "missing.o365template",
            "https://elsewhere.example/evil.o365template",
            f"//localhost:{site.port}/o365desk/payroll.o365template",
            f"http://127.0.0.1:{site.port}/o365desk/payroll.o365template"]}))
    found = list_it_templates(index)
    assert found.problem == ""
    assert [(o.name, o.usable) for o in found.offered] == [
        ("Payroll", True), ("Helpdesk", True),
        (site.url("/o365desk/bad.o365template"), False),
        (site.url("/o365desk/missing.o365template"), False),
        ("https://elsewhere.example/evil.o365template", False),
        (f"https://localhost:{site.port}/o365desk/payroll.o365template", False),
        (f"http://127.0.0.1:{site.port}/o365desk/payroll.o365template", False)]
    why = [o.refusal for o in found.refused]
    assert "never holds secrets" in why[0]
    assert why[1] == "This template can't be fetched because the server answered 404 Not Found."
    assert why[2].startswith("This template is not fetched: it is on another host")
    assert why[3].startswith("This template is not fetched: it is on another host")
    assert "does not start with https://" in why[4]
    # Nothing was fetched from anywhere but the index's host, and never by http.
    assert site.requests == ["/o365desk/index.json", "/o365desk/payroll.o365template",
                             "/shared/helpdesk.o365template", "/o365desk/bad.o365template",
                             "/o365desk/missing.o365template"]
    assert found.summary() == (f"The IT policy offers 2 templates from {index}; 5 files "
                               "can't be used.")


@pytest.mark.parametrize("page, why", [
    ({"body": b"<html>an intranet page</html>"},
     "what it answered is neither a template nor a list of templates."),
    ({"body": b"x" * (tpl.MAX_BYTES + 10)}, "the answer is larger than 1 MB, far more "
                                           "than a template needs."),
    ({"body": b"", "status": 302, "headers": {"Location": "https://elsewhere.example/t"}},
     "it answered with a redirect to another address (https://elsewhere.example/t); the "
     "IT policy must name the final address."),
    ({"body": b"no", "status": 403}, "the server answered 403 Forbidden."),
    ({"body": json.dumps({"format": INDEX_FORMAT, "version": 2, "templates": []}).encode()},
     "its list of templates can't be used: it was made for a newer o365desk. Update "
     "o365desk."),
])
def test_an_address_that_gives_no_templates_is_one_plain_line(site, page, why):
    url = site.put("/t", **page)
    found = list_it_templates(url)
    assert found.offered == ()
    assert found.problem == (
        f"Your IT team's templates can't be read from {url} because {why} You can still "
        "set up a connection without them; try again later, or tell your IT team if it "
        "goes on.")


def test_a_hostile_template_at_the_address_is_offered_as_refused(site):
    url = site.put("/t.o365template", doc("Sneaky", token="abc"))
    [refused] = list_it_templates(url).offered
    assert not refused.usable and "never holds secrets" in refused.refusal


def test_an_answer_dripping_past_the_deadline_is_given_up(site, monkeypatch):
    monkeypatch.setattr(it_templates, "DEADLINE_SECONDS", 1.0)
    url = site.put("/slow.o365template", doc("Slow"), drip_seconds=0.2)
    found = list_it_templates(url)
    assert "because the server took too long to answer." in found.problem


def test_a_server_the_trusted_cas_dont_vouch_for_is_refused(site, monkeypatch):
    monkeypatch.delenv(EXTRA_CA_ENV)
    url = site.put("/t.o365template", doc("Payroll"))
    found = list_it_templates(url)
    assert "its secure connection could not be checked" in found.problem
    assert site.requests == []


def test_offline_is_one_plain_line():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    found = list_it_templates(f"https://127.0.0.1:{port}/t.o365template")
    assert found.offered == ()
    assert "because the server could not be reached (the computer may be offline)." in \
        found.problem


def test_outside_text_is_shown_visible(tmp_path):
    (tmp_path / "evil\x1b[31m\u202e.o365template").write_text("not json")
    [refused] = list_it_templates(str(tmp_path)).offered
    assert "\x1b" not in refused.name and "\u202e" not in refused.name
    assert "\x1b" not in refused.source and not refused.usable
    assert "not valid JSON" in refused.refusal
