"""What a person can do about a failure: each explanation (core.signin_errors) offers some."""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    """Something a person can do about a failure; the value is its button's English label."""

    COPY_ADMIN_CONSENT_LINK = "Copy admin-consent link"
    SIGN_IN_AGAIN = "Sign in again"
    USE_SYSTEM_BROWSER = "Sign in with your web browser"
    USE_DEVICE_CODE = "Use a code on another device"
    CHECK_ORGANISATION = "Check the organisation"
    CHECK_CLIENT_ID = "Check client ID and redirect URI"
    CHECK_PERMISSIONS = "Change permissions"
    CHECK_TRUSTED_CERTIFICATES = "Trusted certificates"
    CHECK_CLOCK = "Check date and time"
    # An app-only connection's client secret or certificate: a new one replaces it.
    REPLACE_CREDENTIAL = "Replace credential"
    RETRY = "Try again"
    CONTACT_ADMIN = "Copy details for IT"

    @property
    def label(self) -> str:
        return self.value
