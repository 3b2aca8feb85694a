"""Plain descriptions of permissions in the project's own words: hand-written ones first,
and a generator from the naming pattern Resource.Operation[.Constraint] for the long tail."""

from __future__ import annotations

import dataclasses
import re

from o365desk.catalog.handwritten import HAND as _HAND
from o365desk.catalog.handwritten import REACH
from o365desk.catalog.handwritten_ops import ODD_OPS
from o365desk.catalog.handwritten_workloads import WORKLOADS
from o365desk.catalog.model import APPLICATION, DELEGATED

HAND: dict[str, tuple[str, str]] = {**ODD_OPS, **WORKLOADS, **_HAND}

# Readable nouns where splitting the CamelCase name would read badly.
NOUNS: dict[str, str] = {
    "User": "user profiles", "Group": "groups", "GroupMember": "group memberships",
    "Mail": "email", "MailboxSettings": "mailbox settings", "Calendars": "calendars",
    "Contacts": "contacts", "Files": "files", "Sites": "SharePoint sites and lists",
    "Directory": "directory data", "Notes": "OneNote notebooks", "Tasks": "tasks and task lists",
    "Chat": "Teams chats", "ChatMessage": "chat messages", "ChannelMessage": "channel messages",
    "Team": "teams", "Channel": "team channels", "Device": "device objects",
    "Policy": "policies", "Organization": "organisation details",
    "Application": "app registrations and enterprise apps", "People": "people lists",
    "Presence": "presence (availability) information", "OnlineMeetings": "online meetings",
    "PrintJob": "print jobs", "Printer": "printers", "Reports": "usage reports",
    "AuditLog": "audit and sign-in logs", "Bookings": "Bookings businesses and appointments",
    "TeamsAppInstallation": "Teams app installations", "TeamsTab": "Teams tabs",
    "UserAuthenticationMethod": "authentication methods",
    "IdentityRiskEvent": "risk detections", "IdentityRiskyUser": "risky user records",
    "AccessReview": "access reviews", "ProfilePhoto": "profile photos",
    "CloudPC": "Cloud PCs", "eDiscovery": "eDiscovery cases", "QnA": "search Q&As",
    "IMAP": "IMAP", "POP": "POP", "SMTP": "SMTP", "EAS": "Exchange ActiveSync",
    "EWS": "Exchange Web Services", "BitlockerKey": "BitLocker recovery keys",
    "DeviceManagementRBAC": "Intune role-based access control",
    "DeviceManagementManagedDevices": "Intune managed devices",
    "DeviceManagementApps": "Intune apps", "DeviceManagementConfiguration": "Intune configuration",
    "DeviceManagementServiceConfig": "Intune service configuration",
    "DeviceManagementScripts": "Intune scripts", "DeviceManagementCloudCA": "Intune cloud CA",
    "UserAuthMethod-Email": "email authentication methods",
    "UserAuthMethod-External": "external authentication methods",
    "UserAuthMethod-HardwareOATH": "hardware OATH token methods",
    "UserAuthMethod-MicrosoftAuthApp": "Microsoft Authenticator methods",
    "UserAuthMethod-Passkey": "passkey (FIDO2) methods",
    "UserAuthMethod-Password": "password methods",
    "UserAuthMethod-Phone": "phone authentication methods",
    "UserAuthMethod-PlatformCred": "platform credential methods",
    "UserAuthMethod-QR": "QR code sign-in methods",
    "UserAuthMethod-ResourceKey": "resource key methods",
    "UserAuthMethod-SoftwareOATH": "software OATH token methods",
    "UserAuthMethod-TAP": "Temporary Access Pass methods",
    "UserAuthMethod-WindowsHello": "Windows Hello for Business methods",
    "Application-RemoteDesktopConfig": "the remote desktop settings of apps",
    "CallEvents-Emergency": "emergency call events", "CallRecord-PstnCalls": "PSTN call records",
    "CloudApp-Disc": "cloud app discovery data", "CloudApp-Discovery": "cloud app discovery data",
    "Contacts-OnPremisesSyncBehavior": "the on-premises sync setting of contacts",
    "CopilotSettings-LimitedMode": "the Copilot limited mode setting",
    "EduReports-Reading": "Reading Progress reports", "EduReports-Reflect": "Reflect reports",
    "EntitlementMgmt-SubjectAccess": "the user's own access packages and requests",
    "Goals-Export": "Viva Goals exports",
    "Group-NestingSupport": "the nesting of groups in other groups",
    "Group-OnPremisesSyncBehavior": "the on-premises sync setting of groups",
    "Group-PreferredDataLocation": "the preferred data location of groups",
    "Group-XTenantIdentitySync": "cross-tenant identity sync of groups",
    "Insights-UserMetric": "user metrics (Entra insights)",
    "LifecyclePolicies-AgentId": "lifecycle policies for agent identities",
    "LifecycleWorkflows-CustomExt": "custom extensions of lifecycle workflows",
    "LifecycleWorkflows-Reports": "lifecycle workflow reports",
    "LifecycleWorkflows-Workflow": "lifecycle workflows",
    "NetworkAccess-Reports": "Global Secure Access reports",
    "NetworkAccess": "Global Secure Access settings",
    "Schedule-WorkingTime": "working time schedules (Shifts)",
    "SynchronizationData-User": "user data for Entra provisioning",
    "User-ConvertToInternal": "the conversion of external users to internal ones",
    "User-LifeCycleInfo": "users' employment lifecycle dates",
    "User-Mail": "users' email address properties", "User-Phone": "users' phone numbers",
    "User-OnPremisesSyncBehavior": "the on-premises sync setting of users",
    "VerifiedId-Profile": "Verified ID profiles",
    "VirtualEventRegistration-Anon": "anonymous virtual event registrations",
    "BackupRestore-Monitor": "Microsoft 365 Backup monitoring data",
    "EduAdministration": "education app settings", "EduAssignments": "class assignments",
    "EduCurricula": "education curricula", "EduRoster": "school rosters",
    "Member": "group memberships", "Owner": "group owners", "Schedule": "Shifts schedules",
    "Place": "rooms and places", "Synchronization": "Entra provisioning jobs",
    "Teamwork": "Teams-wide settings", "TermStore": "the SharePoint term store",
    "ServiceHealth": "service health information", "ServiceMessage": "service messages",
    "Subscription": "change notification subscriptions",
    "CrossTenantUserProfileSharing": "cross-tenant user profile sharing settings",
    "TeamsActivity": "Teams activity feed notifications",
    "SecurityCopilotWorkspaces": "Security Copilot workspaces",
    "LifeCycleInfo": "employee lifecycle information",
    "ProgramControl": "access review programs and controls (first access reviews API)",
    "IndustryData-DataConnector": "industry data connectors",
    "OrgContact": "organisational (directory) contacts",
    "EntraBackup": "Microsoft Entra Backup and Recovery data",
}
# Words that take no plural, or a noun phrase already plural.
_MASS = {"data", "content", "information", "telemetry", "configuration", "config", "settings",
         "health", "management", "protection", "access", "analytics", "monitoring", "discovery",
         "migration", "mail", "store", "federation", "feed", "sync", "behavior", "clipboard",
         "billing", "security", "governance", "insights", "search", "backup", "control",
         "restore", "emergency", "branding", "lifecycle", "teamwork", "roster", "curricula",
         "reading", "reflect", "todo", "forms", "voice", "media", "info", "hunting",
         "intelligence", "compliance", "recommendations", "PC", "RBAC", "CA", "ID", "AI"}
