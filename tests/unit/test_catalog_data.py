"""The committed catalog file: structure, counts, facts checked by hand, and descriptions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest

from o365desk.catalog import families
from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.descriptions import HAND, describe
from o365desk.catalog.model import PermissionStatus
from o365desk.catalog.presets import OKTA_O365_ADMIN

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def raw() -> dict:
    data = resources.files("o365desk.catalog").joinpath("data", "graph_catalog.json")
    return json.loads(data.read_bytes())


@pytest.fixture(scope="module")
def catalog():
    return get_catalog()


def test_file_holds_985_permissions_sorted_and_unique(raw):
    names = [p["name"] for p in raw["permissions"]]
    assert raw["format"] == 1 and raw["count"] == len(names) == 985
    assert names == sorted(names, key=lambda n: (n.casefold(), n))
    assert len(set(names)) == len(names)
    assert {"openid", "profile", "email", "offline_access"} <= set(names)
    assert raw["paths"] == sorted(set(raw["paths"]))


def test_file_is_compact():
    data = resources.files("o365desk.catalog").joinpath("data", "graph_catalog.json")
    size = len(data.read_bytes())
    assert size < 1_500_000
    assert b"\n  " not in data.read_bytes()  # no pretty-print indentation


def test_every_record_has_the_documented_shape(raw):
    keys = {"name", "group", "description", "danger", "delegated", "application", "status",
            "rsc", "remarks", "paths"}
    for p in raw["permissions"]:
        assert set(p) == keys, p["name"]
        assert p["delegated"] or p["application"], p["name"]
        for kind in ("delegated", "application"):
            v = p[kind]
            if v is None:
                continue
            assert set(v) == {"id", "admin", "privilege", "reach"}
            if v["id"] and not GUID.match(v["id"]):
                # Microsoft's data has one malformed ID; it is kept and explained.
                assert p["name"] == "LifecyclePolicies-AgentId.Read.All"
                assert any("not a valid GUID" in r for r in p["remarks"])
            assert v["privilege"] in (None, 1, 2, 3, 4)
            assert v["reach"]
        if p["application"]:
            assert p["application"]["admin"] is True, p["name"]
        assert p["status"]["state"] in ("active", "deprecated", "retired")
        for path_set in p["paths"]:
            assert set(path_set) == {"m", "k", "p"} and path_set["p"]
            for item in path_set["p"]:
                index = item if isinstance(item, int) else item[0]
                assert 0 <= index < len(raw["paths"])


def test_counts_of_ids_groups_and_statuses(catalog):
    delegated_ids = sum(1 for p in catalog if p.delegated and p.delegated.id)
    application_ids = sum(1 for p in catalog if p.application and p.application.id)
    assert (delegated_ids, application_ids) == (757, 721)
    owners: dict[str, list[str]] = {}
    for p in catalog:
        for i in p.ids():
            owners.setdefault(i, []).append(p.name)
    shared = {i: names for i, names in owners.items() if len(names) > 1}
    # Microsoft's own data repeats three IDs; each such permission says so in a remark.
    assert sorted(shared) == ["405a51b5-8d8d-430b-9842-8be4b0e9f324",
                              "64a59178-dad3-4673-89db-84fdcd622fec",
                              "ad46d60e-1027-4b75-af88-7c14ccf43a19"]
    for names in shared.values():
        for name in names:
            assert any("same ID" in r for r in catalog.require(name).remarks)
    states = {s: sum(1 for p in catalog if p.status.state is s) for s in PermissionStatus}
    assert states[PermissionStatus.RETIRED] >= 10 and states[PermissionStatus.DEPRECATED] >= 5


# Checked by hand against Microsoft's public permissions reference
# (learn.microsoft.com/graph/permissions-reference): name -> (delegated ID, delegated needs
# admin consent, application ID). None: no such variant.
HAND_CHECKED = {
    "User.Read": ("e1fe6dd8-ba31-4d61-89e7-88639da4683d", False, None),
    "User.Read.All": ("a154be20-db9c-4678-8ab7-66f6cc099a59", True,
                      "df021288-bdef-4463-88db-98f22de89214"),
    "User.ReadBasic.All": ("b340eb25-3456-403f-be2f-af7a0d370277", False,
                           "97235f07-e226-4f63-ace3-39588e11d3a1"),
    "User.ReadWrite.All": ("204e0828-b5ca-4ad8-b9f3-f32a958e7cc4", True,
                           "741f803b-c850-494e-b5df-cde7c675a1ca"),
    "User.Invite.All": ("63dd7cd9-b489-4adf-a28c-ac38b9a0f962", True,
                        "09850681-111b-4a89-9bed-3f2cae46d706"),
    "Directory.Read.All": ("06da0dbc-49e2-44d2-8312-53f166ab848a", True,
                           "7ab1d382-f21e-4acd-a863-ba3e13f7da61"),
    "Directory.ReadWrite.All": ("c5366453-9fb0-48a5-a156-24f0c49a4b84", True,
                                "19dbc75e-c2e2-444c-a770-ec69d8559fc7"),
    "Directory.AccessAsUser.All": ("0e263e50-5827-48a4-b97c-d940288653c7", True, None),
    "Mail.Read": ("570282fd-fa5c-430d-a7fd-fc8dc98a9dca", False,
                  "810c84a8-4a9e-49e6-bf7d-12d183f40d01"),
    "Mail.ReadWrite": ("024d486e-b451-40bb-833d-3e66d98c5c73", False,
                       "e2a3a72e-5f79-4c64-b1b1-878b674786c9"),
    "Mail.Send": ("e383f46e-2787-4529-855e-0e479a3ffac0", False,
                  "b633e1c5-b582-4048-a93e-9f11b44c7e96"),
    "Group.Read.All": ("5f8c59db-677d-491f-a6b8-5f174b11ec1d", True,
                       "5b567255-7703-4780-807c-7be8301ae99b"),
    "Group.ReadWrite.All": ("4e46008b-f24c-477d-8fff-7bb4ec7aafe0", True,
                            "62a82d76-70ea-41e2-9197-370581804d09"),
    "GroupMember.Read.All": ("bc024368-1153-4739-b217-4326f2e966d0", True,
                             "98830695-27a2-44f7-8c18-0c3ebc9698f6"),
    "Calendars.Read": ("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", False,
                       "798ee544-9d2d-430c-a058-570e29e34338"),
    "Calendars.ReadWrite": ("1ec239c2-d7c9-4623-a91a-a9775856bb36", False,
                            "ef54d2bf-783f-4e0f-bca1-3210c0444d99"),
    "Files.Read.All": ("df85f4d6-205c-4ac5-a5ea-6bf408dba283", False,
                       "01d4889c-1287-42c6-ac1f-5d1e02578ef6"),
    "Files.ReadWrite.All": ("863451e7-0667-486c-a5d6-d135439485f0", False,
                            "75359482-378d-4052-8f01-80520e7db3cd"),
    "Sites.Read.All": ("205e70e5-aba6-4c52-a976-6d2d46c48043", False,
                       "332a536c-c7ef-4017-ab91-336970924f0d"),
    "Sites.FullControl.All": ("5a54b8b3-347c-476d-8f8e-42d5c7424d29", True,
                              "a82116e5-55eb-4c41-a434-62fe8a61c773"),
    "Application.Read.All": ("c79f8feb-a9db-4090-85f9-90d820caa0eb", True,
                             "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"),
    "Application.ReadWrite.All": ("bdfbf15f-ee85-4955-8675-146e8e5296b5", True,
                                  "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"),
    "AppRoleAssignment.ReadWrite.All": ("84bccea3-f856-4a8a-967b-dbe0a3d53a64", True,
                                        "06b708a9-e830-4db3-a914-8e69da51d44f"),
    "RoleManagement.ReadWrite.Directory": ("d01b97e9-cbc0-49fe-810a-750afd5527a3", True,
                                           "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"),
    "AuditLog.Read.All": ("e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20", True,
                          "b0afded3-3588-46d8-8b3d-9842eff778da"),
    "Reports.Read.All": ("02e97553-ed7b-43d0-ab3c-f8bace0d040c", True,
                         "230c1aed-a721-4c5d-9cb4-a90514e508ef"),
    "Policy.Read.All": ("572fea84-0151-49b2-9301-11cb16974376", True,
                        "246dd0d5-5bd0-4def-940b-0421030a5b68"),
    "openid": ("37f7f235-527c-4136-accd-4a02d197296e", False, None),
    "profile": ("14dad69e-099b-42c9-810b-d002981feec1", False, None),
    "email": ("64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", False, None),
    "offline_access": ("7427e0e9-2fba-42fe-b0c0-848c9e6a8182", False, None),
}


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_ids_and_consent_match_microsofts_reference(catalog, name):
    delegated_id, admin, application_id = HAND_CHECKED[name]
    p = catalog.require(name)
    assert p.delegated is not None and p.delegated.id == delegated_id
    assert p.delegated.admin_consent is admin
    if application_id is None:
        assert p.application is None
    else:
        assert p.application.id == application_id and p.application.admin_consent is True


def test_statuses_from_microsofts_notices(catalog):
    def status(name):
        s = catalog.require(name).status
        return s.state.value, s.date

    assert status("ProgramControl.ReadWrite.All") == ("retired", "2023-05-19")
    assert status("PrivilegedAccess.ReadWrite.AzureResources") == ("retired", "2026-10-28")
    assert status("SecurityActions.ReadWrite.All") == ("retired", "2025-01-31")
    assert status("SecurityEvents.ReadWrite.All") == ("deprecated", "2026-08-31")
    assert status("ThreatIndicators.ReadWrite.OwnedBy")[0] == "retired"
    assert status("Notes.ReadWrite.CreatedByApp")[0] == "deprecated"
    assert status("EduAdministration.ReadWrite")[0] == "retired"
    notes = catalog.require("Notes.ReadWrite.All").status
    assert notes.for_kind("application") is PermissionStatus.RETIRED
    assert notes.for_kind("delegated") is PermissionStatus.ACTIVE
    for p in catalog:
        if p.status.state is not PermissionStatus.ACTIVE:
            assert p.status.note, p.name


def test_every_permission_has_a_group_and_other_stays_small(catalog):
    assert all(p.group in families.GROUPS for p in catalog)
    assert len(catalog.in_group(families.OTHER)) <= 5
    for name, group in {"Directory.Read.All": "Directory", "Mail.Send": "Mail",
                        "DeviceManagementApps.Read.All": "DeviceManagement (Intune)",
                        "SecurityAlert.Read.All": "Security", "Policy.Read.All": "Policy",
                        "openid": "Sign-in (OpenID Connect)"}.items():
        assert catalog.require(name).group == group


def test_committed_descriptions_match_the_generator(catalog):
    stale = [p.name for p in catalog
             if describe(p.name, tuple(v.kind for v in p.variants)).description
             != p.description]
    assert stale == [], "run python tools/gen_catalog.py"


def test_seed_and_most_privileged_scopes_are_described_by_hand(catalog):
    assert set(OKTA_O365_ADMIN) <= set(HAND)
    top = [p.name for p in catalog if p.max_privilege == 4]
    assert top and set(top) <= set(HAND)
    for name in ("RoleManagement.ReadWrite.Directory", "Directory.ReadWrite.All",
                 "AppRoleAssignment.ReadWrite.All", "Application.ReadWrite.All",
                 "Sites.FullControl.All", "User.ReadWrite.All"):
        assert catalog.require(name).danger, name


def test_descriptions_are_short_plain_sentences(catalog):
    for p in catalog:
        assert p.description.endswith(".") and len(p.description) <= 220, p.name
        assert "Allows the app" not in p.description  # Microsoft's phrasing, not ours


def test_importing_the_package_loads_no_data():
    code = ("import o365desk.catalog, o365desk.catalog.search, o365desk.catalog.presets, "
            "o365desk.catalog.export, o365desk.catalog.tenant_import, o365desk.cli.scopes, "
            "o365desk.cli.parser\n"
            "from o365desk.catalog import catalog\n"
            "assert not catalog.is_loaded()\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    code = "import sys, o365desk.cli.scopes; assert 'o365desk.catalog' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_delegated_only_names_the_permissions_an_app_cannot_be_given():
    """What `add --app-only` and a template's app-only entry refuse: Graph permissions with
    no application variant, in the order given, any spelling; another resource's scope and
    a name the catalog doesn't know are not judged."""
    catalog = get_catalog()
    names = ["User.Read.All", "user.read", "https://contoso.example/x.read", "Mail.Send",
             "No.Such.Permission"]
    assert catalog.delegated_only(names) == ["user.read"]
