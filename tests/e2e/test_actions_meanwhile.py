"""Actions on a connection while something else happens to it: a test still running, a
deletion, a deletion from the command line. Real MSAL against the fake; the in-memory
keychain."""

from __future__ import annotations

import pytest

from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import Vault
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.helpers import select
from tests.ui.webengine_helpers import fill_sign_in
from tests.ui.wizard_helpers import vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def test_no_delete_while_a_test_of_the_connection_runs(qtbot, signed_in, open_window,  # noqa: F811
                                                       services, keyring_backend,
                                                       fake_identity, dialog_log):  # noqa: F811
    conn = signed_in()
    window, controller = open_window()
    select(window, controller, "Contoso admin")
    fake_identity.expire_access_tokens()  # Graph says 401: the test refreshes the token
    fake_identity.token_delay = 1.5  # ... slowly
    window.act_test.trigger()
    qtbot.waitUntil(lambda: controller.actions.is_busy(conn.id), timeout=5000)
    assert not window.act_delete.isEnabled() and not window.details.delete_button.isEnabled()
    assert "current action" in window.act_delete.toolTip()
    qtbot.waitUntil(lambda: not controller.actions.is_busy(conn.id), timeout=20000)
    assert window.act_delete.isEnabled()
    dialog_log.confirm_answer = True
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: services.store.load() == [] and not controller.runner.busy,
                    timeout=10000)
    assert vault_entries(keyring_backend, conn.id) == set()


def test_the_result_bar_goes_with_its_connection(qtbot, signed_in, open_window,  # noqa: F811
                                                 fake_identity, dialog_log):  # noqa: F811
    signed_in(nickname="A tenant")
    signed_in(nickname="B tenant")
    window, controller = open_window()
    select(window, controller, "B tenant")
    fake_identity.revoke_refresh_tokens()
    fake_identity.expire_access_tokens()
    window.act_test.trigger()
    qtbot.waitUntil(lambda: window.result_bar.isVisible() and not controller.runner.busy,
                    timeout=20000)
    assert "B tenant" in window.result_bar.text()
    dialog_log.confirm_answer = True
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1 and not controller.runner.busy,
                    timeout=10000)
    assert not window.result_bar.isVisible()  # its buttons would act on "A tenant"


def test_signing_in_again_doesnt_bring_back_a_connection_deleted_meanwhile(
        qtbot, signed_in, open_window, services, store_path, keyring_backend,  # noqa: F811
        fake_identity):
    conn = signed_in()
    window, controller = open_window()
    select(window, controller, "Contoso admin")
    window.details.sign_in_button.click()
    dialog = controller.actions.dialog
    qtbot.waitUntil(lambda: dialog.page.view.running, timeout=15000)
    # Meanwhile, in a terminal: o365desk delete "Contoso admin" --yes
    cli = Services(ConnectionStore(store_path), vault_factory=lambda: Vault(keyring_backend))
    cli.delete_connection(cli.store.find("Contoso admin"))
    fill_sign_in(qtbot, dialog.page.view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    qtbot.waitUntil(lambda: dialog.save_problem.isVisible(), timeout=20000)
    assert "was deleted meanwhile" in dialog.save_problem.text()
    assert ConnectionStore(store_path).load() == []
    assert vault_entries(keyring_backend, conn.id) == set()  # its new tokens went too
    dialog.reject()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 0, timeout=5000)
