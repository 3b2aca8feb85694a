"""The wizard's Copy admin-consent link when Microsoft's sign-in page itself shows AADSTS65001
(an error page in the real embedded view, no answer to the app): the link is still the
connection's v2.0 one, asked of auth for the draft connection."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from o365desk.core.signin_errors import Action
from tests.e2e.test_wizard_signin import _error_panel_with
from tests.fakes.identity import DEFAULT_CLIENT_ID
from tests.ui.wizard_helpers import fill_to_signin

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def test_an_error_page_still_copies_the_v2_link(qtbot, make_wizard, fake_identity):
    fake_identity.fail_authorize(65001, at="authorize", as_page=True)
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read", "Mail.Send"))
    panel = _error_panel_with(qtbot, wizard, Action.COPY_ADMIN_CONSENT_LINK)
    assert panel.explanation.code == "AADSTS65001"
    assert panel.explanation.admin_consent_url is None  # the page's words, no connection
    QGuiApplication.clipboard().clear()
    button = panel.buttons[Action.COPY_ADMIN_CONSENT_LINK]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    link = urlsplit(QGuiApplication.clipboard().text())
    assert f"{link.scheme}://{link.netloc}{link.path}" == \
        f"{fake_identity.base_url}/contoso.onmicrosoft.com/v2.0/adminconsent"
    query = parse_qs(link.query, strict_parsing=True)
    assert query["client_id"] == [DEFAULT_CLIENT_ID]
    assert set(query["scope"][0].split()) == {"https://graph.microsoft.com/User.Read",
                                              "https://graph.microsoft.com/Mail.Send"}
    assert query["redirect_uri"] == ["http://localhost"] and query["state"][0]
