"""What the failures an app-only connection meets mean, in plain words.

An app-only connection has no person signing in: o365desk proves the app's identity with
a client secret or a certificate and asks for "{graph}/.default", all the application
permissions an administrator has granted to the app. So its failures are about the app
registration, its credential, its consent and the organisation's cloud; none of them is
fixed by signing in again. core.signin_errors.explain() looks codes up here first for an
app-only connection. Meanings follow Microsoft's AADSTS reference; each message says what
happened, what the person at the desk does, and where the administrator who fixes it looks.

{org} is 'organisation "x"', {client} the client ID, {cloud} the cloud's label and {graph}
the Graph address the connection uses.
"""

from __future__ import annotations

from o365desk.core.signin_actions import Action

A = Action
_IT = (A.CONTACT_ADMIN,)
_ENTRA_IDS = ("the Application (client) ID and the Directory (tenant) ID on the app "
              "registration's Overview page in Microsoft Entra")
_CROSS_CLOUD = (
    "{org} is in a different Microsoft cloud from the one this connection uses ({cloud}), "
    "and a connection with no person signed in can only connect in the organisation's own "
    "cloud. Choose that cloud (for example US Government for an organisation that signs in "
    "at login.microsoftonline.us), with an app registered in it; ask an administrator "
    "which cloud the organisation is in if you aren't sure."
)

