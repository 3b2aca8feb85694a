"""Hand-kept status facts for tools/gen_catalog.py: APIs Microsoft deprecated or retired.

No source file marks these; each comes from a Microsoft notice (see the comment beside it;
../shared/reference/seed-scopes.md lists the pages). Notes are in the project's own words.
Today's reading: a stop date in the past means "retired" unless part of the API still works.
Entry: name -> (state, date, applies_to, note); applies_to is "", "delegated" or "application".
"""

from __future__ import annotations

_PROGRAM = ("The first access reviews API (programs and controls) stopped returning data on "
            "this date. Use the current access reviews API with AccessReview.* instead.")
_PIM_AZURE = ("Microsoft switched off the PIM API for Azure resources on this date. Manage "
              "Azure resource roles through Azure Resource Manager instead.")
_PIM_ENTRA = ("The older PIM endpoints for Entra roles (iteration 2) stopped on this date. "
              "Microsoft still maps this permission to some current role-schedule endpoints; "
              "for new work use RoleAssignmentSchedule.* and RoleEligibilitySchedule.*.")
_SEC_ACTIONS = ("The legacy security actions API stopped returning data on this date. There "
                "is no Graph successor; use Microsoft Defender's own APIs.")
_SEC_EVENTS = ("The legacy alerts part (/security/alerts) was retired on this date; Secure "
               "Score still uses this permission. For alerts use SecurityAlert.*.")
_TI = ("Microsoft said the tiIndicators API would be gone by April 2026. Send indicators "
       "through Microsoft Defender's indicator API instead.")
_EDU_ADMIN = ("Microsoft removed this permission from its permission model in January 2025; "
              "only older service principal data still lists it. Do not rely on it.")
_ONENOTE = ("OneNote stopped accepting app-only tokens on this date, so the application "
            "variant no longer works. The delegated variant still does.")
_EWS = ("Exchange Online began blocking EWS by default on 1 October 2026 (admins can allow "
        "listed apps until this date, when EWS stops for good). Move to the Graph mail, "
        "calendar and contacts permissions.")

STATUS: dict[str, tuple[str, str, str, str]] = {
    # learn.microsoft.com/graph/api/program-list (beta): stops returning data May 19, 2023
    "ProgramControl.Read.All": ("retired", "2023-05-19", "", _PROGRAM),
    "ProgramControl.ReadWrite.All": ("retired", "2023-05-19", "", _PROGRAM),
    # learn.microsoft.com/graph/api/resources/privilegedaccess: stops October 28, 2026
    "PrivilegedAccess.Read.AzureResources": ("retired", "2026-10-28", "", _PIM_AZURE),
    "PrivilegedAccess.ReadWrite.AzureResources": ("retired", "2026-10-28", "", _PIM_AZURE),
    # privilegedidentitymanagement-root (de-de copy): iteration 2 stops October 28, 2026
    "PrivilegedAccess.Read.AzureAD": ("deprecated", "2026-10-28", "", _PIM_ENTRA),
    "PrivilegedAccess.ReadWrite.AzureAD": ("deprecated", "2026-10-28", "", _PIM_ENTRA),
    # @microsoft/msgraph-beta-sdk-security securityActions: stops January 31, 2025
    "SecurityActions.Read.All": ("retired", "2025-01-31", "", _SEC_ACTIONS),
    "SecurityActions.ReadWrite.All": ("retired", "2025-01-31", "", _SEC_ACTIONS),
    # learn.microsoft.com/graph/alertsv1-alertsv2-migration: retired August 31, 2026
    "SecurityEvents.Read.All": ("deprecated", "2026-08-31", "", _SEC_EVENTS),
    "SecurityEvents.ReadWrite.All": ("deprecated", "2026-08-31", "", _SEC_EVENTS),
    # tiindicators-list: "will be removed by April 2026"
    "ThreatIndicators.Read.All": ("retired", "2026-04", "", _TI),
    "ThreatIndicators.ReadWrite.OwnedBy": ("retired", "2026-04", "", _TI),
    # permissions.json itself calls it deprecated and without effect (modelSaysDeprecated)
    "Notes.ReadWrite.CreatedByApp": (
        "deprecated", "", "",
        "Microsoft's permission data marks it deprecated: it no longer grants anything. "
        "Use Notes.Create or Notes.ReadWrite."),
    # learn.microsoft.com/graph/integrate-with-onenote: no app-only auth from March 31, 2025
    "Notes.Read.All": ("retired", "2025-03-31", "application", _ONENOTE),
    "Notes.ReadWrite.All": ("retired", "2025-03-31", "application", _ONENOTE),
    # devx-content commit 71fb121b (2025-01-10) removed EduAdministration.* from the model
    "EduAdministration.Read": ("retired", "2025-01-10", "", _EDU_ADMIN),
    "EduAdministration.Read.All": ("retired", "2025-01-10", "", _EDU_ADMIN),
    "EduAdministration.ReadWrite": ("retired", "2025-01-10", "", _EDU_ADMIN),
    "EduAdministration.ReadWrite.All": ("retired", "2025-01-10", "", _EDU_ADMIN),
    # Microsoft 365 message center MC1176266 / MC1227454: EWS blocked from October 1, 2026,
    # shut down April 1, 2027
    "EWS.AccessAsUser.All": ("deprecated", "2027-04-01", "", _EWS),
}