_PREFIX_NOUNS = {"IndustryData": "industry data", "OrgSettings": "organisation settings for",
                 "TenantGovernance": "tenant governance", "AuditLogsQuery": "audit log queries",
                 "ServiceActivity": "service activity data", "BackupRestore": "Microsoft 365 "
                 "Backup"}
ACRONYMS = {"rbac": "RBAC", "ca": "CA", "crm": "CRM", "qr": "QR", "tap": "TAP", "oath": "OATH",
            "pc": "PC", "api": "API", "pstn": "PSTN", "ai": "AI", "id": "ID"}
PROPER = {"teams", "windows", "microsoft", "sharepoint", "onedrive", "exchange", "entra",
          "intune", "copilot", "bookings", "viva", "defender", "outlook", "dynamics"}
_FIXES = (("share point", "SharePoint"), ("one drive", "OneDrive"), ("one note", "OneNote"),
          ("multi tenant", "multi-tenant"), ("cross tenant", "cross-tenant"),
          ("on premises", "on-premises"), ("on prem", "on-premises"), ("sign in", "sign-in"),
          ("sec attribute", "security attribute"), ("cert ", "certificate "),
          ("fed token", "federation token"))

# Constraints naming a role provider or target rather than a reach.
TARGETS: dict[str, str] = {
    "Directory": "for Entra ID directory roles", "AzureAD": "for Entra ID roles",
    "AzureADGroup": "for groups (PIM for Groups)", "AzureResources": "for Azure resource roles",
    "CloudPC": "for Windows 365 Cloud PC", "Defender": "for Microsoft Defender",
    "Exchange": "for Exchange Online",
}
POLICY_NOUNS: dict[str, str] = {
    "All": "all of the organisation's policies",
    "PermissionGrant": "consent (permission grant) policies",
    "TrustFramework": "Azure AD B2C custom policies (trust framework)",
    "ConsentRequest": "the admin consent request settings",
    "CrossTenantAccess": "cross-tenant access settings",
    "ApplicationConfiguration": "app management policies",
    "Authorization": "the tenant-wide authorization settings",
    "AuthenticationFlows": "authentication flow settings",
    "SecurityDefaults": "security defaults",
    "OnPremAuthenticationPolicy": "on-premises authentication policies",
}

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(camel: str) -> str:
    """'DeviceManagementConfiguration' -> 'device management configuration'."""
    out = []
    for part in re.split(r"[-_ ]+", camel):
        for w in _WORD.findall(part):
            low = w.lower()
            if low in ACRONYMS:
                out.append(ACRONYMS[low])
            elif low == "edu":
                out.append("education")
            elif low in PROPER:
                out.append(w[0].upper() + w[1:].lower())
            elif w.isupper() and len(w) > 1:
                out.append(w)
            else:
                out.append(low)
    text = " ".join(out)
    for wrong, right in _FIXES:
        text = text.replace(wrong, right)
    return text


def plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    if last in _MASS or last.endswith("s") or not last.isalpha():
        return phrase
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("ch", "sh", "x")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def noun(resource: str) -> str:
    """A readable, plural noun for a resource name."""
    if resource in NOUNS:
        return NOUNS[resource]
    if resource.startswith("SecurityIdentities"):
        return f"Defender for Identity {plural(words(resource[18:]))}"
    base, _, detail = resource.partition("-")
    if detail and base in _PREFIX_NOUNS:
        if base in ("AuditLogsQuery", "ServiceActivity"):
            return f"{_PREFIX_NOUNS[base]} ({words(detail)})"
        return f"{_PREFIX_NOUNS[base]} {plural(words(detail))}"
    if detail:
        return f"{noun(base)} ({words(detail)})"
    return plural(words(resource))


def _operation_phrase(operation: str, what: str) -> str:
    fixed = {
        "Read": f"Read access to {what}",
        "ReadBasic": f"Read access to the basic properties of {what}",
        "ReadWrite": f"Read and write access to {what}",
        "ReadWriteBasic": f"Read and write access to the basic properties of {what}",
        "Write": f"Add or change {what}", "Create": f"Create new {what}",
        "Send": f"Send new {what}",
        "Manage": f"Manage {what}, settings included",
        "FullControl": f"Full control of {what}, including who may access them",
        "Delete": f"Delete {what}",
        "DeleteRestore": f"Delete {what} and bring deleted ones back",
        "EnableDisable": f"Switch {what} on and off", "Export": f"Export {what}",
        "ImportExport": f"Import and export {what}", "Upload": f"Upload {what}",
        "Remove": f"Remove {what}", "Edit": f"Edit {what}",
        "ReadAnonymous": f"Read {what} with people's identities hidden",
        "AccessAsUser": f"Use {what} with the signed-in user's own rights",
    }
    if operation in fixed:
        return fixed[operation]
    return f"{words(operation).capitalize()}: {what}"


