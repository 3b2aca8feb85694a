"""A throw-away QtWebEngine profile for one sign-in: temp storage, memory cache, extra CAs."""

from __future__ import annotations

import atexit
import itertools
import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtNetwork import QSslCertificate
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineProfileBuilder

from o365desk.core import tls

log = logging.getLogger(__name__)
_names = itertools.count(1)


def trusted_certificates(extra_ca_pem_paths: Iterable[Path | str] = ()) -> list[QSslCertificate]:
    """The extra CAs (core.tls.configured_ca_files: variable, settings, given files) for Qt.

    A missing or unreadable file adds nothing: the page then refuses the certificate and
    the sign-in reports a certificate problem, which names the setting to check.
    """
    certificates: list[QSslCertificate] = []
    for path, _origin in tls.configured_ca_files([str(p) for p in extra_ca_pem_paths]):
        found = QSslCertificate.fromPath(str(path))
        if not found:
            log.warning("no usable certificate in %s", path)
        certificates += found
    return certificates


# Chromium tears a profile down in its own time and writes a few files (network state,
# preferences) into the storage path after the Qt object is gone: remove the folder now,
# then again a little later, and once more at exit.
_RETRY_MS = (300, 1000, 3000, 10000)


def remove_soon(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    for delay in _RETRY_MS:
        QTimer.singleShot(delay, lambda: shutil.rmtree(directory, ignore_errors=True))


class SignInProfile:
    """A QWebEngineProfile of its own for one sign-in, deleted with its folder afterwards.

    Nothing of a sign-in outlives it: cookies are never written to disk, the HTTP cache
    lives in memory, and the ~1.4 MB Chromium writes to the storage path go with the
    temporary folder when `close()` runs.
    """

    def __init__(self, extra_ca_pem_paths: Iterable[Path | str] = ()) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="o365desk-signin-"))
        builder = QWebEngineProfileBuilder()
        builder.setPersistentStoragePath(str(self.directory / "storage"))
        builder.setCachePath(str(self.directory / "cache"))
        builder.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        builder.setPersistentCookiesPolicy(
            QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies
        )
        builder.setAdditionalTrustedCertificates(trusted_certificates(extra_ca_pem_paths))
        # A unique name: two profiles with one storage name would share their data.
        name = f"o365desk-signin-{next(_names)}-{self.directory.name}"
        self.profile: QWebEngineProfile | None = builder.createProfile(name, None)

    def close(self) -> None:
        """Forget cookies and cache, delete the profile, remove its folder.

        Call it only after every page of the profile was deleted (Qt warns otherwise).
        """
        profile, self.profile = self.profile, None
        if profile is not None:
            profile.cookieStore().deleteAllCookies()
            profile.clearHttpCache()
            # Later, not now: the web engine finishes tearing down the page just deleted
            # on the next turn of the event loop, and a profile deleted under it aborts
            # the process now and then (seen under load, about 1 in 10 sign-in dialogs).
            profile.deleteLater()
        remove_soon(self.directory)
