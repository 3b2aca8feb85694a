"""Qt: the main window, the scope browser, their models and dialogs."""

from o365desk.ui.none_guard import keep_none_alive

keep_none_alive()
