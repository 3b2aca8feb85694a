"""Sign-in failures (AADSTS codes, OAuth errors, network faults) explained in plain language."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping, Sequence
from typing import Any

from o365desk.core.app_only_errors import (
    APP_ONLY,
    APP_ONLY_OAUTH,
    UNKNOWN_MESSAGE,
    UNKNOWN_TITLE,
)
from o365desk.core.clouds import Cloud
from o365desk.core.signin_actions import Action  # the rest of o365desk imports it from here
from o365desk.core.tls import EXTRA_CA_ENV


class TransportKind(enum.StrEnum):
    """A failure before Microsoft could give an answer o365desk understands."""

    NETWORK = "network"
    PROXY = "proxy"
    TLS = "tls"
    TIMEOUT = "timeout"
    SERVER = "server-error"
    BAD_RESPONSE = "bad-response"
    TOO_LARGE = "answer-too-large"


@dataclasses.dataclass(frozen=True)
class Explanation:
    """What happened and what to do, in words for non-technical staff; `raw` is for IT."""

    code: str
    title: str
    message: str
    actions: tuple[Action, ...]
    # The connection's admin-consent link when "Copy admin-consent link" is offered (filled
    # in by auth.admin_consent.with_consent_link, which knows the connection); else None.
    admin_consent_url: str | None
    raw: str
    # Permissions that would fix it, for a "Change permissions" button to tick.
    scopes: tuple[str, ...] = ()


A = Action
_AGAIN = (A.SIGN_IN_AGAIN,)
_ELSEWHERE = (A.USE_SYSTEM_BROWSER, A.USE_DEVICE_CODE, A.CONTACT_ADMIN)
_REVOKED = (
    "The saved sign-in for this connection was cancelled, usually because the password was "
    "changed or an administrator signed the account out everywhere. Sign in again."
)
_DEVICE = (
    " Sign in with your web browser, or use a code on a device your organisation manages; "
    "if that is blocked too, ask IT which devices are allowed."
)
_REDIRECT = (
    "Check the client ID and redirect URI under Advanced, or ask the administrator who "
    "manages the app registration to add the redirect URI to it."
)

# AADSTS number -> (title, message, actions). {org} is 'organisation "x"' or "your
# organisation", {client} the client ID, {cloud} the cloud's label. Meanings follow
# Microsoft's AADSTS reference; each message says what it means for the person at the desk.
_AADSTS: dict[int, tuple[str, str, tuple[Action, ...]]] = {
    65001: ("Permissions not approved yet",
            "The permissions this connection asks for haven't been approved for o365desk yet. "
            "Sign in again to approve them; if you aren't allowed to, copy the admin-consent "
            "link and send it to an administrator of {org}.",
            (A.SIGN_IN_AGAIN, A.COPY_ADMIN_CONSENT_LINK)),
    65004: ("Permissions declined",
            "The permissions were declined on the approval page, so sign-in stopped. Sign in "
            "again and choose Accept, or send the admin-consent link to an administrator.",
            (A.SIGN_IN_AGAIN, A.COPY_ADMIN_CONSENT_LINK)),
    90094: ("An administrator must approve",
            "Some of the permissions this connection asks for can only be approved by an "
            "administrator of {org}. Copy the admin-consent link and send it to one; once they "
            "have approved, sign in again.",
            (A.COPY_ADMIN_CONSENT_LINK, A.SIGN_IN_AGAIN)),
    90008: ("The app is missing a basic permission",
            "The app o365desk signs in with (client ID {client}) hasn't been approved in {org} "
            "for the basic \"Sign in and read user profile\" permission (User.Read). Ask an "
            "administrator to add it to the app registration and approve it, for example with "
            "the admin-consent link.",
            (A.COPY_ADMIN_CONSENT_LINK, A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    650056: ("The app isn't set up for these permissions",
             "The app registration used for sign-in doesn't list the permissions being asked "
             "for, or an administrator hasn't approved them. Send the admin-consent link to an "
             "administrator of {org}.",
             (A.COPY_ADMIN_CONSENT_LINK, A.CONTACT_ADMIN)),
    50011: ("Redirect address not registered",
            "The app registration used for sign-in doesn't list the redirect address o365desk "
            "uses. " + _REDIRECT, (A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    500113: ("No redirect address registered",
             "The app registration used for sign-in has no redirect address at all. "
             + _REDIRECT, (A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    9002326: ("Redirect address registered for the wrong kind of app",
              "The redirect address is registered for a single-page web app, not a desktop "
              "app. Ask the administrator to register it under \"Mobile and desktop "
              "applications\" in the app registration.", (A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    700016: ("App not found in the organisation",
             "Microsoft couldn't find the app o365desk signs in with (client ID {client}) in "
             "{org}. Check the organisation and the client ID; if both are right, an "
             "administrator may first need to approve the app with the admin-consent link.",
             (A.CHECK_ORGANISATION, A.CHECK_CLIENT_ID, A.COPY_ADMIN_CONSENT_LINK)),
    7000218: ("Desktop sign-in not allowed for this app",
              "The app registration doesn't allow sign-in from desktop apps. Ask the "
              "administrator to turn on \"Allow public client flows\" in it, or use the "
              "default client ID.", (A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    50194: ("This app needs a specific organisation",
            "The app registration used for sign-in only works for its own organisation. Enter "
            "that organisation's domain (for example contoso.onmicrosoft.com) or tenant ID.",
            (A.CHECK_ORGANISATION,)),
    90002: ("Organisation not found",
            "Microsoft couldn't find {org} in the {cloud} cloud. Check the spelling of the "
            "domain (for example contoso.onmicrosoft.com) or tenant ID, and that the right "
            "cloud is chosen.", (A.CHECK_ORGANISATION,)),
    500011: ("Service not found in the organisation",
             "The service this connection asks permission for isn't available in {org}. This "
             "usually means the wrong cloud is chosen (for example Global instead of US "
             "Government).", (A.CHECK_ORGANISATION,)),
    70011: ("A permission name isn't valid",
            "One of the permissions this connection asks for isn't valid. Check the list for "
            "typing mistakes and remove any that don't exist.", (A.CHECK_PERMISSIONS,)),
    50020: ("Account not part of this organisation",
            "The account you signed in with doesn't belong to {org} and isn't a guest there. "
            "Sign in with an account of that organisation, or check the organisation.",
            (A.SIGN_IN_AGAIN, A.CHECK_ORGANISATION)),
    50034: ("Account not found",
            "Microsoft couldn't find that account in {org}. Check the username, and that the "
            "organisation is the one the account belongs to.",
            (A.SIGN_IN_AGAIN, A.CHECK_ORGANISATION)),
    50126: ("Username or password not accepted",
            "The username or password wasn't accepted. Sign in again and check both; if you've "
            "forgotten the password, contact IT.", _AGAIN),
    50053: ("Account locked for now",
            "The account is locked for a while after too many failed sign-ins. Wait a few "
            "minutes and try again, or contact IT.", (A.RETRY, A.CONTACT_ADMIN)),
    50055: ("Password expired",
            "Your password has expired. Sign in again and change it when asked, or ask IT to "
            "reset it.", (A.SIGN_IN_AGAIN, A.CONTACT_ADMIN)),
    50057: ("Account disabled",
            "This account has been disabled, so it can't sign in. Contact IT.",
            (A.CONTACT_ADMIN,)),
    50105: ("Not allowed to use this app",
            "{org} only lets people assigned to the app o365desk signs in with use it, and "
            "your account isn't assigned. Ask an administrator to assign you.",
            (A.CONTACT_ADMIN,)),
    50076: ("Extra verification needed",
            "Your organisation needs you to confirm this sign-in with a second step, such as a "
            "code or an app notification. Sign in again and complete it.", _AGAIN),
    50079: ("Set up sign-in verification",
            "Your organisation requires a second sign-in step (multi-factor authentication), "
            "and it isn't set up for this account yet. Sign in again and follow the set-up "
            "steps, or set it up first at https://aka.ms/mfasetup.", _AGAIN),
    53003: ("Blocked by your organisation's access rules",
            "Your organisation's access rules (Conditional Access) blocked this sign-in, often "
            "because signing in from inside an app window isn't allowed on this device."
            + _DEVICE, _ELSEWHERE),
    53000: ("This device isn't trusted by your organisation",
            "Your organisation only allows sign-in from devices that meet its security rules, "
            "and it couldn't confirm this one does." + _DEVICE, _ELSEWHERE),
    50097: ("Device check needed",
            "Your organisation needs to identify this device before sign-in, which an app "
            "window can't do." + _DEVICE, _ELSEWHERE),
    700082: ("Sign-in expired after a long pause",
             "This connection wasn't used for a long time (about 90 days), so its saved sign-in "
             "expired. Sign in again.", _AGAIN),
    50173: ("Sign-in no longer valid", _REVOKED, _AGAIN),
    70008: ("Sign-in expired",
            "The saved sign-in for this connection has expired or was cancelled. Sign in "
            "again.", _AGAIN),
    70000: ("Sign-in no longer valid",
            "The saved sign-in for this connection is no longer accepted. Sign in again.",
            _AGAIN),
    70043: ("Time to sign in again",
            "Your organisation requires you to sign in again after a set time. Sign in again.",
            _AGAIN),
    50058: ("Not signed in",
            "Microsoft has no current sign-in for this account, so o365desk can't continue "
            "without you. Sign in again.", _AGAIN),
    50089: ("Sign-in page expired",
            "The sign-in took too long and the page expired. Sign in again.", _AGAIN),
    900023: ("Organisation not recognised",
             "{org} isn't a domain or tenant ID Microsoft recognises. Enter the "
             "organisation's domain (for example contoso.onmicrosoft.com) or its tenant ID.",
             (A.CHECK_ORGANISATION,)),
    7000112: ("App turned off",
              "The app o365desk signs in with (client ID {client}) is turned off in {org}, "
              "so no one can sign in with it. Ask an administrator to turn it back on in "
              "Microsoft Entra (Enterprise applications, the app, Properties), or use the "
              "default client ID.", (A.CONTACT_ADMIN, A.CHECK_CLIENT_ID)),
    50049: ("Cloud not recognised",
            "Microsoft's sign-in service didn't recognise the cloud it was asked for. "
            "Usually the cloud chosen ({cloud}) isn't the organisation's, or a sign-in "
            "address set under Advanced is wrong. Check the cloud and the organisation.",
            (A.CHECK_ORGANISATION, A.CONTACT_ADMIN)),
    90038: ("Organisation in another cloud",
            "{org} is in a different Microsoft cloud from the one chosen ({cloud}). Choose "
            "the organisation's cloud (for example US Government for an organisation that "
            "signs in at login.microsoftonline.us) and sign in again.",
            (A.CHECK_ORGANISATION, A.SIGN_IN_AGAIN)),
    54005: ("Sign-in step already used",
            "The one-time sign-in code was already used, which happens when a page is reloaded "
            "or the sign-in is sent twice. Start the sign-in again.", (A.RETRY,)),
    50196: ("Too many sign-in attempts",
            "o365desk asked Microsoft to sign in too many times in a short while. Wait a "
            "minute and try again.", (A.RETRY,)),
}
# Codes that mean the same for the person at the desk.
for _alias, _same in {50074: 50076, 50072: 50079, 50132: 50173, 50133: 50173,
                      70044: 70043, 90095: 90094, 53001: 53000,
                      530003: 53000, 90051: 50049}.items():
    _AADSTS[_alias] = _AADSTS[_same]

_OAUTH: dict[str, tuple[str, str, tuple[Action, ...]]] = {
    "access_denied": ("Sign-in cancelled or refused",
                      "The sign-in was cancelled or the permissions were declined. Sign in "
                      "again; if you can't approve the permissions yourself, send the "
                      "admin-consent link to an administrator.",
                      (A.SIGN_IN_AGAIN, A.COPY_ADMIN_CONSENT_LINK)),
    "consent_required": ("Permissions not approved yet", _AADSTS[65001][1],
                         (A.SIGN_IN_AGAIN, A.COPY_ADMIN_CONSENT_LINK)),
    "interaction_required": ("Please sign in again",
                             "Microsoft needs you to sign in yourself again, for example to "
                             "confirm it's you or to accept a new rule. Sign in again.", _AGAIN),
    "login_required": ("Please sign in again",
                       "Microsoft has no current sign-in for this account. Sign in again.",
                       _AGAIN),
    "invalid_grant": ("Sign-in no longer valid",
                      "The saved sign-in for this connection is no longer valid: it expired or "
                      "was cancelled. Sign in again.", _AGAIN),
    "invalid_client": ("App identity not accepted",
                       "Microsoft didn't accept the app identity (client ID) used for sign-in. "
                       "Check the client ID under Advanced.", (A.CHECK_CLIENT_ID,)),
    "unauthorized_client": ("App not allowed to sign in this way",
                            "The app registration isn't allowed to sign in this way. Check the "
                            "client ID, or ask an administrator to check the app registration.",
                            (A.CHECK_CLIENT_ID, A.CONTACT_ADMIN)),
    "invalid_scope": ("A permission name isn't valid", _AADSTS[70011][1],
                      (A.CHECK_PERMISSIONS,)),
    "invalid_request": ("Sign-in request refused",
                        "Microsoft refused the sign-in request. Check the organisation, client "
                        "ID and redirect URI under Advanced, then try again.",
                        (A.CHECK_ORGANISATION, A.CHECK_CLIENT_ID, A.RETRY)),
    "server_error": ("Microsoft's sign-in service had a problem",
                     "Microsoft's sign-in service had a problem on its side. Wait a minute and "
                     "try again.", (A.RETRY,)),
    "temporarily_unavailable": ("Microsoft's sign-in service is busy",
                                "Microsoft's sign-in service is busy or down for a moment. Wait "
                                "a minute and try again.", (A.RETRY,)),
    "expired_token": ("The code expired",
                      "The code expired before sign-in was finished on the other device. Start "
                      "again and enter the new code within 15 minutes.", (A.RETRY,)),
    "authorization_declined": ("Sign-in declined on the other device",
                               "The sign-in was declined on the other device. Start again if "
                               "that was a mistake.", (A.RETRY,)),
    "bad_verification_code": ("Code not recognised",
                              "Microsoft didn't recognise the code. Start again to get a new "
                              "one.", (A.RETRY,)),
}

_TRANSPORT: dict[TransportKind, tuple[str, str, tuple[Action, ...]]] = {
    TransportKind.NETWORK: ("Can't reach Microsoft",
                            "o365desk couldn't connect to Microsoft's sign-in service. Check "
                            "that this computer is online, then try again. Nothing was saved.",
                            (A.RETRY,)),
    TransportKind.PROXY: ("Can't get through the network proxy",
                          "o365desk couldn't connect through your network's proxy. Check the "
                          "proxy settings or ask IT, then try again. Nothing was saved.",
                          (A.RETRY, A.CONTACT_ADMIN)),
    TransportKind.TLS: ("Secure connection couldn't be checked",
                        "The secure connection to Microsoft couldn't be verified, so "
                        "o365desk stopped. Nothing was saved. On company networks a security "
                        "proxy that checks web traffic often causes this, and IT can fix it: "
                        "send them these details. (IT: list the proxy's CA certificate, a PEM "
                        "file, under extra_ca_certs in o365desk's settings.json, or set "
                        f"{EXTRA_CA_ENV} to it.) Try again once they have.",
                        (A.CHECK_TRUSTED_CERTIFICATES, A.RETRY, A.CONTACT_ADMIN)),
    TransportKind.TIMEOUT: ("No answer in time",
                            "Microsoft's sign-in service didn't answer in time. Check the "
                            "network connection and try again. Nothing was saved.", (A.RETRY,)),
    TransportKind.SERVER: ("Microsoft's sign-in service had a problem",
                           "Microsoft's sign-in service answered with an error on its side. "
                           "This is usually brief: wait a minute and try again. Nothing was "
                           "saved.", (A.RETRY,)),
    TransportKind.BAD_RESPONSE: ("Unexpected answer",
                                 "The answer from Microsoft's sign-in service couldn't be read. "
                                 "It may be a passing fault, or a proxy or Wi-Fi login page "
                                 "answering instead. Try again; if it keeps happening, contact "
                                 "IT. Nothing was saved.", (A.RETRY, A.CONTACT_ADMIN)),
    TransportKind.TOO_LARGE: ("Answer too large",
                              "The answer from Microsoft's sign-in service was far larger "
                              "than any sign-in needs (over 4 MB), so o365desk stopped "
                              "reading it. Nothing was saved. Try again; if it keeps "
                              "happening, something on the network may be interfering: "
                              "contact IT.", (A.RETRY, A.CONTACT_ADMIN)),
}

# A clock far off makes valid certificates look expired or not yet valid.
_CLOCK_HINTS = ("certificate has expired", "not yet valid", "certificate is not yet")
_AADSTS_RE = re.compile(r"AADSTS(\d+)")
_GENERIC_TENANTS = {"", "organizations", "common", "consumers"}
# Remedies that need a person signing in: never offered to an app-only connection.
_PERSON_SIGNS_IN = frozenset({Action.SIGN_IN_AGAIN, Action.USE_SYSTEM_BROWSER,
                              Action.USE_DEVICE_CODE})


def details_for_it(explanation: Explanation) -> str:
    """What "Copy details for IT" copies: the title, the message, then the raw error."""
    return f"{explanation.title}\n{explanation.message}\n\n{explanation.raw}"


def aadsts_codes(error_codes: Sequence[int] | None, description: str | None) -> list[int]:
    """AADSTS numbers from MSAL's error_codes, else parsed from the description text."""
    codes = [c for c in (error_codes or ()) if isinstance(c, int) and not isinstance(c, bool)]
    if not codes and description:
        codes = [int(n) for n in _AADSTS_RE.findall(description)]
    return codes


