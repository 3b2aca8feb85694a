"""`o365desk doctor` says how many templates the IT policy offers and whether they could be
read: a real folder, an address on a local HTTPS server (trusted through the test CA, as a
company CA is), and one that can't be reached. Real processes, a real policy file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from o365desk.core import policy_sources
from o365desk.core import template as tpl
from o365desk.core.tls import EXTRA_CA_ENV
from tests.fakes.template_site import TemplateSite


def template(*nicknames: str, **extra) -> str:
    return json.dumps({"format": tpl.FORMAT, "version": 1, "connections": [
        {"nickname": n, "tenant": "contoso.com", "scopes": ["User.Read"], **extra}
        for n in nicknames]})


@pytest.fixture
def policy(tmp_path, monkeypatch, config_dir):
    assert not policy_sources.LINUX_FILE.exists()
    path = tmp_path / "policy.json"
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(path))

    def write(templates: str) -> None:
        path.write_text(json.dumps({"templates": templates}))

    return write


def doctor() -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "o365desk", "doctor"], capture_output=True,
                          text=True, timeout=300, env=env)


def templates_lines(out: str) -> list[str]:
    lines = out.splitlines()
    found = [i for i, line in enumerate(lines) if "IT templates:" in line]
    assert found, out
    end = found[-1] + 1
    while end < len(lines) and lines[end].startswith("        "):
        end += 1
    return lines[found[0]:end]


def test_doctor_counts_a_folders_templates_and_names_the_refused(policy, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "payroll.o365template").write_text(template("Payroll", "Payroll EU"))
    (folder / "bad.o365template").write_text(template("Bad", password="hunter2"))
    policy(str(folder))
    done = doctor()
    assert "hunter2" not in done.stdout + done.stderr
    assert templates_lines(done.stdout) == [
        f"[ok] IT templates: The IT policy offers 2 templates from {folder}; 1 file can't "
        "be used.",
        "        Payroll (from payroll.o365template)",
        "        Payroll EU (from payroll.o365template)",
        '[warning] IT templates: bad.o365template can\'t be used: Connection 1, "password": '
        "a template never holds secrets, keys, tokens, accounts or connection IDs; remove "
        "this field."]
    assert "IT templates" not in done.stderr


def test_doctor_reads_an_https_address_and_says_when_it_cant(policy, tmp_path, monkeypatch):
    with TemplateSite(tmp_path) as site:
        monkeypatch.setenv(EXTRA_CA_ENV, site.ca_pem_path)
        url = site.put("/o365desk/helpdesk.o365template", template("Helpdesk"))
        policy(url)
        done = doctor()
        assert templates_lines(done.stdout) == [
            f"[ok] IT templates: The IT policy offers 1 template from {url}.",
            f"        Helpdesk (from {url})"]
        assert site.requests == ["/o365desk/helpdesk.o365template"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy(f"https://127.0.0.1:{port}/index.json")
    assert templates_lines(doctor().stdout) == [
        f"[warning] IT templates: Your IT team's templates can't be read from "
        f"https://127.0.0.1:{port}/index.json because the server could not be reached (the "
        "computer may be offline). You can still set up a connection without them; try "
        "again later, or tell your IT team if it goes on."]
