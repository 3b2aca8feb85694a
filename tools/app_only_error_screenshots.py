"""Render each failure an app-only connection meets (issue 10 point 6) in the main window,
light and dark, as PNGs: the window with the result bar after Test connection, for
AADSTS7000215, 7000222, 700027, 700024, 700016, 1002012, 70011, 500011, 65001, 90002,
900023, 7000112, 50049 and an organisation of another cloud (900382); then, for the wrong
secret, the "Details…" box that holds the raw answer for IT; last, a test that works,
its result naming the application permissions the token carries.

Usage: python tools/app_only_error_screenshots.py OUTPUT_DIR

Every failure is real: the fake identity platform of the tests answers the client
credentials grant with Entra's JSON for the code, over HTTPS, to the real MSAL
ConfidentialClientApplication that Test connection uses; an in-memory keychain and
temporary HOME and config dirs keep everything real untouched.
"""

from __future__ import annotations

import asyncio
import sys
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
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton  # noqa: E402, TID251

from o365desk.core.connection import Connection, Credential, CredentialType, Kind  # noqa: E402
from o365desk.storage.vault import CLIENT_SECRET  # noqa: E402
from o365desk.usecases.app_only import create_app_only_certificate  # noqa: E402
from tests.fakes.identity import DEFAULT_DOMAIN, FakeIdentity  # noqa: E402

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"
SECRET = "fake-app-secret-value-0123456789"
CERT_APP = "2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c7d"
# (file name, AADSTS code): each as Entra answers the client credentials grant, to the
# connection with a client secret, or (the certificate's own failures) to the one with a
# certificate.
CERTIFICATE_CODES = {700027, 700024}
CODES = (
    ("01-wrong-secret", 7000215), ("02-secret-expired", 7000222),
    ("03-certificate-refused", 700027), ("04-assertion-clock", 700024),
    ("05-no-such-app", 700016), ("06-scope-not-default", 1002012),
    ("07-scope-invalid", 70011), ("08-resource-not-in-org", 500011),
    ("09-no-admin-consent", 65001), ("10-no-such-org", 90002),
    ("11-org-not-recognised", 900023), ("12-app-disabled", 7000112),
    ("13-cloud-not-recognised", 50049), ("14-org-in-another-cloud", 900382),
)


def _certificate(fake: FakeIdentity):
    """A new key and certificate, registered on the fake's CERT_APP, as o365desk reads it."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from o365desk.auth.credentials import load_certificate
    from tests.e2e.certificates import certificate, key_pem, rsa_key

    key = rsa_key()
    cert = certificate(key)
    fake.register_app_certificate(CERT_APP, cert, roles=("User.Read.All",),
                                  name="Reports automation")
    return load_certificate(key_pem(key) + cert.public_bytes(Encoding.PEM))


async def main(out: Path) -> None:
    with fake_identity() as fake:
        fake.register_app(APP, SECRET, roles=("User.Read.All",), name="Payroll automation")
        services = memory_services(_HOME)
        saved = services.store.add(Connection(
            "Payroll daemon", description="Nightly payroll export", tenant=DEFAULT_DOMAIN,
            client_id=APP, kind=Kind.APP_ONLY, authority=fake.authority(DEFAULT_DOMAIN),
            graph_endpoint=fake.graph_url, scopes=("User.Read.All",),
            credential=Credential(CredentialType.SECRET)))
        services.vault().set(saved.id, CLIENT_SECRET, SECRET)
        create_app_only_certificate(services, Connection(
            "Reports (certificate)", tenant=DEFAULT_DOMAIN, client_id=CERT_APP,
            authority=fake.authority(DEFAULT_DOMAIN), graph_endpoint=fake.graph_url,
            scopes=("User.Read.All",)), _certificate(fake))
        window, controller = await open_main_window(services, 1180, 700)
        window.table.setFocus()

        for name, code in CODES:
            choose(controller, window, "Reports (certificate)" if code in CERTIFICATE_CODES
                   else "Payroll daemon")
            fake.fail_token(code, grant="client_credentials")
            window.result_bar.hide()
            window.act_test.trigger()  # what Ctrl+T and the Test button do
            await wait_until(lambda: window.result_bar.isVisible()
                             and not controller.runner.busy)
            explanation = controller.actions._explanation  # noqa: SLF001 (what the bar shows)
            if explanation is None or explanation.code != f"AADSTS{code}":
                raise RuntimeError(f"AADSTS{code} was shown as "
                                   f"{explanation.code if explanation else 'a success'}")
            await both(window, out, name)

        # The raw answer for IT, one click away: Details… on the wrong-secret failure.
        fake.fail_token(7000215, grant="client_credentials")
        choose(controller, window, "Payroll daemon")
        window.result_bar.hide()
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        for button in window.result_bar.findChildren(QPushButton):
            if button.accessibleName() == "Show the error details" and button.isVisible():
                button.click()
        await wait_until(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                                     for w in QApplication.topLevelWidgets()))
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        for button in box.buttons():  # "Show Details…": the raw answer in view
            if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
                button.click()
        await asyncio.sleep(0.2)
        await both(box, out, "15-wrong-secret-details")
        box.done(0)

        # And when it works: the result bar names the application permissions it carries.
        window.result_bar.hide()
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        await both(window, out, "16-works-roles-named")
        window.close()


if __name__ == "__main__":
    from shot_runner import run_tool  # beside this script

    sys.exit(run_tool(main, __doc__))
