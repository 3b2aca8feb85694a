"""Presets and exports: the Okta connector's 62 scopes, task presets, manifest JSON."""

from __future__ import annotations

import json

import pytest

from o365desk.catalog.catalog import CatalogError, get_catalog
from o365desk.catalog.export import (
    ExportError,
    manifest_json,
    required_resource_access,
    scope_string,
)
from o365desk.catalog.presets import PRESETS, find_preset, preset_items


@pytest.fixture(scope="module")
def catalog():
    return get_catalog()


def test_okta_preset_has_the_62_seed_scopes(catalog):
    preset = find_preset("Okta Workflows - Office 365 Admin")
    assert preset.key == "okta-o365-admin" and preset.kind == "delegated"
    assert len(preset.scopes) == len(set(preset.scopes)) == 62
    assert preset.scopes[:4] == ("email", "openid", "profile", "offline_access")
    for name in ("Directory.AccessAsUser.All", "RoleManagement.ReadWrite.Directory",
                 "Sites.FullControl.All", "Tasks.ReadWrite.Shared", "User.Read.All"):
        assert name in preset.scopes
    items = preset_items(preset, catalog)
    assert all(i.permission is not None and i.permission.delegated.id for i in items)


def test_okta_preset_flags_its_retired_and_deprecated_scopes(catalog):
    flagged = {i.name: i.flag for i in preset_items(find_preset("okta-o365-admin"), catalog)
               if i.flag}
    assert set(flagged) == {
        "PrivilegedAccess.ReadWrite.AzureAD", "PrivilegedAccess.ReadWrite.AzureResources",
        "EduAdministration.ReadWrite", "ProgramControl.ReadWrite.All",
        "SecurityEvents.ReadWrite.All", "SecurityActions.ReadWrite.All",
        "ThreatIndicators.ReadWrite.OwnedBy"}
    assert flagged["ProgramControl.ReadWrite.All"].startswith("Retired 2023-05-19")


@pytest.mark.parametrize("preset", [p for p in PRESETS if p.key != "okta-o365-admin"],
                         ids=lambda p: p.key)
def test_task_presets_are_least_privilege_and_usable(catalog, preset):
    items = preset_items(preset, catalog)
    problems = [(i.name, i.flag) for i in items if i.flag]
    allowed = {"SecurityEvents.Read.All"}  # Secure Score has no other permission
    assert [n for n, _ in problems if n not in allowed] == []
    broad = {"Directory.ReadWrite.All", "Directory.AccessAsUser.All",
             "RoleManagement.ReadWrite.Directory", "AppRoleAssignment.ReadWrite.All",
             "Application.ReadWrite.All", "Sites.FullControl.All"}
    assert not broad & set(preset.scopes)
    assert len(set(preset.scopes)) == len(preset.scopes)
    manifest_json(preset.selection(), catalog)  # every scope has an ID


def test_unknown_preset_names_the_choices():
    with pytest.raises(CatalogError, match="mail-automation"):
        find_preset("nope")


def test_scope_string_keeps_order_dedupes_and_fixes_case(catalog):
    selection = [("user.read", "delegated"), ("Mail.Send", "delegated"),
                 ("User.Read", "delegated"), ("offline_access", "delegated")]
    assert scope_string(selection, catalog) == "User.Read Mail.Send offline_access"
    with pytest.raises(ExportError, match="Mail.Sned is not"):
        scope_string([("Mail.Sned", "delegated")], catalog)


def test_manifest_for_a_known_selection_is_exact(catalog):
    selection = [("User.Read", "delegated"), ("Mail.Send", "delegated"),
                 ("User.Read.All", "application"), ("Group.ReadWrite.All", "application"),
                 ("User.Read", "delegated")]
    assert manifest_json(selection, catalog) == """\
{
  "requiredResourceAccess": [
    {
      "resourceAppId": "00000003-0000-0000-c000-000000000000",
      "resourceAccess": [
        {
          "id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
          "type": "Scope"
        },
        {
          "id": "e383f46e-2787-4529-855e-0e479a3ffac0",
          "type": "Scope"
        },
        {
          "id": "df021288-bdef-4463-88db-98f22de89214",
          "type": "Role"
        },
        {
          "id": "62a82d76-70ea-41e2-9197-370581804d09",
          "type": "Role"
        }
      ]
    }
  ]
}
"""
    assert json.loads(manifest_json(selection, catalog)) == required_resource_access(
        selection, catalog)


def test_manifest_refuses_and_explains_every_permission_without_an_id(catalog):
    with pytest.raises(ExportError) as caught:
        required_resource_access([("Tasks.ReadWrite", "application"),
                                  ("User.Read", "application"),
                                  ("LifecyclePolicies-AgentId.Read.All", "application"),
                                  ("Mail.Send", "delegated"),
                                  ("NoSuch.Permission", "delegated")], catalog)
    problems = caught.value.problems
    assert len(problems) == 4
    assert "Tasks.ReadWrite cannot be exported as application (Role)" in problems[0]
    assert "User.Read has no application (Role) variant" in problems[1]
    assert "as delegated (Scope) instead" in problems[1]
    assert "not a valid GUID" in problems[2]
    assert "NoSuch.Permission is not a Microsoft Graph permission" in problems[3]
    assert "\n" not in str(caught.value)


def test_manifest_refuses_an_unknown_kind(catalog):
    with pytest.raises(ExportError, match="kind must be"):
        required_resource_access([("User.Read", "role")], catalog)