def explain(
    error: str | None, description: str | None, error_codes: Sequence[int] | None, *,
    tenant: str | None, cloud: Cloud | str, client_id: str | None,
    authority: str | None = None, kind: str | None = None,
    graph_endpoint: str | None = None,
) -> Explanation:
    """Turn an error from Microsoft (or MSAL's result dict fields) into an Explanation.

    `kind` is the connection's (core.connection.Kind): an app-only connection's failures
    are read as about its app, credential and consent, never as "sign in again".
    `graph_endpoint` is the Graph address it uses (its cloud's unless overridden).
    `authority` is taken as the callers give it; the admin-consent link an explanation
    offers is the connection's, filled in by auth.admin_consent.with_consent_link.
    """
    error = None if error is None else str(error)  # MSAL passes what the server sent
    description = None if description is None else str(description)
    codes = aadsts_codes(error_codes, description)
    app_only = _is_app_only(kind)
    aadsts, oauth_table = _tables(app_only)
    known = [c for c in codes if any(c in table for table in aadsts)]
    oauth = (error or "").strip().lower()
    cloud = _cloud(cloud)
    if known or (oauth in oauth_table and not codes):
        code = f"AADSTS{known[0]}" if known else oauth
        title, template, actions = (
            next(table[known[0]] for table in aadsts if known[0] in table) if known
            else oauth_table[oauth])
        graph = (graph_endpoint or cloud.graph_endpoint).rstrip("/")
        message = template.format(
            org=_org(tenant), client=client_id or "not set", cloud=cloud.label, graph=graph
        )
        message = message[0].upper() + message[1:]
    else:
        code = f"AADSTS{codes[0]}" if codes else (error or "").strip() or "unknown"
        title, message, actions = _unknown(None if code == "unknown" else code, app_only)
        if oauth in oauth_table:  # a new code under a known error: keep that error's remedies
            actions = tuple(dict.fromkeys(oauth_table[oauth][2] + actions))
    if app_only:  # no person signs in: none of the ways to sign in is a remedy
        actions = tuple(a for a in actions if a not in _PERSON_SIGNS_IN) or _unknown(None)[2]
    if not client_id:  # no app to approve
        actions = tuple(a for a in actions if a is not A.COPY_ADMIN_CONSENT_LINK)
    # The link itself is the connection's v2.0 one, filled in by auth (auth.admin_consent).
    return Explanation(code, title, message, actions, None, _raw(error, description, codes))


