"""The clouds' own host names (login.microsoftonline.us, graph.microsoft.us, ...) resolved
to the fake identity platform, for tests only.

``resolving_to_fake(port)`` makes this process's name look-ups (socket.getaddrinfo, which
urllib3 and so requests and MSAL use) answer 127.0.0.1 and the fake's port for those hosts
on port 443, while it is active; every other name resolves as before. The product keeps
its own URLs (https://login.microsoftonline.us/...): only where the connection lands moves.

``chromium_rules(port)`` is the same for QtWebEngine, as --host-resolver-rules for
QTWEBENGINE_CHROMIUM_FLAGS (set before QtWebEngine starts).

Run as ``python -m tests.fakes.identity.cloud_hosts PORT ARGS...`` it is o365desk's CLI
(``python -m o365desk ARGS...``) with the override on, for tests running the CLI as a
process of its own.
"""

from __future__ import annotations

import contextlib
import runpy
import socket
import sys
from collections.abc import Iterable, Iterator

from .server import CLOUD_HOSTS

_HTTPS_PORTS = ("443", "https")


def _name(host) -> str:
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host or "")
    return text.lower().rstrip(".")


@contextlib.contextmanager
def resolving_to_fake(port: int, hosts: Iterable[str] = CLOUD_HOSTS) -> Iterator[None]:
    names = frozenset(hosts)
    original = socket.getaddrinfo

    def getaddrinfo(host, service, family=0, type=0, proto=0, flags=0):
        if _name(host) in names and str(service) in _HTTPS_PORTS:
            if family not in (0, socket.AF_UNSPEC, socket.AF_INET):
                raise socket.gaierror(socket.EAI_FAMILY, "the fake answers on IPv4 only")
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "",
                     ("127.0.0.1", port))]
        return original(host, service, family, type, proto, flags)

    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.getaddrinfo = original


def chromium_rules(port: int, hosts: Iterable[str] = CLOUD_HOSTS) -> str:
    """'--host-resolver-rules="MAP a 127.0.0.1:PORT, ..."' (quoted, as
    QTWEBENGINE_CHROMIUM_FLAGS takes an argument with spaces)."""
    rules = ", ".join(f"MAP {host} 127.0.0.1:{port}" for host in sorted(hosts))
    return f'--host-resolver-rules="{rules}"'


def main(argv: list[str]) -> int:
    port, *args = argv
    sys.argv = ["o365desk", *args]
    with resolving_to_fake(int(port)):
        try:
            runpy.run_module("o365desk", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            code = exc.code
            return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
