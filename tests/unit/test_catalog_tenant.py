"""Importing the Graph service principal from a tenant: wording, diff, cache, bad files."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.search import search
from o365desk.catalog.tenant_import import (
    TenantImportError,
    cache_path,
    import_file,
    load_cached,
    read_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
VALID = FIXTURES / "graph-sp-small.json"
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    return get_catalog()


def test_a_valid_file_imports_and_keeps_microsofts_wording_from_the_file(catalog):
    tenant, change = import_file(VALID, catalog, now=NOW)
    assert tenant.imported_at == "2026-11-27T09:30:00Z"
    assert tenant.source_name == "graph-sp-small.json"
    assert (len(tenant.scopes), len(tenant.roles)) == (5, 3)
    text = tenant.text("User.Read", "delegated")
    assert text.description == "Fixture: tenant wording for the delegated User.Read scope."
    assert text.admin_consent is False
    assert tenant.text("Directory.Read.All", "delegated").admin_consent is True
    assert tenant.text("Mail.Send", "application").display_name.startswith("Fixture:")
    assert load_cached() == tenant
    assert cache_path().parent.is_dir()


def test_changed_since_lists_added_removed_and_changed_ids(catalog):
    _, change = import_file(VALID, catalog, now=NOW)
    assert change.added == [("Widget.Read.All", "delegated")]
    assert change.changed_ids == [("Group.ReadWrite.All", "application",
                                   "62a82d76-70ea-41e2-9197-370581804d09",
                                   "0f0e0d0c-0b0a-4909-8807-060504030201")]
    assert ("Sites.FullControl.All", "application") in change.removed
    assert ("User.Read", "delegated") not in change.removed
    with_ids = sum(1 for p in catalog for v in p.variants if v.id)
    assert len(change.removed) == with_ids - 4 - 3  # minus those present in the file


def test_tenant_names_join_the_catalog_and_its_search(catalog):
    tenant, _ = import_file(VALID, catalog, now=NOW)
    merged = catalog.with_tenant(tenant)
    widget = merged.require("Widget.Read.All")
    assert widget.origin == "tenant" and widget.delegated.id.startswith("5a0c3f11")
    assert widget.description == "Read access to widgets."
    assert len(merged) == len(catalog) + 1
    assert [p.name for p in search(merged, "tenant wording for the delegated user.read")] == [
        "User.Read"]


@pytest.mark.parametrize("name, message", [
    ("not-json.json", "is not valid JSON (line 2"),
    ("wrong-shape.json", "should hold one JSON object"),
    ("missing-id.json", 'appRoles[1] has no "id"'),
    ("missing-value.json", 'oauth2PermissionScopes[2] has no "value"'),
    ("wrong-types.json", '"isEnabled" should be true or false'),
    ("id-not-guid.json", '"id" should be text, not int'),
    ("other-app.json", "not of Microsoft Graph"),
    ("no-app-roles.json", 'has no "appRoles" list'),
])
def test_a_malformed_file_is_refused_plainly_and_changes_nothing(catalog, name, message):
    import_file(VALID, catalog, now=NOW)
    before = cache_path().read_bytes()
    with pytest.raises(TenantImportError) as caught:
        import_file(FIXTURES / name, catalog)
    assert message in str(caught.value)
    assert str(caught.value).startswith(name)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)
    assert cache_path().read_bytes() == before
    assert [p.name for p in cache_path().parent.iterdir()] == ["tenant-catalog.json"]


def test_a_malformed_first_import_creates_no_cache(catalog):
    with pytest.raises(TenantImportError):
        import_file(FIXTURES / "missing-value.json", catalog)
    assert not cache_path().exists()
    assert load_cached() is None


def test_other_file_problems(tmp_path):
    with pytest.raises(TenantImportError, match="Can't read"):
        read_file(tmp_path / "absent.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(TenantImportError, match="not UTF-8"):
        read_file(latin)
    twice = tmp_path / "twice.json"
    twice.write_text('{"value": [{}, {}]}')
    with pytest.raises(TenantImportError, match="exactly one"):
        read_file(twice)
    empty = tmp_path / "empty.json"
    empty.write_text('{"oauth2PermissionScopes": [], "appRoles": []}')
    with pytest.raises(TenantImportError, match="no permissions"):
        read_file(empty)
    dupe = tmp_path / "dupe.json"
    shutil.copy(VALID, dupe)
    dupe.write_text(dupe.read_text().replace("df021288-bdef-4463-88db-98f22de89214",
                                             "b633e1c5-b582-4048-a93e-9f11b44c7e96"))
    with pytest.raises(TenantImportError, match="twice"):
        read_file(dupe)


def test_a_collection_response_with_one_principal_is_accepted(tmp_path):
    wrapped = tmp_path / "collection.json"
    wrapped.write_text('{"value": [' + VALID.read_text() + "]}")
    assert len(read_file(wrapped).scopes) == 5


def test_a_damaged_cache_is_reported_not_trusted(catalog):
    cache_path().parent.mkdir(parents=True)
    cache_path().write_text('{"format": 1, "scopes": 3}')
    with pytest.raises(TenantImportError, match="damaged"):
        load_cached()
    cache_path().write_text("{")
    with pytest.raises(TenantImportError, match="can't be read"):
        load_cached()


@pytest.mark.parametrize("change", [
    lambda d: d["scopes"][0].update(display_name=5),
    lambda d: d["scopes"][0].update(value=None),
    lambda d: d["roles"][0].update(admin_consent=1),
    lambda d: d["roles"][0].update(enabled="yes"),
    lambda d: d["scopes"][0].update(id="not-a-guid"),
    lambda d: d["scopes"][0].update(extra="field"),
    lambda d: d["scopes"][0].update(kind="application"),
    lambda d: d.update(imported_at=5),
    lambda d: d.update(imported_at="yesterday"),
    lambda d: d.update(scopes=[1]),
], ids=["text-not-text", "no-name", "consent-not-bool", "enabled-not-bool", "id-not-guid",
        "unknown-field", "wrong-kind", "date-not-text", "date-not-a-date", "entry-not-object"])
def test_a_wrongly_typed_cache_is_reported_not_trusted(catalog, change):
    import json

    import_file(VALID, catalog, now=NOW)
    data = json.loads(cache_path().read_text(encoding="utf-8"))
    change(data)
    cache_path().write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(TenantImportError, match="damaged"):
        load_cached()


def test_a_cache_nested_too_deep_is_reported(catalog):
    cache_path().parent.mkdir(parents=True)
    cache_path().write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TenantImportError, match="can't be read"):
        load_cached()


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "holds values no service principal has"),
    ('{"appId": ' + "1" * 5000 + "}", "holds values no service principal has"),
], ids=["nested-too-deep", "number-too-long"])
def test_hostile_json_is_refused_plainly(tmp_path, content, message):
    path = tmp_path / "hostile.json"
    path.write_text(content)
    with pytest.raises(TenantImportError, match=message):
        read_file(path)


def test_text_that_is_not_text_is_refused_before_the_cache(tmp_path, catalog):
    bad = tmp_path / "surrogate.json"
    bad.write_text(VALID.read_text().replace('"displayName": "', '"displayName": "\\ud800', 1))
    with pytest.raises(TenantImportError, match="not text"):
        import_file(bad, catalog)
    assert not cache_path().exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_the_size_limit_holds_for_a_pipe_too(tmp_path, monkeypatch):
    import os
    import threading

    from o365desk.catalog import tenant_import

    monkeypatch.setattr(tenant_import, "MAX_BYTES", 1000)
    fifo = tmp_path / "stream.json"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            try:
                fh.write(b" " * 5000)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write)
    writer.start()
    with pytest.raises(TenantImportError, match="larger than 50 MB"):
        read_file(fifo)
    writer.join(10)
