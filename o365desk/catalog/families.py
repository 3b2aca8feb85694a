"""Which family (tree group) a permission belongs to, and its less-privileged alternatives."""

from __future__ import annotations

from collections.abc import Iterable

OTHER = "Other"

# (group, resource patterns). A pattern ending in "*" matches a prefix of the resource, i.e.
# the part of the name before the first dot; the longest matching pattern wins.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sign-in (OpenID Connect)", ("openid", "profile", "email", "offline_access")),
    ("Directory", (
        "Directory", "DirectoryRecommendations", "Domain", "Domain-*", "Organization",
        "OrganizationalBranding", "OrgContact", "OrgSettings-*", "AdministrativeUnit",
        "CustomSecAttribute*", "OnPremDirectorySynchronization", "Synchronization",
        "SynchronizationData-*", "LicenseAssignment", "SignInIdentifier", "Subscription",
        "ProfilePhoto", "Contacts-OnPremisesSyncBehavior", "CustomTags", "Family",
    )),
    ("Users", (
        "User", "User-*", "People", "PeopleSettings", "Presence", "UserActivity",
        "UserTimelineActivity", "UserCloudClipboard", "UserNotification", "ExternalUserProfile",
        "PendingExternalUserProfile", "LifeCycleInfo", "Notifications",
    )),
    ("Authentication methods", ("UserAuthenticationMethod", "UserAuthMethod-*")),
    ("Groups", ("Group", "Group-*", "GroupMember", "GroupSettings", "UnifiedGroupMember",
                "Member", "Owner")),
    ("Applications", (
        "Application", "Application-*", "AppRoleAssignment", "AppRegistration",
        "AppCertTrustConfiguration", "DelegatedPermissionGrant", "ServicePrincipalEndpoint",
        "ConsentRequest", "MutualTlsOauthConfiguration", "SpiffeTrustDomain",
        "OnPremisesPublishingProfiles", "ResourceSpecificPermissionGrant",
        "PublicKeyInfrastructure", "BusinessScenario*",
    )),
    ("Agents and Copilot", ("Agent*", "LifecyclePolicies-AgentId", "AiEnterpriseInteraction",
                            "Copilot*", "SecurityCopilotWorkspaces")),
    ("RoleManagement and PIM", (
        "RoleManagement", "RoleManagementAlert", "RoleManagementPolicy",
        "RoleAssignmentSchedule", "RoleEligibilitySchedule", "PrivilegedAccess",
        "PrivilegedAssignmentSchedule", "PrivilegedEligibilitySchedule",
    )),
    ("Identity governance", (
        "AccessReview", "ProgramControl", "EntitlementManagement", "EntitlementMgmt-*",
        "Agreement", "AgreementAcceptance", "LifecycleWorkflows", "LifecycleWorkflows-*",
        "ApprovalSolution", "ApprovalSolutionResponse",
    )),
    ("Identity protection", ("IdentityRisk*", "RiskPreventionProviders", "IdentityNotifications")),
    ("Policy", ("Policy", "AuthenticationContext")),
    ("External identities", (
        "IdentityProvider", "IdentityUserFlow", "TrustFrameworkKeySet", "APIConnectors",
        "CustomAuthenticationExtension", "EventListener", "VerifiedId-*",
    )),
    ("Multi-tenant and partners", (
        "MultiTenantOrganization", "CrossTenant*", "TenantGovernance-*",
        "DelegatedAdminRelationship", "ManagedTenants", "Partner*", "BillingConfiguration",
    )),
    ("Audit logs and reports", (
        "AuditLog", "AuditLogsQuery", "AuditLogsQuery-*", "ProvisioningLog", "Reports",
        "ReportSettings", "ServiceActivity-*", "Insights-*", "Analytics",
        "ConfigurationMonitoring", "ChangeManagement",
    )),
    ("Mail", ("Mail", "Mailbox*", "MailTips", "IMAP", "POP", "SMTP", "EAS", "EWS",
              "ExchangeMessageTrace")),
    ("Calendars", ("Calendars", "Place", "PlaceDevice*", "Bookings", "BookingsAppointment",
                   "VirtualAppointment*")),
    ("Contacts", ("Contacts",)),
    ("Files", ("Files", "File", "FileStorageContainer", "FileIngestion*")),
    ("Sites", ("Sites", "Lists", "ListItems", "TermStore", "SharePoint*", "BrowserSiteLists")),
    ("Notes and tasks", ("Notes", "ShortNotes", "Tasks")),
    ("Teams", ("Team", "Team*", "Teams*", "Teamwork*", "Channel*", "UserTeamwork", "AppCatalog")),
    ("Chats", ("Chat", "Chat*")),
    ("Calls and meetings", ("Call*", "OnlineMeeting*", "VirtualEvent*", "ChannelMeeting*")),
    ("Shifts", ("Schedule", "Schedule-*", "SchedulePermissions", "UserShiftPreferences",
                "WorkforceIntegration")),
    ("Devices", ("Device", "DeviceLocalCredential", "BitlockerKey", "DeviceTemplate",
                 "CloudPC", "WindowsUpdates", "UserWindowsSettings")),
    ("DeviceManagement (Intune)", ("DeviceManagement*",)),
    ("Security", (
        "Security*", "Threat*", "AttackSimulation", "CustomDetection", "CloudApp-*",
        "HealthMonitoringAlert*",
    )),
    ("Compliance and information protection", (
        "eDiscovery", "SubjectRightsRequest", "RecordsManagement", "InformationProtection*",
        "SensitivityLabel*", "ContentActivity", "Content", "ProtectionScopes", "AuditActivity",
        "CaseManagement",
    )),
    ("Service health", ("ServiceHealth", "ServiceMessage", "ServiceMessageViewpoint")),
    ("Printing", ("Print*", "Printer*")),
    ("Education", ("Edu*",)),
    ("Learning", ("Learning*",)),
    ("Search and connectors", ("ExternalConnection", "ExternalItem", "SearchConfiguration",
                               "Bookmark", "Acronym", "QnA")),
    ("Viva and Engage", ("Engagement*", "Community", "Storyline", "Goals-*", "Topic",
                         "RealTimeActivityFeed")),
    ("Industry data", ("IndustryData", "IndustryData-*")),
    ("Backup and restore", ("BackupRestore-*", "EntraBackup")),
    ("Network access", ("NetworkAccess", "NetworkAccess*")),
)