def explain_result(
    result: Mapping[str, Any], *, tenant: str | None, cloud: Cloud | str,
    client_id: str | None, authority: str | None = None, kind: str | None = None,
    graph_endpoint: str | None = None,
) -> Explanation:
    """explain() for an MSAL result dict ({"error", "error_description", "error_codes"})."""
    codes = result.get("error_codes")
    return explain(
        result.get("error"), result.get("error_description"),
        codes if isinstance(codes, list) else None,
        tenant=tenant, cloud=cloud, client_id=client_id, authority=authority, kind=kind,
        graph_endpoint=graph_endpoint,
    )


def explain_transport(kind: TransportKind | str, detail: str = "") -> Explanation:
    """A failure of the connection itself: every one of these offers a retry."""
    kind = TransportKind(kind)
    title, message, actions = _TRANSPORT[kind]
    if kind is TransportKind.TLS and any(h in detail.lower() for h in _CLOCK_HINTS):
        message += (" It can also happen when this computer's date and time are wrong: "
                    "check them first.")
        actions = (A.CHECK_CLOCK, *actions)
    raw = f"{kind.value}: {detail}" if detail else kind.value
    return Explanation(kind.value, title, message, actions, None, raw)


# Why an ID token was refused -> (title, message, actions).
_ID_TOKEN_CLOCK = ("The sign-in answer is marked as {when}, which usually means this "
                   "computer's date, time or time zone is wrong. Nothing was saved. Check "
                   "them, then sign in again.")
