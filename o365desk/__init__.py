"""o365desk: a desktop connection manager for Microsoft 365 / Entra ID admin connections."""

__version__ = "0.1.0"
