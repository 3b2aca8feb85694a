"""Hand-written descriptions for permissions whose operation the naming pattern can't phrase
(UpdateSponsors, AccessMedia, Migrate, ...). Same shape as handwritten.HAND."""

from __future__ import annotations

_SELECTED = "an admin has granted to this app one by one, with the access granted for each"

ODD_OPS: dict[str, tuple[str, str]] = {
    "AgentIdentity.UpdateSponsors.All": (
        "Change the sponsors, the people accountable for them, of agent identities.", ""),
    "AgentIdentityBlueprint.AddRemoveCreds.All": (
        "Add and remove the credentials (secrets and certificates) of agent identity "
        "blueprints.", "A new credential lets its holder act as the blueprint and its agents."),
    "AgentIdentityBlueprint.UpdateAuthProperties.All": (
        "Change the authentication settings of agent identity blueprints.", ""),
    "AgentIdentityBlueprint.UpdateBranding.All": (
        "Change the name, logo and other branding of agent identity blueprints.", ""),
    "AgentIdentityBlueprint.UpdateSponsors.All": (
        "Change the sponsors of agent identity blueprints.", ""),
    "AppCatalog.Submit": (
        "Submit apps to the organisation's Teams app catalog, for an admin to approve.", ""),
    "Calls.AccessMedia.All": (
        "Get the live audio and video streams of calls the app takes part in.",
        "The app hears and sees the calls it joins."),
    "Calls.AccessMedia.Chat": (
        "Get the live audio and video streams of calls in chats where this app is "
        "installed.", ""),
    "Calls.Initiate.All": ("Place one-to-one calls from the app to people in the "
                           "organisation.", ""),
    "Calls.InitiateGroupCall.All": ("Place calls from the app to several people at once.", ""),
    "Calls.JoinGroupCall.All": ("Take part in group calls and scheduled meetings as the "
                                "app.", ""),
    "Calls.JoinGroupCallAsGuest.All": ("Take part in group calls and meetings as an "
                                       "anonymous guest.", ""),
    "Calls.JoinGroupCallasGuest.All": (
        "The same name as Calls.JoinGroupCallAsGuest.All with a lower-case \"as\"; Microsoft "
        "provisions no ID for this spelling.", ""),
    "Calls.JoinGroupCalls.Chat": ("Join calls and meetings of chats where this app is "
                                  "installed.", ""),
    "Calls.ReportSyntheticMedia.All": (
        "Report that call participants' audio or video was detected as synthetic "
        "(machine-made).", ""),
    "ChannelMessage.UpdatePolicyViolation.All": (
        "Mark channel messages as breaking a data loss prevention policy, which hides or "
        "flags them.", ""),
    "Chat.UpdatePolicyViolation.All": (
        "Mark chat messages as breaking a data loss prevention policy, which hides or flags "
        "them.", ""),
    "Chat.ManageDeletion.All": ("Delete Teams chats and bring deleted ones back.",
                                "Deleting a chat removes it for everyone in it."),
    "Chat.ManageDeletion.Chat": ("Delete and bring back a chat where this app is "
                                 "installed.", ""),
    "ConsentRequest.ReadApprove.All": (
        "Read users' admin consent requests and approve them.",
        "Approving a request grants the app everything it asked for."),
    "Content.Process.All": (
        "Send content to Microsoft Purview to be checked against data security and "
        "compliance policies, for the whole organisation.", ""),
    "Content.Process.User": (
        "Send a user's content to Microsoft Purview to be checked against data security "
        "and compliance policies.", ""),
    "ProtectionScopes.Compute.All": (
        "Find out which Microsoft Purview protection policies apply, for any user.", ""),
    "ProtectionScopes.Compute.User": (
        "Find out which Microsoft Purview protection policies apply to a user.", ""),
    "CustomAuthenticationExtension.Receive.Payload": (
        "Let this app's web API receive the calls Entra makes to a custom authentication "
        "extension during sign-in.", ""),
    "Device.Command": (
        "Launch or talk to apps on the signed-in user's other devices.", ""),
    "Device.CreateFromOwnedTemplate": (
        "Create devices from device templates the signed-in user owns.", ""),
    "EduRoster.WriteWrite.All": (
        "An oddly named school roster permission; Microsoft gives it no description. Its "
        "API paths show what it covers.", ""),
    "FileIngestion.Ingest": (
        "Feed SharePoint and OneDrive content into the search index.", ""),
    "FileIngestionHybridOnboarding.Manage": (
        "Manage onboarding of a hybrid (cloud and on-premises) tenant for file "
        "ingestion.", ""),
    "Files.SelectedOperations.Selected": (f"Work on only the files {_SELECTED}.", ""),
    "Lists.SelectedOperations.Selected": (f"Work on only the SharePoint lists {_SELECTED}.",
                                          ""),
    "ListItems.SelectedOperations.Selected": (
        f"Work on only the SharePoint list items {_SELECTED}.", ""),
    "Sites.Selected": (f"Work on only the SharePoint sites {_SELECTED}.", ""),
    "Group.Selected": (f"Work on only the groups {_SELECTED}.", ""),
    "FileStorageContainer.Selected": (
        "Use SharePoint Embedded file storage containers of the container types this app "
        "is set up for.", ""),
    "Group.ManageProtection.All": (
        "List groups and set the sensitivity label of label-enabled groups.", ""),
    "IndustryData-Run.Start": ("Start industry data runs (imports).", ""),
    "InformationProtectionContent.Sign.All": (
        "Sign data digests with the organisation's information protection keys.", ""),
    "LifecycleWorkflows-Workflow.Activate": ("Run lifecycle workflows on demand.", ""),
    "SensitivityLabel.Evaluate": (
        "Ask which sensitivity label should apply to a piece of content.", ""),
    "SensitivityLabel.Evaluate.All": (
        "Ask which sensitivity label should apply to content, for anyone in the "
        "organisation.", ""),
    "Sites.Archive.All": ("Archive SharePoint sites and bring archived ones back.",
                          "Archived sites are out of reach until reactivated."),
    "TeamMember.ReadWriteNonOwnerRole.All": (
        "Add and remove members and guests of teams, but not owners.", ""),
    "Teamwork.Migrate.All": (
        "Import chat and channel messages from other systems into Teams, with any sender "
        "and past dates.", "Messages can be made to look as if anyone sent them, at any "
        "time."),
    "User.ManageIdentities.All": (
        "Read, change and remove the sign-in identities linked to user accounts, such as "
        "local or federated identities.",
        "Linking a new sign-in identity lets its owner sign in as the user."),
    "User.RevokeSessions.All": (
        "Sign users out everywhere by revoking their refresh tokens and sessions.", ""),
}