GROUPS: tuple[str, ...] = tuple(g for g, _ in _GROUPS) + (OTHER,)

_EXACT: dict[str, str] = {}
_PREFIXES: list[tuple[str, str]] = []
for _group, _patterns in _GROUPS:
    for _pattern in _patterns:
        if _pattern.endswith("*"):
            _PREFIXES.append((_pattern[:-1].casefold(), _group))
        else:
            _EXACT[_pattern.casefold()] = _group
_PREFIXES.sort(key=lambda item: -len(item[0]))


def group_for(name: str) -> str:
    """The tree group of a permission name; "Other" when no rule claims it."""
    resource = name.split(".", 1)[0].casefold()
    if resource in _EXACT:
        return _EXACT[resource]
    for prefix, group in _PREFIXES:
        if resource.startswith(prefix):
            return group
    return OTHER


# Operations from the most to the least powerful: an alternative may only step down.
_WEAKER_OPS: dict[str, tuple[str, ...]] = {
    "FullControl": ("Manage", "ReadWrite", "Read"),
    "Manage": ("ReadWrite", "Read"),
    "ReadWrite": ("Read", "ReadWriteBasic", "ReadBasic"),
    "ReadWriteBasic": ("ReadBasic",),
    "Read": ("ReadBasic",),
    "AccessAsUser": ("ReadWrite", "Read"),
    "ImportExport": ("Export", "ReadWrite", "Read"),
    "Export": ("Read",),
}
# Narrower constraints for the same resource and operation.
_NARROWER: dict[str, tuple[str, ...]] = {
    "All": ("", "Shared", "Selected", "OwnedBy", "CreatedByApp", "AppFolder"),
    "Shared": ("",),
    "Directory": (),
}

