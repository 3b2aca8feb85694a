"""The fake's interactive pages: authorize, sign-in form, consent, device login, errors.

Plain HTML with stable element ids so a QtWebEngine test can drive them with
runJavaScript, e.g. ``document.getElementById('username').value = '...';
document.getElementById('submit').click()``. Ids: sign-in ``username``, ``password``,
``submit``, ``error`` (wrong password); consent ``accept``, ``cancel`` and one
``li.scope[data-scope]`` per requested scope; error pages ``error-code`` (e.g.
"AADSTS50011"); approval page ``back``; device login ``code``, ``submit``; finished
device sign-in ``done``. Error pages answer fake.error_page_status (200 by default: with
a 4xx QtWebEngine reports loadFinished(False) although the page is shown).
"""

from __future__ import annotations

import html
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from .errors import Aadsts, authorize_error_params, describe, lookup
from .tokens import (
    AuthCode,
    Request,
    Response,
    b64url_json,
    find_device,
    set_device_status,
    wanted_scopes,
)

SESSION_COOKIE = "fake_estsauth"


@dataclass
class Flow:
    """One interactive sign-in in progress (an /authorize request or a device login)."""

    kind: str  # "authorize" | "device"
    tenant: str
    client_id: str
    requested: list[str]
    redirect_uri: str = ""
    state: str = ""
    nonce: str | None = None
    challenge: str = ""
    response_mode: str = "query"
    prompt: str | None = None
    login_hint: str = ""
    client_info: bool = False
    device_code: str | None = None
    username: str | None = None


_CSS = """body{font-family:sans-serif;background:#eef1f5;margin:0}
.card{max-width:26em;margin:3em auto;background:#fff;padding:1.5em 2em;border-radius:6px}
.brand{color:#667;font-size:.85em}label{display:block;margin-top:.8em}
input{width:100%;padding:.4em;box-sizing:border-box;font:inherit}
button{margin-top:1em;padding:.4em 1.2em;font:inherit}
.error{color:#a4262c}"""


def _page(title: str, page_id: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f'<body><main class="card" id="{page_id}"><p class="brand">Fake identity '
            f"platform (tests only)</p><h1>{html.escape(title)}</h1>{body}</main></body></html>")


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" id="{name}" value="{html.escape(value)}">'


def sign_in_page(tenant: str, flow_id: str, login_hint: str = "", error: str = "") -> str:
    message = f'<p class="error" id="error" role="alert">{html.escape(error)}</p>' if error else ""
    return _page("Sign in", "signin", f"""{message}
<form method="post" action="/{html.escape(tenant)}/login" id="signin-form">
{_hidden("flow", flow_id)}
<label for="username">Email or username</label>
<input type="text" name="username" id="username" autocomplete="username"
 value="{html.escape(login_hint)}">
<label for="password">Password</label>
<input type="password" name="password" id="password" autocomplete="current-password">
<button type="submit" id="submit">Sign in</button></form>""")


def consent_page(tenant: str, flow_id: str, app_name: str, scopes: list[str]) -> str:
    items = "".join(f'<li class="scope" data-scope="{html.escape(s)}">{html.escape(s)}</li>'
                    for s in scopes)
    return _page("Permissions requested", "consent", f"""
<p id="app-name">{html.escape(app_name)} would like to:</p><ul id="scopes">{items}</ul>
<form method="post" action="/{html.escape(tenant)}/consent">{_hidden("flow", flow_id)}
<button type="submit" name="action" value="accept" id="accept">Accept</button>
<button type="submit" name="action" value="cancel" id="cancel">Cancel</button></form>""")


def error_page(code: int, description: str, correlation_id: str = "") -> str:
    return _page("Sorry, but we're having trouble signing you in", "error-page", f"""
<p class="error" id="error-code">AADSTS{code}</p>
<p id="error-description">{html.escape(description)}</p>
<p>Correlation ID: <span id="correlation-id">{html.escape(correlation_id)}</span></p>""")


