"""The New connection wizard against a sign-in service whose ID token can't be trusted:
real pages, real QtWebEngine, real MSAL, the fake. The wizard says so plainly, keeps no
tokens and creates no connection."""

from __future__ import annotations

import pytest

from o365desk.core.signin_errors import Action
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.browser import signing_in, stand_in_browser
from tests.ui.wizard_helpers import fill_to_signin, sign_in_embedded, vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def refused_panel(qtbot, wizard):
    page = wizard.signin_page
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel
                    and Action.SIGN_IN_AGAIN in page.error_panel.buttons, timeout=30000)
    return page.error_panel


@pytest.mark.parametrize("flow", ["embedded", "browser"])
def test_a_wrong_audience_is_refused_and_nothing_is_kept(
    qtbot, make_wizard, fake_identity, services, store_path, keyring_backend, monkeypatch,
    flow,
):
    fake_identity.id_token_changes = {"aud": "00000000-0000-0000-0000-00000000beef"}
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    if flow == "embedded":
        sign_in_embedded(qtbot, wizard)
    else:
        stand_in_browser(monkeypatch, signing_in(fake_identity))
        wizard.signin_page.begin_browser()
    panel = refused_panel(qtbot, wizard)
    assert panel.title.text() == "Sign-in answer refused"
    assert "Nothing was saved" in panel.message.text()
    assert wizard.currentId() == PageId.SIGNIN
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert not store_path.exists() or services.store.load() == []