APP_ONLY: dict[int, tuple[str, str, tuple[Action, ...]]] = {
    7000215: ("Client secret not accepted",
              "Microsoft didn't accept the client secret saved for this connection, so it "
              "couldn't connect. Nothing was changed. Ask the administrator who manages the "
              "app registration (client ID {client}) for the secret's value (not its secret "
              "ID: Microsoft Entra shows both, and only the value works) or for a new "
              "secret, then replace the saved one with it.",
              (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    7000222: ("Client secret expired",
              "The client secret saved for this connection has expired, so Microsoft no "
              "longer accepts it. An administrator makes a new one in Microsoft Entra (the "
              "app registration with client ID {client}, Certificates & secrets, New client "
              "secret); then replace the saved secret with it and enter its new expiry date.",
              (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    700027: ("Certificate not accepted",
             "Microsoft didn't accept the certificate this connection proves its identity "
             "with. Usually it isn't uploaded to the app registration (client ID {client}), "
             "a different one is, or it has expired there. Ask the administrator to upload "
             "this certificate in Microsoft Entra (Certificates & secrets; compare the "
             "thumbprint shown in the connection's details), or replace the saved "
             "certificate with the one that is there.",
             (A.REPLACE_CREDENTIAL, A.CONTACT_ADMIN)),
    700024: ("Refused because of the date and time",
             "Microsoft refused the signed request this connection sent because it carries "
             "a time that isn't now. This almost always means this computer's date, time or "
             "time zone is wrong. Check them (ideally set to update automatically), then try "
             "again.", (A.CHECK_CLOCK, A.RETRY, A.CONTACT_ADMIN)),
    700016: ("App not found in the organisation",
             "Microsoft couldn't find an app with client ID {client} in {org}. Either the "
             "client ID is mistyped, or the app is registered in another organisation or "
             "another cloud. Check both against " + _ENTRA_IDS + ".",
             (A.CHECK_CLIENT_ID, A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    1002012: ("Permissions asked for in the wrong way",
              "Microsoft refused the request for permissions: a connection with no person "
              "signed in must ask for \"{graph}/.default\" (all the application permissions "
              "an administrator has granted to the app), not for permissions by name. Try "
              "again; if it happens again, copy the details for IT.",
              (A.RETRY, A.CONTACT_ADMIN)),
    70011: ("Permissions not recognised",
            "Microsoft didn't accept the request for \"{graph}/.default\", the application "
            "permissions granted to the app. This happens when the cloud chosen ({cloud}) "
            "isn't the organisation's, or the Graph address set under Advanced isn't that "
            "cloud's. Check them, then try again; if it happens again, copy the details for "
            "IT.", (A.CHECK_ORGANISATION, A.RETRY, A.CONTACT_ADMIN)),
    500011: ("Microsoft Graph not found in the organisation",
             "Microsoft Graph at {graph} isn't available in {org}. This usually means the "
             "cloud chosen ({cloud}) isn't the organisation's (for example Global instead "
             "of US Government), or the Graph address set under Advanced is wrong. Check "
             "the cloud, and ask an administrator which cloud the organisation is in if you "
             "aren't sure.", (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    65001: ("Permissions not granted yet",
            "No administrator of {org} has granted this app (client ID {client}) its "
            "application permissions yet, so it can't connect on its own. An administrator "
            "must grant admin consent: copy the admin-consent link and send it to one (or, "
            "in Microsoft Entra, they choose \"Grant admin consent\" on the app "
            "registration's API permissions page). Then try again.",
            (A.COPY_ADMIN_CONSENT_LINK, A.RETRY, A.CONTACT_ADMIN)),
    90002: ("Organisation not found",
            "Microsoft couldn't find {org} in the {cloud} cloud. Check the spelling of the "
            "domain (for example contoso.onmicrosoft.com) or the tenant ID, and that the "
            "cloud is the organisation's; " + _ENTRA_IDS + " show the right values.",
            (A.CHECK_ORGANISATION,)),
    900023: ("Organisation not recognised",
             "{org} isn't a domain or tenant ID Microsoft recognises. Enter the "
             "organisation's domain (for example contoso.onmicrosoft.com) or its tenant ID, "
             "as shown on the app registration's Overview page in Microsoft Entra "
             "(Directory (tenant) ID).", (A.CHECK_ORGANISATION,)),
    7000112: ("App turned off",
              "The app this connection uses (client ID {client}) is turned off in {org}, so "
              "Microsoft won't let it connect. Ask an administrator to turn it back on in "
              "Microsoft Entra (Enterprise applications, the app, Properties, \"Enabled for "
              "users to sign in?\"), then try again.", (A.CONTACT_ADMIN, A.RETRY)),
    50049: ("Cloud not recognised",
            "Microsoft's sign-in service didn't recognise the cloud this connection asked "
            "for. Usually the cloud chosen ({cloud}) isn't the organisation's, or a "
            "sign-in address set under Advanced is wrong. Check the cloud and the "
            "organisation.", (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    90038: ("Organisation in another cloud", _CROSS_CLOUD,
            (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    53003: ("Blocked by the organisation's rules",
            "A Conditional Access policy of {org} blocks this app from connecting, for "
            "example from this network or place. Ask an administrator to check the policies "
            "for workload identities in Microsoft Entra.", (A.CONTACT_ADMIN,)),
}
# The same meaning for the person at the desk: the cross-cloud refusals of an app that
# proves its identity (900382 and 900432: "Confidential Client is not supported in Cross
# Cloud request"; 900439: a US Government organisation asked at the global sign-in host),
# and an unknown national cloud named in the request (90051).
for _alias, _same in {900382: 90038, 900432: 90038, 900439: 90038, 90051: 50049}.items():
    APP_ONLY[_alias] = APP_ONLY[_same]

# OAuth errors an app-only connection meets without an AADSTS number Entra explains.
APP_ONLY_OAUTH: dict[str, tuple[str, str, tuple[Action, ...]]] = {
    "invalid_client": ("App identity not accepted",
                       "Microsoft didn't accept the app's identity: the client ID, or the "
                       "client secret or certificate saved for this connection. Check the "
                       "client ID against " + _ENTRA_IDS + ", and replace the saved secret "
                       "or certificate if it was changed there.",
                       (A.REPLACE_CREDENTIAL, A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    "unauthorized_client": ("App not allowed to connect this way",
                            "The app registration (client ID {client}) isn't allowed to "
                            "connect with no person signed in. Ask an administrator to check "
                            "it in Microsoft Entra.", (A.CONTACT_ADMIN,)),
    "invalid_request": ("Request refused",
                        "Microsoft refused the request to connect. Check the organisation, "
                        "its cloud and the client ID, then try again.",
                        (A.CHECK_ORGANISATION, A.CHECK_CLIENT_ID, A.RETRY)),
    "invalid_grant": ("Connection refused",
                      "Microsoft refused to let this connection in. Try again; if it "
                      "happens again, copy the details for IT.", (A.RETRY, A.CONTACT_ADMIN)),
    "invalid_scope": APP_ONLY[70011],
    "consent_required": APP_ONLY[65001],
}

UNKNOWN_TITLE = "Connecting didn't work"
UNKNOWN_MESSAGE = (
    "Microsoft refused to let this connection in{shown}. Try again; if it happens again, "
    "copy the details for your IT administrator, who can look the code up."
)
