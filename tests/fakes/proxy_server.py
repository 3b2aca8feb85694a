"""A real HTTP proxy (proxy.py, from the package index) on loopback, for the proxy tests.

``LoopbackProxy.start(...)`` runs ``python -m proxy`` in a process of its own on a free
port of 127.0.0.1 and waits (with a deadline) until it listens; ``stop()`` ends it. What
it did is written by a plugin (ConnectLog) the moment it happens: ``connects()`` lists
the ``host:port`` of every CONNECT it let through (after any password check),
``wait_for_connect(host)`` waits (with a deadline) for one.

With ``resolve_fake=PORT`` the proxy process resolves the clouds' own host names
(login.microsoftonline.us, graph.microsoft.com, ...) to the fake identity platform, as
tests/fakes/identity/cloud_hosts.py does in the test process: the proxy, not o365desk,
looks those names up once a proxy is in the way.

Run as ``python -m tests.fakes.proxy_server FAKE_PORT PROXY_ARGS...`` it is proxy.py with
that override on (FAKE_PORT 0: none).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
_START_DEADLINE_S = 60  # starting Python and proxy.py on a loaded machine
_CONNECT = re.compile(r"^CONNECT (\S+)$", re.MULTILINE)
_SEEN_ENV = "O365DESK_TEST_PROXY_SEEN"


class LoopbackProxy:
    def __init__(self, process: subprocess.Popen, folder: Path, port: int) -> None:
        self.process, self.folder, self.port = process, folder, port
        self.log_path = folder / "seen.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, *, basic_auth: str | None = None, resolve_fake: int = 0,
              intercept: tuple[Path, Path] | None = None,
              upstream_ca: Path | None = None) -> LoopbackProxy:
        """`intercept`: (CA certificate, CA key) PEM files; the proxy then re-signs the
        traffic with certificates of that CA, trusting `upstream_ca` for the servers."""
        folder = Path(tempfile.mkdtemp(prefix="o365desk-proxy-"))
        port_file = folder / "port"
        args = [sys.executable, "-m", "tests.fakes.proxy_server", str(resolve_fake),
                "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
                "--num-acceptors", "1", "--num-workers", "1", "--threaded",
                "--log-level", "INFO", "--log-file", str(folder / "proxy.log"),
                "--timeout", "10", "--plugins", "tests.fakes.proxy_server.ConnectLog"]
        if basic_auth:
            args += ["--basic-auth", basic_auth]
        if intercept:
            cert, key = intercept
            certs = folder / "certs"
            certs.mkdir()
            args += ["--ca-cert-file", str(cert), "--ca-key-file", str(key),
                     "--ca-signing-key-file", str(key), "--ca-cert-dir", str(certs)]
        if upstream_ca:
            args += ["--ca-file", str(upstream_ca)]
        env = {**os.environ, "PYTHONPATH": str(_ROOT), _SEEN_ENV: str(folder / "seen.log")}
        for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                     "ALL_PROXY", "all_proxy"):
            env.pop(name, None)
        stderr = (folder / "stderr").open("wb")
        process = subprocess.Popen(args, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=stderr, stderr=stderr)
        deadline = time.monotonic() + _START_DEADLINE_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("proxy.py ended at once:\n"
                                   + (folder / "stderr").read_text(errors="replace"))
            text = port_file.read_text() if port_file.exists() else ""
            if text.strip().isdigit():
                return cls(process, folder, int(text))
            time.sleep(0.1)
        process.kill()
        process.wait(10)
        raise RuntimeError("proxy.py did not start listening in time")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def connects(self) -> list[str]:
        """host:port of every CONNECT the proxy let through, in order."""
        return _CONNECT.findall(self.log())

    def wait_for_connect(self, host_port: str, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if host_port in self.connects():
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _connect_log():
    from proxy.http.proxy import HttpProxyBasePlugin

    class ConnectLog(HttpProxyBasePlugin):
        """Notes each CONNECT let through (it runs after proxy.py's password check)."""

        def before_upstream_connection(self, request):
            if request.method == b"CONNECT":
                host = (request.host or b"").decode("ascii", "replace")
                with open(os.environ[_SEEN_ENV], "a", encoding="utf-8") as out:
                    out.write(f"CONNECT {host}:{request.port}\n")
            return request

    return ConnectLog


def __getattr__(name: str):
    if name == "ConnectLog":  # proxy.py is imported only in the proxy's own process
        return _connect_log()
    raise AttributeError(name)


def main(argv: list[str]) -> int:
    fake_port, *args = argv
    sys.argv = ["proxy", *args]
    from proxy import entry_point

    if int(fake_port):
        from tests.fakes.identity.cloud_hosts import resolving_to_fake

        with resolving_to_fake(int(fake_port)):
            entry_point()
    else:
        entry_point()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