_RSC_TARGET = {"Chat": "chats", "Team": "teams", "User": "users' personal app space"}
_RSC_BASE = {
    "Read": "See which apps are installed",
    "ReadWrite": "Install, upgrade and remove apps",
    "ReadWriteSelf": "Install, upgrade and remove this app itself (no other app)",
    "ReadWriteAndConsent": "Install, upgrade and remove apps and consent to their "
                           "resource-specific permissions",
    "ReadWriteAndConsentSelf": "Install, upgrade and remove this app itself and consent to "
                               "its resource-specific permissions",
    "ReadSelected": "See whether admin-selected apps are installed",
    "ReadWriteSelected": "Install, upgrade and remove admin-selected apps",
    "ManageSelected": "Install, upgrade, remove and consent for admin-selected apps",
}
_RSC_OP = re.compile(r"^(?P<base>[A-Za-z]+?)For(?P<target>Chat|Team|User)$")


def _per_target_phrase(resource: str, operation: str) -> str | None:
    """TeamsAppInstallation.ReadWriteForChat and kin: an operation aimed at one target kind."""
    match = _RSC_OP.match(operation)
    if not match or match["base"] not in _RSC_BASE:
        return None
    base, target = _RSC_BASE[match["base"]], _RSC_TARGET[match["target"]]
    if resource == "TeamsTab":
        base = base.replace("apps are installed", "tabs exist").replace("apps", "tabs")
    elif resource == "ResourceSpecificPermissionGrant":
        return f"Read which resource-specific permissions apps hold in {target}"
    return f"{base} in {target}"


@dataclasses.dataclass(frozen=True)
class Described:
    description: str
    reach: dict[str, str]  # kind -> whose data it reaches
    danger: str = ""
    handwritten: bool = False


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def generated_description(name: str) -> str:
    parts = name.split(".")
    resource = parts[0]
    operation = parts[1] if len(parts) > 1 else ""
    constraint = ".".join(parts[2:])
    per_target = _per_target_phrase(resource, operation)
    if per_target:
        return _sentence(per_target)
    if resource == "Policy" and constraint:
        what = POLICY_NOUNS.get(constraint, f"{words(constraint)} policies")
    elif constraint in TARGETS:
        what = f"{noun(resource)} {TARGETS[constraint]}"
    else:
        what = noun(resource)
    return _sentence(_operation_phrase(operation, what) if operation else f"Use {what}")


def generated_reach(name: str, kind: str) -> str:
    parts = name.split(".")
    operation = parts[1] if len(parts) > 1 else ""
    constraint = ".".join(parts[2:])
    delegated = kind == DELEGATED
    rsc = _RSC_OP.match(operation)
    if rsc and not constraint:
        return ("Only where the signed-in user takes part." if delegated
                else "Only where this app is installed.")
    if constraint in ("Group", "Chat", "User") and not rsc:
        where = {"Group": "the team", "Chat": "the chat", "User": "the user"}[constraint]
        return (f"Only in {where} where this app is installed, granted there by "
                "resource-specific consent.")
    table = {
        "Shared": "The signed-in user's own items and the ones others shared with them.",
        "OwnedBy": "Only the objects this app owns.",
        "CreatedByApp": "Only the items this app created.",
        "Selected": "Only the specific items an admin has granted to this app, one by one.",
        "AppFolder": "Only this app's own folder in the user's OneDrive.",
        "WhereInstalled": "Only chats where this app is installed.",
        "ManagedBy": "Only the objects this app is set to manage.",
    }
    if constraint in table:
        return table[constraint]
    if not constraint:
        return ("Only the signed-in user's own data." if delegated
                else "Every user's data in the organisation, with no signed-in user.")
    if delegated:
        return "Anything in the organisation the signed-in user may reach; their role limits it."
    return "The whole organisation, with no signed-in user."


def describe(name: str, kinds: tuple[str, ...] = (DELEGATED, APPLICATION)) -> Described:
    """Description, per-variant reach and danger note for one permission name."""
    hand = HAND.get(name)
    reach = {k: REACH.get((name, k)) or generated_reach(name, k) for k in kinds}
    if hand is not None:
        text, danger = hand
        return Described(text, reach, danger, handwritten=True)
    return Described(generated_description(name), reach)
