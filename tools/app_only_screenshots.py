"""Render an app-only connection in the main window, light and dark, as PNGs: its details
(secret expiring in 12 days, certificate, expired), the Replace credential dialog (empty,
refused, a certificate read) and the admin-consent dialog (before, waiting, granted,
refused); the New connection wizard's credential step with a certificate file (read, and
refused) and its summary of the certificate saved.

Usage: python tools/app_only_screenshots.py OUTPUT_DIR

Consent runs for real against the fake identity platform of the tests (its adminconsent
page over HTTPS, the real loopback listener; the browser is an HTTP client), with an
in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    choose,
    fake_identity,
    isolated_home,
    memory_services,
    open_main_window,
    wait_until,
)
from shot_runner import light_and_dark as both  # noqa: E402

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)

from o365desk.core.connection import (  # noqa: E402
    Connection,
    Credential,
    CredentialType,
    Kind,
    utcnow,
)
from o365desk.storage.vault import CLIENT_SECRET  # noqa: E402
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId  # noqa: E402
from tests.fakes.identity import DEFAULT_DOMAIN, FakeIdentity  # noqa: E402
from tests.fakes.identity.consent import (  # noqa: E402
    configure_app_permissions,
    refuse_admin_consent,
)

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"
SECRET = "fake-app-secret-value-0123456789"


def connections(fake: FakeIdentity) -> list[Connection]:
    now = utcnow()
    common = dict(tenant=DEFAULT_DOMAIN, client_id=APP, kind=Kind.APP_ONLY,
                  authority=fake.authority(DEFAULT_DOMAIN), graph_endpoint=fake.graph_url,
                  scopes=("User.Read.All", "Mail.Send"))
    return [
        Connection("Payroll daemon", description="Nightly payroll export",
                   credential=Credential(CredentialType.SECRET,
                                         expires_at=now + timedelta(days=12, hours=3)),
                   **common),
        Connection("Reports (certificate)", credential=Credential(
            CredentialType.CERTIFICATE, expires_at=now + timedelta(days=300),
            sha1="3F1A9C0B7E2D4A6F8B1C3D5E7F9A0B2C4D6E8F10", sha256="AB" * 32,
            subject="CN=reports.contoso.com", not_after=now + timedelta(days=300)), **common),
        Connection("Old sync job", credential=Credential(
            CredentialType.SECRET, expires_at=now - timedelta(days=4)), **common),
    ]


def following(fake: FakeIdentity, hold: threading.Event):
    def browse(url: str) -> bool:
        def act() -> None:
            hold.wait(30)
            with fake.http_session() as session:
                session.get(url, timeout=10)

        threading.Thread(target=act, daemon=True).start()
        return True

    return browse


async def main(out: Path) -> None:
    with fake_identity() as fake:
        fake.register_app(APP, SECRET, roles=("User.Read.All",), name="Payroll automation")
        fake.register_client(APP, "Payroll automation", ["http://localhost"])
        configure_app_permissions(fake, APP, ["User.Read.All", "Mail.Send"])
        services = memory_services(_HOME)
        for conn in connections(fake):
            saved = services.store.add(conn)
            services.vault().set(saved.id, CLIENT_SECRET, SECRET)
        window, controller = await open_main_window(services, 1180, 700)

        def select(nickname: str) -> None:
            choose(controller, window, nickname)

        select("Payroll daemon")
        await both(window, out, "01-app-only-secret-12-days")
        select("Reports (certificate)")
        await both(window, out, "02-app-only-certificate")
        select("Old sync job")
        await both(window, out, "03-app-only-expired")

        window.act_replace_credential.trigger()
        dialog = controller.actions.dialog
        await wait_until(dialog.isVisible)
        await both(dialog, out, "04-replace-credential-empty")
        dialog.secret.setText("0b5c1f6e-2a8d-4e7b-9c3f-1d2e3f4a5b6c")  # the secret's ID
        dialog.save_button.click()
        await wait_until(dialog.problem.isVisible)
        await both(dialog, out, "05-replace-credential-refused")
        dialog.reject()
        await wait_until(lambda: controller.actions.dialog is None)

        select("Payroll daemon")
        hold = threading.Event()
        controller.actions.consent_browser = following(fake, hold)
        window.act_admin_consent.trigger()
        dialog = controller.actions.dialog
        await wait_until(dialog.isVisible)
        await both(dialog, out, "06-consent-before")
        dialog.open_button.click()
        await wait_until(lambda: dialog.cancel_wait_button.isVisible())
        await both(dialog, out, "07-consent-waiting")
        hold.set()
        await wait_until(lambda: dialog.result is not None)
        await both(dialog, out, "08-consent-granted")
        refuse_admin_consent(fake, 65004)
        hold2 = threading.Event()
        hold2.set()
        dialog._browse = following(fake, hold2)
        dialog.open_button.click()
        await wait_until(lambda: dialog.result is not None and not dialog.result.granted)
        await both(dialog, out, "09-consent-refused")
        dialog.reject()
        await wait_until(lambda: controller.actions.dialog is None)
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        await both(window, out, "10-test-roles-missing")
        await certificate_scenes(services, fake, window, controller, out, select)
        window.close()


async def certificate_scenes(services, fake, window, controller, out: Path, select) -> None:
    from tests.e2e.certificates import certificate, pfx_file, rsa_key

    key = rsa_key()
    folder = _HOME / "certificates"
    folder.mkdir()
    pfx = pfx_file(folder, key, certificate(key, days=19.5, subject="payroll.contoso.com"),
                   b"Pa55word!", "payroll-daemon.pfx")
    wizard = await wizard_at_credential(services, fake)
    page = wizard.app_credential_page
    page.use_certificate.setChecked(True)
    page.certificate.path.setText(str(pfx))
    page.certificate.password.setText("wrong")
    page.certificate.read()
    await wait_until(page.certificate.problem.isVisible)
    await both(wizard, out, "11-wizard-certificate-refused")
    page.certificate.password.setText("Pa55word!")
    page.certificate.read()
    await wait_until(lambda: page.certificate.credential() is not None)
    await both(wizard, out, "12-wizard-certificate-read")
    wizard.next()
    wizard.permissions_page.set_scopes(["User.Read.All"])
    wizard.next()
    await wait_until(lambda: wizard.currentId() == PageId.APP_SUMMARY)
    await both(wizard, out, "13-wizard-certificate-saved")
    wizard.accept()

    select("Reports (certificate)")
    window.act_replace_credential.trigger()
    dialog = controller.actions.dialog
    await wait_until(dialog.isVisible)
    await both(dialog, out, "14-replace-credential-certificate-empty")
    renewed = pfx_file(folder, key, certificate(key, days=730, subject="reports.contoso.com"),
                       b"Pa55word!", "reports-2027.pfx")
    dialog.certificate.path.setText(str(renewed))
    dialog.certificate.password.setText("Pa55word!")
    dialog.certificate.read()
    await wait_until(lambda: dialog.certificate.credential() is not None)
    await both(dialog, out, "15-replace-credential-certificate-read")
    dialog.reject()
    await wait_until(lambda: controller.actions.dialog is None)


async def wizard_at_credential(services, fake):
    """The New connection wizard on its app-only credential step, the client ID typed."""
    wizard = NewConnectionWizard(services)
    wizard.resize(760, 620)
    wizard.show()
    wizard.nickname_page.nickname.setText("Payroll")
    wizard.nickname_page.app_only.setChecked(True)
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText(DEFAULT_DOMAIN)
    org.show_advanced()
    org.authority.setText(fake.authority(DEFAULT_DOMAIN))
    org.graph.setText(fake.graph_url)
    wizard.next()
    await wait_until(lambda: wizard.currentId() == PageId.APP_CREDENTIAL)
    wizard.app_credential_page.client_id.setText(APP)
    return wizard


if __name__ == "__main__":
    from shot_runner import run_tool  # beside this script

    sys.exit(run_tool(main, __doc__))
