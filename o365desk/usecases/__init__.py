"""What a person does with connections, written once for the window and the command line.

Every use case here is a plain function taking the shared `Services` first. They block
(the connections file, the keychain, the network): the window runs them off the GUI
thread, the command line calls them directly. Neither face touches the store, the vault,
a sign-in session or Microsoft Graph for these things on its own, so the two can't drift
apart (tests/e2e/test_usecases_faces.py runs each through both and compares what is saved).
"""

from o365desk.usecases.catalog import refresh_catalog
from o365desk.usecases.connections import EditResult, create, delete, edit, rename
from o365desk.usecases.signin import access_token, record_sign_in, sign_out
from o365desk.usecases.testing import TestOutcome, test

__all__ = [
    "EditResult",
    "TestOutcome",
    "access_token",
    "create",
    "delete",
    "edit",
    "record_sign_in",
    "refresh_catalog",
    "rename",
    "sign_out",
    "test",
]