_ID_TOKEN_FOREIGN = ("The sign-in answer wasn't issued for this sign-in ({what}), so "
                     "o365desk refused it for your safety. Nothing was saved. Sign in again; "
                     "if it happens again, copy the details for IT.")
_ID_TOKEN: dict[str, tuple[str, str, tuple[Action, ...]]] = {
    "expired": ("Sign-in answer refused", _ID_TOKEN_CLOCK.format(when="already expired"),
                (A.CHECK_CLOCK, A.SIGN_IN_AGAIN)),
    "not-yet-valid": ("Sign-in answer refused", _ID_TOKEN_CLOCK.format(
        when="valid only later"), (A.CHECK_CLOCK, A.SIGN_IN_AGAIN)),
    "issuer": ("Sign-in answer refused", _ID_TOKEN_FOREIGN.format(
        what="it names a different sign-in service"), (A.SIGN_IN_AGAIN, A.CONTACT_ADMIN)),
    "audience": ("Sign-in answer refused", _ID_TOKEN_FOREIGN.format(
        what="it is meant for a different app"), (A.SIGN_IN_AGAIN, A.CONTACT_ADMIN)),
    "nonce": ("Sign-in answer refused", _ID_TOKEN_FOREIGN.format(
        what="it belongs to a different sign-in"), (A.SIGN_IN_AGAIN, A.CONTACT_ADMIN)),
    "unreadable": ("Sign-in answer refused",
                   "The sign-in answer doesn't say in a way o365desk can check who signed "
                   "in, so o365desk refused it for your safety. Nothing was saved. Sign in "
                   "again; if it happens again, copy the details for IT.",
                   (A.SIGN_IN_AGAIN, A.CONTACT_ADMIN)),
}