# Cross-resource alternatives the rules can't see, narrowest useful choices first.
CROSS_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "Directory.ReadWrite.All": (
        "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All",
        "GroupMember.ReadWrite.All", "AdministrativeUnit.ReadWrite.All", "Device.ReadWrite.All",
    ),
    "Directory.Read.All": (
        "User.Read.All", "User.ReadBasic.All", "Group.Read.All", "GroupMember.Read.All",
        "Organization.Read.All", "Domain.Read.All", "Device.Read.All", "Application.Read.All",
    ),
    "Directory.AccessAsUser.All": (
        "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All",
    ),
    "RoleManagement.ReadWrite.Directory": (
        "RoleManagement.Read.Directory", "RoleAssignmentSchedule.ReadWrite.Directory",
        "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagementPolicy.ReadWrite.Directory",
    ),
    "AppRoleAssignment.ReadWrite.All": ("Application.Read.All",),
    "Application.ReadWrite.All": ("Application.ReadWrite.OwnedBy", "Application.Read.All"),
    "User.ReadWrite.All": (
        "User.Read.All", "User.ReadBasic.All", "User.EnableDisableAccount.All",
        "User-Phone.ReadWrite.All", "User-Mail.ReadWrite.All",
    ),
    "Group.ReadWrite.All": ("GroupMember.ReadWrite.All", "Group.Read.All", "Group.Create"),
    "Sites.FullControl.All": ("Sites.Manage.All", "Sites.ReadWrite.All", "Sites.Selected"),
    "Sites.ReadWrite.All": ("Sites.Selected", "Sites.Read.All"),
    "Files.ReadWrite.All": ("Files.ReadWrite.Selected", "Files.ReadWrite.AppFolder",
                            "Files.ReadWrite", "Files.Read.All"),
    "Mail.ReadWrite": ("Mail.Read", "Mail.ReadBasic"),
    "Chat.ReadWrite.All": ("Chat.Read.All", "Chat.ReadBasic.All", "ChatMessage.Read.All"),
    "Policy.ReadWrite.ConditionalAccess": ("Policy.Read.ConditionalAccess", "Policy.Read.All"),
    "SecurityEvents.ReadWrite.All": ("SecurityAlert.ReadWrite.All", "SecurityAlert.Read.All",
                                     "SecurityEvents.Read.All"),
    "SecurityEvents.Read.All": ("SecurityAlert.Read.All",),
    "ProgramControl.ReadWrite.All": ("AccessReview.ReadWrite.All", "AccessReview.Read.All"),
    "ProgramControl.Read.All": ("AccessReview.Read.All",),
    "PrivilegedAccess.ReadWrite.AzureAD": (
        "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory",
        "PrivilegedAccess.Read.AzureAD",
    ),
    "EWS.AccessAsUser.All": ("Mail.ReadWrite", "Calendars.ReadWrite", "Contacts.ReadWrite"),
    "DeviceManagementManagedDevices.PrivilegedOperations.All": (
        "DeviceManagementManagedDevices.ReadWrite.All", "DeviceManagementManagedDevices.Read.All",
    ),
    "Organization.ReadWrite.All": ("Organization.Read.All", "OrganizationalBranding.ReadWrite.All"),
    "DelegatedPermissionGrant.ReadWrite.All": ("DelegatedPermissionGrant.Read.All",),
    "UserAuthenticationMethod.ReadWrite.All": ("UserAuthenticationMethod.Read.All",),
}


def _split(name: str) -> tuple[str, str, str]:
    parts = name.split(".")
    resource = parts[0]
    operation = parts[1] if len(parts) > 1 else ""
    constraint = ".".join(parts[2:])
    return resource, operation, constraint


def rule_alternatives(name: str, known: Iterable[str]) -> list[str]:
    """Alternatives by the naming rules: a weaker operation, or a narrower constraint."""
    known_set = set(known)
    resource, operation, constraint = _split(name)
    if not operation:
        return []
    found: list[str] = []
    narrower = _NARROWER.get(constraint, ())
    # A weaker operation keeps the constraint or narrows it; a specific constraint (a policy
    # type, a role provider) may fall back to the read-only ".All" form.
    steps = (constraint, *narrower) if constraint in _NARROWER or not constraint else (
        constraint, "All")
    for weaker in _WEAKER_OPS.get(operation, ()):
        for c in steps:
            candidate = ".".join(p for p in (resource, weaker, c) if p)
            if candidate in known_set and candidate != name:
                found.append(candidate)
                break
    for c in narrower:
        candidate = ".".join(p for p in (resource, operation, c) if p)
        if candidate in known_set and candidate != name:
            found.append(candidate)
    return list(dict.fromkeys(found))


def alternatives(name: str, known: Iterable[str]) -> list[str]:
    """Less-privileged permissions to consider instead of `name`, hand-picked ones first."""
    known_set = set(known)
    hand = [n for n in CROSS_ALTERNATIVES.get(name, ()) if n in known_set]
    return list(dict.fromkeys(hand + rule_alternatives(name, known_set)))