def approval_page(tenant: str, flow_id: str, description: str) -> str:
    return _page("Need admin approval", "approval", f"""
<p class="error" id="error-code">AADSTS90094</p><p>{html.escape(description)}</p>
<form method="post" action="/{html.escape(tenant)}/consent">{_hidden("flow", flow_id)}
<button type="submit" name="action" value="back" id="back">Return to the application</button>
</form>""")


def form_post_page(redirect_uri: str, params: dict[str, str]) -> str:
    fields = "".join(_hidden(k, v) for k, v in params.items())
    return _page("Working...", "form-post", f"""
<form method="post" action="{html.escape(redirect_uri)}" id="form-post">{fields}</form>
<script>document.getElementById('form-post').submit();</script>""")


def device_code_page(error: str = "") -> str:
    message = f'<p class="error" id="error" role="alert">{html.escape(error)}</p>' if error else ""
    return _page("Enter code", "devicelogin", f"""{message}
<form method="post" action="/devicelogin"><label for="code">Code</label>
<input type="text" name="code" id="code" autocomplete="off">
<button type="submit" id="submit">Next</button></form>""")


def message_page(title: str, text: str, page_id: str = "done") -> str:
    return _page(title, page_id, f'<p id="message">{html.escape(text)}</p>')


# --- handlers -------------------------------------------------------------------------


def _remember(store: dict, fake, value) -> str:
    """Keep value under a new random key (a flow or a browser session)."""
    key = secrets.token_urlsafe(24)
    with fake.lock:
        store[key] = value
    return key


def _fail_page(fake, entry: Aadsts, tenant: str, client_id: str, **fields: str) -> Response:
    text = describe(entry, client_id=client_id, tenant=tenant, **fields)
    return Response.html(fake.error_page_status, error_page(entry.code, text,
                                                            secrets.token_hex(8)))


def redirect_to_app(flow: Flow, params: dict[str, str]) -> Response:
    """Back to the app's redirect URI, in the response mode the app asked for."""
    params = {**params, "state": flow.state} if flow.state else dict(params)
    if flow.response_mode == "form_post":
        return Response.html(200, form_post_page(flow.redirect_uri, params))
    sep = "#" if flow.response_mode == "fragment" else ("&" if "?" in flow.redirect_uri
                                                        else "?")
    return Response.redirect(flow.redirect_uri + sep + urlencode(params))


def fail_flow(fake, flow: Flow, entry: Aadsts, as_page: bool = False) -> Response:
    """End an interactive flow with an error: redirect, error page, or declined device."""
    if flow.kind == "device":
        set_device_status(fake, flow.device_code, "declined")
        return _fail_page(fake, entry, flow.tenant, flow.client_id)
    if as_page:
        return _fail_page(fake, entry, flow.tenant, flow.client_id)
    return redirect_to_app(flow, authorize_error_params(
        entry.code, error=None, client_id=flow.client_id, tenant=flow.tenant))