def explain_id_token(reason: str, detail: str = "") -> Explanation:
    """An ID token that failed a check (auth.id_token's reasons): refused, nothing saved."""
    title, message, actions = _ID_TOKEN.get(reason, _ID_TOKEN["unreadable"])
    return Explanation("id-token-refused", title, message, actions, None,
                       f"id token refused ({reason}): {detail}" if detail else reason)


def _unknown(what: str | None,
             app_only: bool = False) -> tuple[str, str, tuple[Action, ...]]:
    shown = f" (code {what})" if what else ""
    if app_only:
        return UNKNOWN_TITLE, UNKNOWN_MESSAGE.format(shown=shown), (A.RETRY, A.CONTACT_ADMIN)
    return ("Sign-in didn't work",
            f"Microsoft stopped the sign-in{shown}. Try again; if it happens again, copy the "
            "details for your IT administrator, who can look the code up.",
            (A.RETRY, A.CONTACT_ADMIN))


def _is_app_only(kind: str | None) -> bool:
    # core.connection.Kind is a StrEnum: its APP_ONLY compares equal to its value.
    return isinstance(kind, str) and kind == "app-only"


def _tables(app_only: bool) -> tuple[tuple[dict[int, Any], ...], dict[str, Any]]:
    """The AADSTS tables to look codes up in, in order, and the OAuth errors' table."""
    if not app_only:
        return (_AADSTS,), _OAUTH
    return (APP_ONLY, _AADSTS), {**_OAUTH, **APP_ONLY_OAUTH}


def _org(tenant: str | None) -> str:
    name = (tenant or "").strip()
    return "your organisation" if name.lower() in _GENERIC_TENANTS else f'organisation "{name}"'


def _cloud(cloud: Cloud | str) -> Cloud:
    return cloud if isinstance(cloud, Cloud) else Cloud.parse(cloud)


def _raw(error: str | None, description: str | None, codes: list[int]) -> str:
    lines = [f"error: {error}"] if error else []
    if codes:
        lines.append("error_codes: " + ", ".join(str(c) for c in codes))
    if description:
        lines.append(description)
    return "\n".join(lines) or "no error details were given"
