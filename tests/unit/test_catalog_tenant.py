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
