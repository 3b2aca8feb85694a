"""Qt-free: the few Microsoft Graph calls o365desk makes (test connection, catalog refresh)."""
