"""Render every page and state of the New connection wizard offscreen, each as a PNG.

Usage: python tools/wizard_screenshots.py OUTPUT_DIR [dark] [app-only]

`dark`: in the tests' dark palette; `app-only`: only the app-only connection's pages
(the kind, the app and its secret, application permissions, the summary once saved).
Signs in for real (QtWebEngine, MSAL) against the fake identity platform of the tests,
with an in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import isolated_home  # noqa: E402 (beside this script)

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
import msal.oauth2cli.authcode  # noqa: E402
import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.core.signin_errors import Action  # noqa: E402
from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import Vault  # noqa: E402
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId  # noqa: E402
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME, FakeIdentity  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402
from tests.ui.palettes import make_palette  # noqa: E402

SIZE = (860, 720)


async def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        await asyncio.sleep(0.05)


async def js(wizard, script: str):
    box: list = []
    wizard.signin_page.view.run_javascript(script, box.append)
    await wait_until(lambda: bool(box))
    return box[0]


async def element(wizard, element_id: str) -> None:
    deadline = time.monotonic() + 20
    while await js(wizard, f"!!document.getElementById('{element_id}')") is not True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"#{element_id} never appeared")
        await asyncio.sleep(0.05)


def shoot(wizard, out: Path, name: str) -> None:
    QApplication.processEvents()
    wizard.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def new_wizard(fake: FakeIdentity) -> NewConnectionWizard:
    backend = MemoryKeyring()
    services = Services(ConnectionStore(_HOME / "config" / "connections.json"),
                        vault_factory=lambda: Vault(backend))
    wizard = NewConnectionWizard(services)
    wizard.resize(*SIZE)
    wizard.show()
    return wizard


async def to_signin(wizard, fake, scopes=("User.Read", "User.Read.All"), wait=True) -> None:
    wizard.nickname_page.nickname.setText("Contoso \u2013 user admin")
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText("contoso.onmicrosoft.com")
    org.authority.setText(fake.authority("contoso.onmicrosoft.com"))
    org.graph.setText(fake.graph_url)
    wizard.next()
    wizard.permissions_page.set_scopes(scopes)
    wizard.next()
    if wait:
        await wait_until(lambda: wizard.signin_page.view.running)


async def sign_in(wizard, consent: bool = True) -> None:
    await element(wizard, "username")
    await js(wizard, f"document.getElementById('username').value = '{DEFAULT_USERNAME}';"
                     f"document.getElementById('password').value = '{DEFAULT_PASSWORD}';"
                     "document.getElementById('submit').click(); true")
    if consent:
        await element(wizard, "accept")
        await js(wizard, "document.getElementById('accept').click(); true")


async def error_state(wizard, action: Action) -> None:
    page = wizard.signin_page
    await wait_until(lambda: page.stack.currentWidget() is page.error_panel
                     and action in page.error_panel.buttons)


async def app_only_scenes(fake: FakeIdentity, out: Path) -> None:
    """An app-only connection: the kind, the organisation, the app's client ID and secret
    (with what is refused), application permissions, and the summary once saved."""
    wizard = new_wizard(fake)
    page = wizard.nickname_page
    page.nickname.setText("Payroll")
    page.app_only.setChecked(True)
    shoot(wizard, out, "08-app-only-kind")
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText("organizations")
    shoot(wizard, out, "08b-app-only-organizations-refused")
    org.tenant.setText("contoso.com")
    org.show_advanced()
    org.authority.setText(fake.authority("contoso.com"))
    org.graph.setText(fake.graph_url)
    shoot(wizard, out, "08c-app-only-organisation")
    wizard.next()
    credential = wizard.app_credential_page
    credential.client_id.setText("3f2a9c1e-5b7d")
    wizard.next()  # refused: the secret is empty
    shoot(wizard, out, "09-app-credential-problems")
    credential.client_id.setText("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
    credential.secret.setText("Fk8Q~app.secret-ONE_zY4xW3vU2tS1rQ0pO9nM8lK7")
    credential.expires.setText("2027-06-30")
    shoot(wizard, out, "09b-app-credential")
    wizard.next()
    permissions = wizard.permissions_page
    permissions.search.setText("user read all")
    permissions.set_scopes(("User.Read.All", "Organization.Read.All"))
    shoot(wizard, out, "10-application-permissions")
    wizard.next()
    await wait_until(lambda: wizard.currentId() == PageId.APP_SUMMARY)
    wizard.app_summary_page.copy_consent.click()
    shoot(wizard, out, "11-app-only-summary")
    await wait_until(lambda: not wizard.runner.busy)  # the first page's keychain check
    wizard.accept()


async def main(out: Path) -> None:
    if "dark" in sys.argv[2:]:
        app = QApplication.instance()
        app.setPalette(make_palette(app, "dark"))
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        await app_only_scenes(fake, out)
        if "app-only" in sys.argv[2:]:
            return
        wizard = new_wizard(fake)
        wizard.nickname_page.nickname.setText("Contoso \u2013 user admin")
        wizard.nickname_page.description.setText("Helpdesk work in the Contoso tenant")
        shoot(wizard, out, "01-nickname")
        wizard.nickname_page.nickname.setText("Contoso\u202e admin")
        shoot(wizard, out, "01b-nickname-problem")
        wizard.nickname_page.nickname.setText("Contoso \u2013 user admin")
        wizard.next()
        shoot(wizard, out, "02-organisation")
        wizard.organisation_page.show_advanced()
        wizard.organisation_page.tenant.setText("contoso.onmicrosoft.com")
        shoot(wizard, out, "02b-organisation-advanced")
        wizard.next()
        wizard.permissions_page.apply_preset("read-only-directory")
        shoot(wizard, out, "03-permissions")
        wizard.reject()

        fake.reset()
        fake.not_granted = {"User.Read.All"}
        wizard = new_wizard(fake)
        await to_signin(wizard, fake)
        await element(wizard, "username")
        await asyncio.sleep(0.3)  # a grab right at loadFinished is blank
        shoot(wizard, out, "04-signin-page")
        await sign_in(wizard)
        await wait_until(lambda: wizard.currentId() == PageId.SUMMARY)
        shoot(wizard, out, "07-summary")
        # Meanwhile the same nickname was saved elsewhere (the command line).
        from o365desk.core.connection import Connection

        ConnectionStore(_HOME / "config" / "connections.json").add(
            Connection(nickname="Contoso \u2013 user admin", tenant="contoso.onmicrosoft.com"))
        wizard.accept()
        await wait_until(lambda: wizard.summary_page.change_nickname.isVisible())
        shoot(wizard, out, "07b-summary-nickname-taken")
        wizard.reject()

        fake.reset()
        fake.fail_authorize(53003)
        wizard = new_wizard(fake)
        await to_signin(wizard, fake, ("User.Read",))
        await sign_in(wizard, consent=False)
        await error_state(wizard, Action.USE_DEVICE_CODE)
        shoot(wizard, out, "05a-error-53003")
        wizard.signin_page.error_panel.details_button.click()
        shoot(wizard, out, "05b-error-53003-details")
        wizard.signin_page.error_panel.buttons[Action.USE_DEVICE_CODE].click()
        page = wizard.signin_page
        await wait_until(lambda: page.stack.currentWidget() is page.device_panel)
        shoot(wizard, out, "06-device-code")
        page.device_panel.cancel_button.click()
        await error_state(wizard, Action.SIGN_IN_AGAIN)
        shoot(wizard, out, "06b-cancelled")
        # The system browser: a stand-in "opens" it (and nobody signs in there), then none.
        browser_opens = [True]
        msal.oauth2cli.authcode._browse = lambda uri, browser_name=None: browser_opens[0]
        page.error_panel.buttons[Action.USE_SYSTEM_BROWSER].click()
        await wait_until(lambda: page.stop_button.isVisible())
        await asyncio.sleep(0.3)
        shoot(wizard, out, "06c-browser-waiting")
        page.stop_button.click()
        shoot(wizard, out, "06d-browser-stopping")
        await error_state(wizard, Action.USE_SYSTEM_BROWSER)
        browser_opens[0] = False
        page.error_panel.buttons[Action.USE_SYSTEM_BROWSER].click()
        await wait_until(lambda: page.stack.currentWidget() is page.error_panel
                         and page.error_panel.explanation.code == "no-browser")
        shoot(wizard, out, "06e-no-browser")
        wizard.reject()

        fake.reset()
        fake.fail_authorize(65001)
        wizard = new_wizard(fake)
        await to_signin(wizard, fake, ("User.Read",))
        await sign_in(wizard, consent=False)
        await error_state(wizard, Action.COPY_ADMIN_CONSENT_LINK)
        wizard.signin_page.error_panel.buttons[Action.COPY_ADMIN_CONSENT_LINK].click()
        shoot(wizard, out, "05c-error-65001")
        wizard.reject()

        # Failures after the page: the token endpoint, then the network's trust.
        for name, fail in (
            ("05d-error-server", lambda: fake.fail_transport(503, endpoint="token")),
            ("05e-error-malformed", lambda: fake.fail_transport("malformed", endpoint="token")),
            ("05f-error-50076", lambda: fake.fail_token(50076)),
        ):
            fake.reset()
            fail()
            wizard = new_wizard(fake)
            await to_signin(wizard, fake, ("User.Read",))
            await sign_in(wizard)
            await wait_until(lambda w=wizard: w.signin_page.stack.currentWidget()
                             is w.signin_page.error_panel)
            shoot(wizard, out, name)
            wizard.reject()

        fake.reset()
        del os.environ["O365DESK_EXTRA_CA_CERTS"]  # like a TLS-inspecting proxy's unknown CA
        wizard = new_wizard(fake)
        await to_signin(wizard, fake, ("User.Read",), wait=False)
        await wait_until(lambda: wizard.signin_page.stack.currentWidget()
                         is wizard.signin_page.error_panel)
        shoot(wizard, out, "05g-error-tls")
        wizard.reject()
        await asyncio.sleep(0.5)  # let the cancelled wizards remove what they saved


def run(out: Path) -> int:
    from shot_runner import run_async_tool  # beside this script

    return run_async_tool(main, out, quit_on_last_window_closed=False)


if __name__ == "__main__":
    if len(sys.argv) < 2 or set(sys.argv[2:]) - {"dark", "app-only"}:
        sys.exit(__doc__)
    sys.exit(run(Path(sys.argv[1])))
