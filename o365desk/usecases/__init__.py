"""What a person does with connections, written once for the window and the command line.

Every use case here is a plain function taking the shared `Services` first. They block
(the connections file, the keychain, the network): the window runs them off the GUI
thread, the command line calls them directly. Neither face touches the store, the vault,
a sign-in session or Microsoft Graph for these things on its own, so the two can't drift
apart (tests/e2e/test_usecases_faces.py runs each through both and compares what is saved).
"""

import importlib
from typing import Any

# Each name's module, loaded on first use: the window imports this package before its
# first paint, and needs none of the use cases until a person acts.
_HOMES = {
    "refresh_catalog": "catalog",
    "EditResult": "connections", "create": "connections", "delete": "connections",
    "edit": "connections", "rename": "connections",
    "access_token": "signin", "record_sign_in": "signin", "sign_out": "signin",
    "TestOutcome": "testing", "test": "testing",
    "create_app_only": "app_only", "replace_secret": "app_only",
    "token_health": "health", "keep_alive": "health",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'o365desk.usecases' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"o365desk.usecases.{home}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "EditResult",
    "TestOutcome",
    "access_token",
    "create",
    "create_app_only",
    "delete",
    "edit",
    "token_health",
    "keep_alive",
    "record_sign_in",
    "refresh_catalog",
    "rename",
    "replace_secret",
    "sign_out",
    "test",
]
