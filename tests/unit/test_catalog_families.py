"""Groups for the tree, less-privileged alternatives and the description generator."""

from __future__ import annotations

import pytest

from o365desk.catalog import families
from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.descriptions import describe, generated_description, noun, words


@pytest.fixture(scope="module")
def catalog():
    return get_catalog()


def test_groups_come_from_the_resource_prefix():
    assert families.group_for("DeviceManagementConfiguration.Read.All") == (
        "DeviceManagement (Intune)")
    assert families.group_for("SecurityIncident.Read.All") == "Security"
    assert families.group_for("UserAuthMethod-Passkey.Read") == "Authentication methods"
    assert families.group_for("User-Phone.ReadWrite.All") == "Users"
    assert families.group_for("Something.Unheard.Of") == families.OTHER


def test_group_counts_cover_the_catalog_in_tree_order(catalog):
    groups = catalog.groups()
    assert sum(n for _, n in groups) == len(catalog)
    assert [g for g, _ in groups] == [g for g in families.GROUPS if catalog.in_group(g)]


def test_less_privileged_alternatives(catalog):
    def alts(name):
        return [p.name for p in catalog.alternatives(name)]

    assert alts("Directory.ReadWrite.All")[:2] == ["Directory.Read.All", "User.ReadWrite.All"]
    assert alts("Calendars.ReadWrite.Shared") == ["Calendars.Read.Shared", "Calendars.ReadBasic",
                                                  "Calendars.ReadWrite"]
    assert "Sites.Selected" in alts("Sites.FullControl.All")
    assert alts("User.Read") == []  # nothing narrower than the user's own profile
    assert alts("Mail.ReadWrite") == ["Mail.Read", "Mail.ReadBasic"]
    assert alts("openid") == []


def test_hand_picked_alternatives_all_exist(catalog):
    for name, alternatives in families.CROSS_ALTERNATIVES.items():
        assert name in catalog, name
        assert all(a in catalog for a in alternatives), name


def test_words_split_camel_case_and_keep_acronyms():
    assert words("DeviceManagementConfiguration") == "device management configuration"
    assert words("DeviceManagementRBAC") == "device management RBAC"
    assert words("OnPremisesPublishingProfiles") == "on-premises publishing profiles"
    assert noun("TeamsTab") == "Teams tabs"
    assert noun("PrintConnector") == "print connectors"
    assert noun("TenantGovernance-Invitation") == "tenant governance invitations"


def test_generated_descriptions_follow_the_naming_pattern():
    assert generated_description("Widget.Read.All") == "Read access to widgets."
    assert generated_description("Widget.ReadWrite") == "Read and write access to widgets."
    assert generated_description("Policy.ReadWrite.FeatureRollout") == (
        "Read and write access to feature rollout policies.")
    assert generated_description("RoleManagement.Read.Exchange") == (
        "Read access to role management for Exchange Online.")


@pytest.mark.parametrize("name, delegated, application", [
    ("Widget.Read", "Only the signed-in user's own data.",
     "Every user's data in the organisation, with no signed-in user."),
    ("Widget.Read.All", "Anything in the organisation the signed-in user may reach; their "
     "role limits it.", "The whole organisation, with no signed-in user."),
    ("Widget.ReadWrite.OwnedBy", "Only the objects this app owns.",
     "Only the objects this app owns."),
    ("Widget.Read.Shared", "The signed-in user's own items and the ones others shared with "
     "them.", None),
    ("Widget.Read.Group", None, "Only in the team where this app is installed, granted there "
     "by resource-specific consent."),
])
def test_delegated_and_application_phrasing_differ(name, delegated, application):
    text = describe(name)
    if delegated:
        assert text.reach["delegated"] == delegated
    if application:
        assert text.reach["application"] == application


def test_hand_written_text_wins(catalog):
    described = describe("AppRoleAssignment.ReadWrite.All")
    assert described.handwritten and "Global Administrator" in described.danger