def authorize(fake, req: Request, tenant: str) -> Response:
    """GET /{tenant}/oauth2/v2.0/authorize."""
    q = req.query
    client_id = q.get("client_id", "")
    if not client_id:
        return _fail_page(fake, lookup(900144), tenant, client_id, param="client_id")
    if client_id not in fake.clients:
        return _fail_page(fake, lookup(700016), tenant, client_id)
    redirect_uri = q.get("redirect_uri", "")
    if not fake.redirect_allowed(client_id, redirect_uri):
        return _fail_page(fake, lookup(50011), tenant, client_id)
    flow = Flow("authorize", tenant, client_id, q.get("scope", "").split(), redirect_uri,
                q.get("state", ""), q.get("nonce"), q.get("code_challenge", ""),
                q.get("response_mode", "query"), q.get("prompt"), q.get("login_hint", ""),
                q.get("client_info") == "1")
    injected = fake.take_authorize_failure("authorize")
    if injected:
        return fail_flow(fake, flow, injected[0], injected[1])
    if flow.response_mode not in ("query", "fragment", "form_post"):
        flow.response_mode = "query"
        return fail_flow(fake, flow, lookup(900144))
    if q.get("response_type") != "code":
        return redirect_to_app(flow, authorize_error_params(
            900144, error="unsupported_response_type", param="response_type"))
    for param in ("scope", "state", "nonce"):
        if not q.get(param):
            return redirect_to_app(flow, authorize_error_params(900144, param=param))
    if q.get("code_challenge_method") != "S256" or not flow.challenge:
        return fail_flow(fake, flow, lookup(9002325))
    flow_id = _remember(fake.flows, fake, flow)
    with fake.lock:
        session_user = fake.sessions.get(req.cookies.get(SESSION_COOKIE, ""))
    if flow.prompt == "none":
        if not session_user:
            return fail_flow(fake, flow, lookup(50058))
        flow.username = session_user
        return after_sign_in(fake, flow_id, flow)
    if session_user and flow.prompt not in ("login", "select_account"):
        flow.username = session_user
        return after_sign_in(fake, flow_id, flow)
    return Response.html(200, sign_in_page(tenant, flow_id, flow.login_hint))


def sign_in(fake, req: Request, tenant: str) -> Response:
    """POST /{tenant}/login: the credentials from the sign-in form."""
    flow_id = req.form.get("flow", "")
    flow = fake.flows.get(flow_id)
    if flow is None:
        return Response.html(400, message_page(
            "Sign-in expired", "This sign-in has expired or is unknown. Start again.",
            "expired"))
    user = fake.users.get(req.form.get("username", "").strip().lower())
    if user is None or not secrets.compare_digest(user.password.encode(),
                                                  req.form.get("password", "").encode()):
        text = describe(lookup(50126))
        return Response.html(200, sign_in_page(flow.tenant, flow_id,
                                               req.form.get("username", ""), text))
    flow.username = user.username
    response = after_sign_in(fake, flow_id, flow)
    session_id = _remember(fake.sessions, fake, user.username)
    response.headers["Set-Cookie"] = (f"{SESSION_COOKIE}={session_id};"
                                      " Path=/; Secure; HttpOnly; SameSite=None")
    return response


def after_sign_in(fake, flow_id: str, flow: Flow) -> Response:
    """Signed in: injected failures, then admin approval, consent, or straight back."""
    injected = fake.take_authorize_failure("signin")
    if injected:
        return fail_flow(fake, flow, injected[0], injected[1])
    user = fake.users[flow.username.lower()]
    wanted = wanted_scopes(fake, flow.requested, flow.username, flow.client_id)
    new = wanted - fake.consented(flow.username, flow.client_id)
    if fake.skip_consent:
        fake.grant_consent(flow.client_id, wanted - set(fake.not_granted), flow.username)
        return finish(fake, flow_id, flow)
    if new & set(fake.admin_scopes) and not user.admin:
        if flow.prompt == "none":
            return fail_flow(fake, flow, lookup(65001))
        text = describe(lookup(90094), client_id=flow.client_id, tenant=flow.tenant)
        return Response.html(200, approval_page(flow.tenant, flow_id, text))
    if new or flow.prompt == "consent":
        if flow.prompt == "none":
            return fail_flow(fake, flow, lookup(65001))
        shown = [s for s in flow.requested if s != "offline_access"] or sorted(wanted)
        return Response.html(200, consent_page(flow.tenant, flow_id,
                                               fake.client_name(flow.client_id), shown))
    return finish(fake, flow_id, flow)


