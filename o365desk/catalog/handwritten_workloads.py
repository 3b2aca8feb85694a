"""Hand-written descriptions for the workload permissions: mail, calendars, files, sites,
Teams, devices, security and backup. Same shape as handwritten.HAND."""

from __future__ import annotations

_ALL_MAILBOXES = ("As an application permission it covers every mailbox in the organisation "
                  "unless Exchange is set to limit the app to certain mailboxes.")
_ALL_SITES = ("As an application permission it covers every SharePoint site and OneDrive in "
              "the organisation; Sites.Selected grants single sites instead.")
_ALL_CHATS = "Every 1:1, group and meeting chat in the organisation is in reach."

WORKLOADS: dict[str, tuple[str, str]] = {
    # Mail
    "Mail.Read": ("Read email messages.", _ALL_MAILBOXES),
    "Mail.ReadBasic": ("Read email messages without their body or attachments.", ""),
    "Mail.ReadWrite": ("Read, change, move and delete email messages; sending is not "
                       "included.", _ALL_MAILBOXES),
    "Mail.Send": ("Send email as the user.",
                  "As an application permission it can send mail as anyone in the "
                  "organisation unless Exchange limits it to certain mailboxes."),
    "Mail.ReadWrite.Shared": (
        "Read and change messages in the user's mailbox and in mailboxes others shared with "
        "them or gave them delegate access to. Sending is not included.", ""),
    "Mail.Send.Shared": (
        "Send email as, or on behalf of, someone whose mailbox the user has rights to.", ""),
    "MailboxSettings.ReadWrite": (
        "Read and change mailbox settings: automatic replies, inbox rules, time zone, "
        "language and working hours.",
        "Inbox rules can forward or hide mail without the owner noticing."),
    "IMAP.AccessAsUser.All": ("Open the user's mailbox over IMAP with an OAuth token.", ""),
    "POP.AccessAsUser.All": ("Open the user's mailbox over POP with an OAuth token.", ""),
    "SMTP.Send": ("Send email as the user over authenticated SMTP with an OAuth token.", ""),
    "EAS.AccessAsUser.All": ("Open the user's mailbox over Exchange ActiveSync.", ""),
    "EWS.AccessAsUser.All": (
        "Open the user's mailbox, calendar and contacts over Exchange Web Services (EWS), "
        "with the user's own rights.", ""),
    # Calendars, contacts, places, bookings
    "Calendars.Read": ("Read calendar events.", _ALL_MAILBOXES),
    "Calendars.ReadWrite": ("Read and change calendar events, creating and deleting them "
                            "included.", _ALL_MAILBOXES),
    "Calendars.ReadWrite.Shared": (
        "Read and change events in the user's own calendars and in calendars others shared "
        "with them.", ""),
    "Contacts.Read": ("Read contacts and contact folders.", ""),
    "Contacts.ReadWrite": ("Read and change contacts and contact folders, creating and "
                           "deleting them included.", ""),
    "Contacts.ReadWrite.Shared": (
        "Read and change contacts in the user's own folders and in folders others shared "
        "with them.", ""),
    "Place.Read.All": ("Read the rooms, room lists, buildings and workspaces set up for "
                       "booking.", ""),
    "Bookings.ReadWrite.All": (
        "Read and change Bookings appointments, customers, services and staff.", ""),
    # Files and sites
    "Files.Read.All": ("Read files in OneDrive and SharePoint document libraries.",
                       _ALL_SITES),
    "Files.ReadWrite.All": ("Read, change, upload and delete files in OneDrive and "
                            "SharePoint document libraries.", _ALL_SITES),
    "Sites.Read.All": ("Read SharePoint sites, lists, libraries and their items.", _ALL_SITES),
    "Sites.ReadWrite.All": ("Read and change items in SharePoint lists and libraries.",
                            _ALL_SITES),
    "Sites.Manage.All": ("Create, change and delete SharePoint lists and libraries and "
                         "their items.", _ALL_SITES),
    "Sites.FullControl.All": (
        "Everything on SharePoint sites: content, lists, libraries and who has access.",
        "Full control includes changing site permissions, so the app can let anyone into "
        "any site. " + _ALL_SITES),
    "FileStorageContainer.Manage.All": (
        "Manage every SharePoint Embedded file storage container and its content.",
        "It reaches the files of every app built on SharePoint Embedded."),
    "SharePointCrossTenantMigration.Manage.All": (
        "Set up and run SharePoint and OneDrive migrations to or from another tenant.",
        "A migration moves content out of the organisation."),
    # Notes and tasks
    "Notes.Create": ("See the names of the user's notebooks and sections and add new "
                     "notebooks, sections and pages.", ""),
    "Notes.ReadWrite.All": ("Read and change OneNote notebooks, sections and pages, shared "
                            "ones included.", ""),
    "Tasks.ReadWrite": ("Read and change tasks and task lists in Microsoft To Do and "
                        "Planner.", ""),
    "Tasks.ReadWrite.Shared": ("Read and change tasks in the user's own lists and in lists "
                               "others shared with them.", ""),
    "Tasks.ReadWrite.All": ("Read and change every user's To Do and Planner tasks and task "
                            "lists.", ""),
    # Teams and chats
    "Chat.ReadWrite": ("Read the user's Teams chats and send or change messages in them.", ""),
    "Chat.Read.All": ("Read every Teams chat and its messages.", _ALL_CHATS),
    "Chat.ReadWrite.All": ("Read every Teams chat and send or change messages in any of "
                           "them.", _ALL_CHATS),
    "ChannelMessage.Read.All": (
        "Read messages and replies in Teams channels.",
        "As an application permission it reads every channel message in every team."),
    "ChannelMessage.Read.Group": (
        "Read all channel messages of a team where this app is installed, after the team "
        "owner consents.", "Every channel message of that team is in reach."),
    "TeamsAppInstallation.ReadWriteAndConsentForUser.All": (
        "Install, upgrade and remove Teams apps for any user and consent to the apps' "
        "resource-specific permissions.",
        "It can install an app for anyone and give that app access to their chats."),
    "EngagementConversation.Migration.All": (
        "Read and write every Viva Engage conversation, for moving them between networks.",
        "Every Viva Engage conversation in the organisation is in reach."),
    "EngagementRole.ReadWrite.All": ("Assign and remove Viva Engage roles, network admin "
                                     "included.", "It can make anyone a Viva Engage admin."),
    # Devices and Intune
    "Device.ReadWrite.All": (
        "Read and change device objects in Entra ID, enabling and disabling them included.",
        "Device state feeds Conditional Access; disabling devices blocks sign-in from them."),
    "DeviceManagementApps.ReadWrite.All": (
        "Add, change, assign and remove Intune apps and app protection policies.",
        "An app assigned as required installs itself on every targeted device."),
    "DeviceManagementConfiguration.Read.All": (
        "Read Intune device configuration and compliance policies.",
        "Profiles can hold Wi-Fi keys, VPN settings and certificates."),
    "DeviceManagementConfiguration.ReadWrite.All": (
        "Create, change and assign Intune device configuration and compliance policies.",
        "A profile reaches every enrolled device it targets and can weaken their security."),
    "DeviceManagementManagedDevices.PrivilegedOperations.All": (
        "Run remote actions on Intune-managed devices: wipe, retire, reset passcode, "
        "remote lock and more.", "One call can wipe a device and erase its data."),
    "DeviceManagementManagedDevices.ReadWrite.All": (
        "Read and change Intune-managed devices and remove them from Intune.", ""),
    "DeviceManagementRBAC.ReadWrite.All": (
        "Create and change Intune admin roles and assign them.",
        "It can give any user Intune admin rights over every managed device."),
    "DeviceManagementServiceConfig.ReadWrite.All": (
        "Change Intune's tenant-wide set-up: enrolment, Apple and Android connections, terms "
        "and conditions, branding.", ""),
    "NetworkAccess.ReadWrite.All": (
        "Read and change Global Secure Access: traffic forwarding, filtering policies and "
        "remote networks.",
        "It can switch off or redirect traffic protection for the whole organisation."),
    # Security, audit and reports
    "SecurityEvents.ReadWrite.All": (
        "Read and update alerts from the legacy security API, and Secure Score data.", ""),
    "SecurityActions.ReadWrite.All": (
        "Read and create security actions, such as blocking a file or an address, through "
        "the legacy security API.", ""),
    "ThreatIndicators.ReadWrite.OwnedBy": (
        "Create and manage the threat indicators (bad addresses, links, file hashes) this "
        "app submits.", ""),
    "Reports.Read.All": ("Read Microsoft 365 usage and activity reports for every service.",
                         ""),
    "Analytics.Read": ("Read the user's own activity statistics, such as time spent in "
                       "meetings and email, from a beta API.", ""),
    "Financials.ReadWrite.All": (
        "Read and change Dynamics 365 Business Central financial data through a beta API.",
        ""),
    "EduAdministration.ReadWrite": ("Manage the settings of Microsoft's education apps.", ""),
    "EduRoster.ReadWrite.All": ("Read and change school rosters: schools, classes, students "
                                "and teachers.", "Roster data is about children."),
    "PrintJob.ReadWrite.All": ("Read and change print jobs and their documents, for every "
                               "printer.", "Printed documents often hold sensitive content."),
    # Intune-like admin of Microsoft 365 Backup
    "BackupRestore-Configuration.Read.All": (
        "Read Microsoft 365 Backup policies: what is protected and how.", ""),
    "BackupRestore-Configuration.ReadWrite.All": (
        "Create and change Microsoft 365 Backup policies.",
        "Removing a policy leaves data without backups."),
    "BackupRestore-Control.Read.All": ("Read whether Microsoft 365 Backup is switched on.", ""),
    "BackupRestore-Control.ReadWrite.All": ("Switch Microsoft 365 Backup on or off.",
                                            "Switching it off stops every backup."),
    "BackupRestore-Restore.Read.All": ("Read Microsoft 365 Backup restore sessions.", ""),
    "BackupRestore-Restore.ReadWrite.All": (
        "Start restores from Microsoft 365 Backup and read restore sessions.",
        "A restore can overwrite current mailbox, OneDrive or site content with older "
        "copies."),
    "BackupRestore-Search.Read.All": ("Search the metadata of every Microsoft 365 Backup "
                                      "snapshot.", ""),
}
