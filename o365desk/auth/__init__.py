"""Qt-free sign-in helpers: MSAL's HTTP session, token claims for display, log redaction."""
