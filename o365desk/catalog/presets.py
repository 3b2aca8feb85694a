"""Ready-made permission sets: the Okta Workflows connector's list, and least-privilege task
presets. A preset is a starting point; apply it to a selection and edit from there."""

from __future__ import annotations

import dataclasses

from o365desk.catalog.catalog import Catalog, CatalogError
from o365desk.catalog.model import APPLICATION, DELEGATED, Permission, PermissionStatus

_SIGN_IN = ("openid", "profile", "offline_access", "User.Read")


@dataclasses.dataclass(frozen=True)
class Preset:
    key: str  # what the CLI takes: o365desk scopes --preset KEY
    title: str
    summary: str
    kind: str  # the variant every scope is granted as
    scopes: tuple[str, ...]

    def selection(self) -> list[tuple[str, str]]:
        """(name, kind) pairs, ready for export or for a selection the user edits."""
        return [(name, self.kind) for name in self.scopes]


@dataclasses.dataclass(frozen=True)
class PresetItem:
    name: str
    kind: str
    permission: Permission | None
    flag: str  # why this scope deserves a look (retired, deprecated, no ID, unknown); or ""

    @property
    def state(self) -> PermissionStatus | None:
        return self.permission.status.for_kind(self.kind) if self.permission else None


# The 62 scopes of the Okta Workflows "Office 365 Admin" connector, in its order.
OKTA_O365_ADMIN = (
    "email", "openid", "profile", "offline_access", "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All", "Directory.Read.All", "Group.ReadWrite.All",
    "Calendars.ReadWrite", "Calendars.ReadWrite.Shared", "Contacts.ReadWrite.Shared",
    "Contacts.ReadWrite", "Contacts.Read", "Files.ReadWrite.All", "Mail.ReadWrite.Shared",
    "Mail.Send.Shared", "People.Read.All", "AccessReview.ReadWrite.All",
    "AccessReview.ReadWrite.Membership", "Analytics.Read", "AdministrativeUnit.ReadWrite.All",
    "AppCatalog.ReadWrite.All", "Bookings.ReadWrite.All", "Chat.ReadWrite",
    "PrivilegedAccess.ReadWrite.AzureAD", "PrivilegedAccess.ReadWrite.AzureResources",
    "EduAdministration.ReadWrite", "Financials.ReadWrite.All", "IdentityProvider.ReadWrite.All",
    "IdentityRiskEvent.Read.All", "IdentityRiskyUser.Read.All",
    "DeviceManagementApps.ReadWrite.All", "DeviceManagementConfiguration.ReadWrite.All",
    "DeviceManagementManagedDevices.PrivilegedOperations.All",
    "DeviceManagementManagedDevices.ReadWrite.All", "DeviceManagementRBAC.ReadWrite.All",
    "DeviceManagementServiceConfig.ReadWrite.All", "MailboxSettings.ReadWrite",
    "Member.Read.Hidden", "Notes.ReadWrite.All", "Notes.Create",
    "Notifications.ReadWrite.CreatedByApp", "OnPremisesPublishingProfiles.ReadWrite.All",
    "Organization.ReadWrite.All", "Place.Read.All", "ProgramControl.ReadWrite.All",
    "Reports.Read.All", "RoleManagement.ReadWrite.Directory", "SecurityEvents.ReadWrite.All",
    "SecurityActions.ReadWrite.All", "ThreatIndicators.ReadWrite.OwnedBy",
    "Sites.FullControl.All", "Tasks.ReadWrite", "Tasks.ReadWrite.Shared",
    "Agreement.ReadWrite.All", "AgreementAcceptance.Read.All", "Policy.Read.All",
    "Policy.ReadWrite.TrustFramework", "UserActivity.ReadWrite.CreatedByApp",
    "User.ReadWrite.All", "User.Invite.All", "User.Read.All",
)

PRESETS: tuple[Preset, ...] = (
    Preset("okta-o365-admin", "Okta Workflows - Office 365 Admin",
           "The 62 scopes the Okta Workflows Office 365 Admin connector asks for. Far more "
           "than most tasks need; several of its APIs are retired or deprecated.",
           DELEGATED, OKTA_O365_ADMIN),
    Preset("read-only-directory", "Read-only directory",
           "Look at users, groups and memberships, devices, apps, roles and domains without "
           "changing anything. Or use the single broader permission Directory.Read.All.",
           DELEGATED, _SIGN_IN + (
               "User.Read.All", "GroupMember.Read.All", "Organization.Read.All",
               "Domain.Read.All", "AdministrativeUnit.Read.All", "RoleManagement.Read.Directory",
               "Device.Read.All", "Application.Read.All")),
    Preset("user-group-management", "User and group management",
           "Create, change and delete users and groups, manage memberships and licences. "
           "Admin roles, passwords and sign-in methods are left out on purpose.",
           DELEGATED, _SIGN_IN + (
               "User.ReadWrite.All", "Group.ReadWrite.All", "LicenseAssignment.ReadWrite.All",
               "Organization.Read.All", "Domain.Read.All")),
    Preset("mail-automation", "Mail automation",
           "Read, file and send the signed-in user's mail and manage their inbox rules and "
           "automatic replies.",
           DELEGATED, _SIGN_IN + ("Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite")),
    Preset("intune-devices", "Intune device management",
           "Manage Intune devices, configuration and apps. Wipe and other remote actions "
           "(DeviceManagementManagedDevices.PrivilegedOperations.All) are left out; add them "
           "only when needed.",
           DELEGATED, _SIGN_IN + (
               "DeviceManagementManagedDevices.ReadWrite.All",
               "DeviceManagementConfiguration.ReadWrite.All", "DeviceManagementApps.ReadWrite.All",
               "DeviceManagementServiceConfig.Read.All", "DeviceManagementRBAC.Read.All",
               "Device.Read.All")),
    Preset("security-reporting", "Security reporting",
           "Read alerts, incidents, risky users and detections, audit and sign-in logs, usage "
           "reports and policies. Nothing is changed. SecurityEvents.Read.All is there for "
           "Secure Score only.",
           DELEGATED, _SIGN_IN + (
               "SecurityAlert.Read.All", "SecurityIncident.Read.All", "ThreatHunting.Read.All",
               "IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All", "AuditLog.Read.All",
               "Reports.Read.All", "Policy.Read.All", "SecurityEvents.Read.All")),
)


def find_preset(name: str) -> Preset:
    """A preset by key or title, ignoring case."""
    wanted = name.strip().casefold()
    for preset in PRESETS:
        if wanted in (preset.key, preset.title.casefold()):
            return preset
    keys = ", ".join(p.key for p in PRESETS)
    raise CatalogError(f'No preset is called "{name.strip()}". Presets: {keys}.')


def flag_for(permission: Permission | None, name: str, kind: str) -> str:
    """A one-line reason to look twice at a scope in a selection, or ""."""
    if permission is None:
        return "Not in the catalog."
    variant = permission.variant(kind)
    other = APPLICATION if kind == DELEGATED else DELEGATED
    if variant is None:
        return f"Has no {kind} variant; it exists only as {other}."
    state = permission.status.for_kind(kind)
    if state is not PermissionStatus.ACTIVE:
        when = f" {permission.status.date}" if permission.status.date else ""
        return f"{state.label}{when}: {permission.status.note}"
    if not variant.id:
        return f"Microsoft provisions no {kind} ID for it."
    return ""


def preset_items(preset: Preset, catalog: Catalog) -> list[PresetItem]:
    return [PresetItem(name, kind, p := catalog.get(name), flag_for(p, name, kind))
            for name, kind in preset.selection()]