def consent(fake, req: Request, tenant: str) -> Response:
    """POST /{tenant}/consent: Accept, Cancel, or Back from the approval page."""
    flow_id = req.form.get("flow", "")
    flow = fake.flows.get(flow_id)
    if flow is None or not flow.username:
        return Response.html(400, message_page(
            "Sign-in expired", "This sign-in has expired or is unknown. Start again.",
            "expired"))
    action = req.form.get("action", "")
    if action == "accept":
        wanted = wanted_scopes(fake, flow.requested, flow.username, flow.client_id)
        fake.grant_consent(flow.client_id, wanted - set(fake.not_granted), flow.username)
        return finish(fake, flow_id, flow)
    fake.flows.pop(flow_id, None)
    return fail_flow(fake, flow, lookup(90094 if action == "back" else 65004))


def finish(fake, flow_id: str, flow: Flow) -> Response:
    """A successful end: a code redirect to the app, or an approved device code."""
    fake.flows.pop(flow_id, None)
    if flow.kind == "device":
        set_device_status(fake, flow.device_code, "approved", flow.username)
        return Response.html(200, message_page(
            "You're signed in", "You have signed in to the application on your other "
            "device. You may now close this window."))
    code = "FAKE-CODE." + secrets.token_urlsafe(48)
    with fake.lock:
        fake.codes[code] = AuthCode(
            flow.client_id, flow.redirect_uri, flow.requested, flow.nonce, flow.challenge,
            flow.username, fake.tid_for(flow.tenant), time.time() + fake.code_lifetime)
    params = {"code": code}
    if flow.client_info:
        user = fake.users[flow.username.lower()]
        params["client_info"] = b64url_json({"uid": user.oid,
                                             "utid": fake.tid_for(flow.tenant)})
    params["session_state"] = secrets.token_hex(16)
    return redirect_to_app(flow, params)


def device_login(fake, req: Request) -> Response:
    """GET/POST /devicelogin: enter the user code, then the usual sign-in and consent."""
    if req.method == "GET":
        return Response.html(200, device_code_page())
    grant = find_device(fake, req.form.get("code", ""))
    if grant is None or grant.status != "pending" or time.time() > grant.expires_at:
        return Response.html(200, device_code_page(
            "That code didn't work. Check the code and try again."))
    flow = Flow("device", "organizations", grant.client_id, grant.requested,
                device_code=grant.device_code)
    flow_id = _remember(fake.flows, fake, flow)
    return Response.html(200, sign_in_page(flow.tenant, flow_id))


def drive_sign_in(fake, session, auth_uri: str, username: str, password: str,
                  consent: bool, user_code: str = "") -> dict[str, str]:
    """Walk the pages with a requests.Session as a browser would (see sign_in_with_http)."""
    answer = session.get(auth_uri, allow_redirects=False)
    for _ in range(6):
        if answer.is_redirect:
            url = urlsplit(answer.headers["Location"])
            return dict(parse_qsl(url.query or url.fragment, keep_blank_values=True))
        text = answer.text
        fields = {k: html.unescape(v) for k, v in re.findall(
            r'<input type="hidden" name="([^"]+)" id="[^"]+" value="([^"]*)"', text)}
        if 'id="form-post"' in text:
            return fields
        if 'id="error-code"' in text and 'id="approval"' not in text:
            return {"error_page": re.search(r'id="error-code">([^<]+)<', text).group(1)}
        if 'id="done"' in text:
            return {"done": "1"}
        if 'id="devicelogin"' in text:
            if 'id="error"' in text:
                return {"error_page": "bad user code"}
            fields["code"] = user_code
        elif 'id="signin"' in text:
            if 'id="error"' in text:
                return {"error_page": "AADSTS50126"}
            fields.update(username=username, password=password)
        elif 'id="consent"' in text:
            fields["action"] = "accept" if consent else "cancel"
        elif 'id="approval"' in text:
            fields["action"] = "back"
        else:
            raise AssertionError(f"unexpected page from the fake ({answer.status_code})")
        action = re.search(r'<form method="post" action="([^"]+)"', text).group(1)
        answer = session.post(fake.base_url + html.unescape(action), data=fields,
                              allow_redirects=False)
    raise AssertionError("the sign-in did not end in a redirect")
