"""The HTTP session one sign-in session's MSAL app and its Graph calls share."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from o365desk.auth.http import TrustedCertificatesError, http_session
from o365desk.auth.proxy import ProxySettingError
from o365desk.auth.results import trusted_certificates_refused


class SessionHttp:
    """The requests session given, or one made on first use (the extra trusted CAs, the
    proxy, bounded answers) and then closed here; a CA file or proxy setting that can't
    be used is the session's plain refusal (SignInError), never a traceback."""

    def __init__(self, given: Any, extra_ca_files: Iterable[str], timeout: Any) -> None:
        self._client = given
        self._owned = given is None
        self._extra_ca_files = tuple(extra_ca_files)
        self._timeout = timeout
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    self._client = http_session(self._extra_ca_files, self._timeout)
                except (TrustedCertificatesError, ProxySettingError) as exc:
                    raise trusted_certificates_refused(exc) from exc
            return self._client

    def close(self) -> bool:
        """Close the session made here, if any; True when one was closed (whatever held
        it, such as an MSAL app, must then be made again)."""
        with self._lock:
            if not self._owned or self._client is None:
                return False
            self._client.close()
            self._client = None
            return True
