"""Hand-written descriptions for the seed scopes and the most powerful identity and admin
permissions (workloads are in handwritten_workloads.py).

Each entry is (what the permission lets an app do, why it is dangerous or ""). The words are
the project's own; tools/gen_catalog.py --check compares them with Microsoft's text.
"""

from __future__ import annotations

_TAKEOVER = "In practice this is a path to full control of the tenant."

HAND: dict[str, tuple[str, str]] = {
    # Sign-in (OpenID Connect)
    "openid": ("Signs the user in with OpenID Connect: the app gets an ID token that says "
               "who the user is.", ""),
    "profile": ("Adds the user's basic profile, such as their name and username, to the "
                "ID token.", ""),
    "email": ("Adds the user's preferred email address to the ID token.", ""),
    "offline_access": ("Gives the app a refresh token, so it keeps the access it was granted "
                       "after the user leaves, until the token expires or is revoked.", ""),
    # Directory and users
    "Directory.ReadWrite.All": (
        "Read and change almost anything in the directory: users, groups, devices, apps, "
        "administrative units and organisation details.",
        "One of the broadest permissions in Microsoft Graph. Deleting users and groups and "
        "resetting passwords are excluded, but changing group memberships, app objects and "
        f"account recovery details can lead to more rights. {_TAKEOVER}"),
    "Directory.AccessAsUser.All": (
        "Call directory APIs with every right the signed-in user has, whatever their admin "
        "roles allow.",
        "The app is exactly as powerful as the person signed in: a Global Administrator's "
        "token can do anything in the directory. Prefer specific permissions."),
    "Directory.Read.All": (
        "Read everything in the directory: users, groups and memberships, devices, apps, "
        "roles and organisation details.", ""),
    "User.Read": ("Sign the user in and read their own profile and basic details of their "
                  "organisation.", ""),
    "User.ReadBasic.All": ("Read the basic profile of every user: display name, email "
                           "address and photo.", ""),
    "User.Read.All": ("Read every user's full profile, manager and other properties.", ""),
    "User.ReadWrite.All": (
        "Create user accounts, change any user's profile and properties, and delete users.",
        "It can rename, block and delete accounts across the organisation and change the "
        "properties other systems use to recognise people."),
    "User.Invite.All": ("Invite guest users from other organisations into this tenant.",
                        "Each invitation lets an outside account into the directory."),
    "User-PasswordProfile.ReadWrite.All": (
        "Reset users' passwords and change their password settings.",
        "Whoever sets a new password holds the account."),
    "User.DeleteRestore.All": ("Delete user accounts and bring deleted ones back.",
                               "Deleting an account stops that person working at once."),
    "User.EnableDisableAccount.All": ("Block and unblock sign-in for user accounts.",
                                      "It can lock anyone it may reach out of every service."),
    "UserAuthenticationMethod.ReadWrite.All": (
        "Read and change users' sign-in methods: phone numbers, Authenticator, passkeys, "
        "Temporary Access Passes and password resets.",
        "Adding a method or a Temporary Access Pass lets the holder sign in as the user, "
        "MFA included."),
    "Member.Read.Hidden": ("Read the members of groups and administrative units whose "
                           "membership is hidden from ordinary users.", ""),
    "AdministrativeUnit.ReadWrite.All": (
        "Create, change and delete administrative units and choose which users, groups and "
        "devices they hold.", "Moving accounts in or out of a unit changes which delegated "
        "admins may manage them."),
    "Organization.ReadWrite.All": (
        "Change the organisation's own details, such as contact and notification addresses, "
        "privacy statement and certificate-based sign-in settings.",
        "Among other things it can change which certificate authorities Entra trusts for "
        "certificate sign-in."),
    "Domain.ReadWrite.All": (
        "Add, verify, change and remove the organisation's domains, including how they "
        "federate.",
        "Turning a domain into a federated one with a token-signing certificate of your "
        f"choice lets you sign in as any user of that domain. {_TAKEOVER}"),
    "Domain-InternalFederation.ReadWrite.All": (
        "Set up and change the federation of a domain with an external identity provider.",
        "A federated domain trusts that provider to vouch for its users; a forged one lets "
        "an attacker sign in as anyone in the domain."),
    "Synchronization.ReadWrite.All": (
        "Set up, start and change Entra provisioning (synchronisation) jobs that create and "
        "update accounts in connected apps.",
        "Provisioning jobs write accounts into other systems and can expose their "
        "credentials."),
    "LicenseAssignment.ReadWrite.All": (
        "Assign and remove product licences for users and groups.",
        "Removing licences cuts people off from mail, Teams and other services."),
    "CustomSecAttributeAssignment.ReadWrite.All": (
        "Set and change custom security attribute values on users and apps.",
        "These attributes often decide Conditional Access and app access, so changing them "
        "can open doors."),
    "CustomSecAttributeDefinition.ReadWrite.All": (
        "Define custom security attributes, their sets and allowed values.",
        "Definitions steer access decisions that rely on these attributes."),
    "CustomSecAttributeProvisioning.Read.All": (
        "Read how custom security attributes are provisioned into apps.", ""),
    "CustomSecAttributeProvisioning.ReadWrite.All": (
        "Change how custom security attributes are provisioned into apps.",
        "It decides which attribute values other apps receive and trust."),
    "People.Read.All": (
        "Read ranked lists of the people each user works with most, for any user in the "
        "organisation.", ""),
    "UserActivity.ReadWrite.CreatedByApp": (
        "Read and write the activities this app adds to the user's activity feed (the "
        "Windows timeline).", ""),
    "Notifications.ReadWrite.CreatedByApp": (
        "Send and manage the notifications this app delivers to the user's devices.", ""),
    # Groups
    "Group.ReadWrite.All": (
        "Create, change and delete groups and manage their members, owners, settings and "
        "Microsoft 365 group content.",
        "Adding someone to a group gives them whatever the group grants: sites, teams, apps "
        "or licences. Role-assignable groups need stronger permissions to change."),
    "GroupMember.ReadWrite.All": (
        "Add and remove members and owners of groups without changing the groups' other "
        "settings.", "Group membership hands out access: a new member gets whatever the "
        "group grants."),
    "Group-Conversation.Read.All": ("Read the conversations and threads of Microsoft 365 "
                                    "groups.", "As an application permission it reads every "
                                    "group's conversations."),
    "Group-Conversation.ReadWrite.All": ("Read and post in the conversations of Microsoft "
                                         "365 groups.", "As an application permission it can "
                                         "read and post in every group's conversations."),
    # Applications and consent
    "Application.ReadWrite.All": (
        "Create, change and delete app registrations and enterprise apps, including their "
        "secrets, certificates and redirect addresses.",
        "Adding a secret to an app that already holds strong permissions lets the holder act "
        f"as that app. {_TAKEOVER}"),
    "Application.ReadWrite.OwnedBy": (
        "Change and delete only the app registrations and enterprise apps this app owns.", ""),
    "AppRoleAssignment.ReadWrite.All": (
        "Grant and revoke application permissions (app role assignments) for any app, and "
        "assign users and groups to apps.",
        "An app holding it can grant itself or any app any permission, "
        "RoleManagement.ReadWrite.Directory included, without an admin consent prompt. "
        "Treat it like Global Administrator."),
    "DelegatedPermissionGrant.ReadWrite.All": (
        "Grant and revoke delegated permissions for any app, for one user or for everyone.",
        "It can consent for the whole organisation to any delegated permission, for any "
        "app, itself included."),
    "ConsentRequest.ReadWrite.All": (
        "Read users' requests for admin consent to apps, and approve or deny them.",
        "Approving a request grants the app everything it asked for."),
    "OnPremisesPublishingProfiles.ReadWrite.All": (
        "Manage Entra application proxy: connectors, connector groups and the on-premises "
        "apps published through them.",
        "Publishing an internal web app makes it reachable from the internet."),
    "MutualTlsOauthConfiguration.Read.All": (
        "Read the certificate authorities set up for device certificate authentication.", ""),
    "MutualTlsOauthConfiguration.ReadWrite.All": (
        "Change the certificate authorities trusted for device certificate authentication.",
        "A rogue trusted authority can issue certificates that pass as trusted devices."),
    "AppCatalog.ReadWrite.All": (
        "Publish, update and remove apps in the organisation's Teams app catalog.",
        "An app published to the catalog can be installed by anyone in the organisation."),
    # Agents
    "AgentIdentity.Create.All": (
        "Create identities for AI agents without a blueprint parent.",
        "Each new identity can sign in and be given permissions of its own."),
    "AgentIdentity.CreateAsManager": (
        "Acting as an agent identity blueprint, create and manage the agent identities that "
        "belong to it.", "Each new identity can sign in and be given permissions."),
    "AgentIdentityBlueprint.Create": (
        "Create agent identity blueprints, the templates AI agent identities are made from.",
        "Blueprints decide what their agent identities may do."),
    "AgentIdentityBlueprintPrincipal.Create": (
        "Create the service principals of agent identity blueprints in this tenant.",
        "A blueprint's principal lets its agents act in the tenant."),
    "SecurityCopilotWorkspaces.ReadWrite.All": (
        "Read and change Security Copilot workspaces and what they hold.",
        "Workspaces hold security investigations and their findings."),
    # Roles and privileged access
    "RoleManagement.ReadWrite.Directory": (
        "Create and change Entra ID role definitions and assign roles to users, groups and "
        "apps, the Global Administrator role included.",
        "The app can make any account, its own included, a Global Administrator: full "
        "control of the tenant."),
    "RoleManagement.ReadWrite.Exchange": (
        "Create and change Exchange Online admin roles and their assignments.",
        "Exchange roles can open every mailbox to whoever holds them."),
    "RoleManagement.ReadWrite.Defender": (
        "Create and change Microsoft Defender admin roles and their assignments.",
        "Defender roles control security investigations and response actions."),
    "RoleManagement.ReadWrite.CloudPC": (
        "Create and change Windows 365 Cloud PC admin roles and their assignments.", ""),
    "RoleAssignmentSchedule.ReadWrite.Directory": (
        "Create and change active Entra ID role assignments through Privileged Identity "
        "Management.", "It can activate or assign any directory role, Global "
        "Administrator included."),
    "RoleEligibilitySchedule.ReadWrite.Directory": (
        "Create and change who is eligible to activate Entra ID roles in Privileged Identity "
        "Management.", "An eligible user can activate the role, Global Administrator "
        "included, within the role's rules."),
    "RoleManagementPolicy.ReadWrite.Directory": (
        "Change the rules for activating Entra ID roles in Privileged Identity Management: "
        "approval, MFA, duration.", "Weakening activation rules removes the checks that "
        "guard the most powerful roles."),
    "PrivilegedAccess.ReadWrite.AzureAD": (
        "Read and change Privileged Identity Management settings, assignments and "
        "activations for Entra ID roles (older PIM API).",
        "Control over role assignments means control over who becomes Global "
        "Administrator."),
    "PrivilegedAccess.ReadWrite.AzureResources": (
        "Read and change Privileged Identity Management role assignments for Azure "
        "subscriptions and resources (older PIM API).",
        "It could make anyone Owner of Azure subscriptions while the API answered."),
    "PrivilegedAccess.ReadWrite.AzureADGroup": (
        "Read and change Privileged Identity Management for groups: who may become a member "
        "or owner, and when.", "Just-in-time group membership can carry admin roles."),
    # Policies
    "Policy.Read.All": (
        "Read the organisation's policies: Conditional Access, authentication methods, "
        "consent, token lifetimes and more.", ""),
    "Policy.ReadWrite.TrustFramework": (
        "Create and change Azure AD B2C custom policies (Identity Experience Framework).",
        "Custom policies define how every user of a B2C tenant signs in."),
    "Policy.ReadWrite.ConditionalAccess": (
        "Create, change and delete Conditional Access policies and named locations.",
        "It can switch off MFA and other sign-in checks for everyone, or lock everyone out."),
    "Policy.ReadWrite.AuthenticationMethod": (
        "Choose which sign-in methods (passkeys, Authenticator, SMS, Temporary Access Pass "
        "and others) are allowed, and for whom.",
        "Allowing weak methods or Temporary Access Passes for everyone eases account "
        "takeover."),
    "Policy.ReadWrite.ConsentRequest": (
        "Change the admin consent request settings: whether users may ask for consent and "
        "who reviews their requests.", "It decides who may approve app access for "
        "everyone."),
    "Policy.ReadWrite.CrossTenantAccess": (
        "Change cross-tenant access settings: which other organisations' users may come in "
        "or go out, and whose MFA is trusted.",
        "Trusting another tenant's MFA or opening collaboration lets outside accounts in."),
    "Policy.ReadWrite.PermissionGrant": (
        "Create and change the policies that decide which permissions users may consent to "
        "on their own.", "Loosening them lets any user hand risky permissions to apps."),
    "Policy.ReadWrite.ApplicationConfiguration": (
        "Change app management policies, such as rules on app secrets and certificates.", ""),
    "IdentityProvider.ReadWrite.All": (
        "Add, change and remove identity providers used for sign-in, such as other "
        "organisations' SAML or social accounts.",
        "An identity provider decides who may sign in; a rogue one lets outsiders in."),
    "Agreement.ReadWrite.All": (
        "Create, change and delete the terms of use that Conditional Access asks users to "
        "accept.", ""),
    "AgreementAcceptance.Read.All": ("Read who accepted which terms of use, and when.", ""),
    # Identity governance and protection
    "AccessReview.ReadWrite.All": (
        "Create, run, change and delete access reviews of groups, apps and roles.",
        "Review results can remove people's access when applied."),
    "AccessReview.ReadWrite.Membership": (
        "Create and manage access reviews, limited to group and app memberships.", ""),
    "ProgramControl.ReadWrite.All": (
        "Manage programs and program controls of the first access reviews API.", ""),
    "EntitlementManagement.ReadWrite.All": (
        "Create and change access packages, catalogs, policies and assignments in "
        "entitlement management.",
        "Access packages hand out groups, apps and sites; assigning one grants its access."),
    "IdentityRiskEvent.Read.All": (
        "Read Identity Protection risk detections, such as sign-ins from unfamiliar places "
        "or leaked credentials.", ""),
    "IdentityRiskyUser.Read.All": (
        "Read which users Identity Protection marks as risky, and why.", ""),
    "IdentityRiskyUser.ReadWrite.All": (
        "Read risky users, dismiss their risk or confirm them as compromised.",
        "Dismissing risk can lift the sign-in blocks meant for a compromised account."),
}

# Where the generated "whose data" line would be wrong: (name, kind) -> text.
REACH: dict[tuple[str, str], str] = {
    ("openid", "delegated"): "Only the signed-in user's identity.",
    ("profile", "delegated"): "Only the signed-in user's identity.",
    ("email", "delegated"): "Only the signed-in user's identity.",
    ("offline_access", "delegated"): "Whatever else the user granted to this app.",
    ("User.Read", "delegated"): "Only the signed-in user and their organisation's basics.",
    ("Member.Read.Hidden", "delegated"): "Hidden memberships the signed-in user may see.",
    ("Member.Read.Hidden", "application"): "Every hidden membership, with no signed-in user.",
    ("SMTP.Send", "delegated"): "Only the signed-in user's mailbox.",
    ("Mail.Send", "delegated"): "Only as the signed-in user.",
    ("Mail.Send", "application"): "As any user in the organisation, with no signed-in user.",
}
