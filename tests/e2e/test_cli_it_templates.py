"""`o365desk import --from-policy [NAME]`: the IT policy's templates on the command line.
Real processes, a real policy file (O365DESK_POLICY_FILE: this machine has none) and a
real folder of templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from o365desk.core import policy_sources
from o365desk.core import template as tpl


def template(*entries: dict) -> str:
    return json.dumps({"format": tpl.FORMAT, "version": 1, "connections": list(entries)})


PAYROLL = {"nickname": "Payroll", "description": "Payroll team", "tenant": "contoso.com",
           "cloud": "usgov", "scopes": ["User.Read", "Mail.Send"], "locked": ["tenant"]}


def o365desk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy(),
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def offered(tmp_path, monkeypatch, config_dir):
    assert not policy_sources.LINUX_FILE.exists()
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "payroll.o365template").write_text(template(PAYROLL))
    (folder / "bad.o365template").write_text(template({**PAYROLL, "token": "x"}))
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"templates": str(folder)}))
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    return folder


def test_listing_and_importing_one_of_the_policys_templates(offered):
    listed = o365desk("import", "--from-policy")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == (
        f"The IT policy offers 1 template from {offered}; 1 file can't be used.\n"
        '  "Payroll": Payroll team (from payroll.o365template)\n'
        "  can't be used: bad.o365template: Connection 1, \"token\": a template never "
        "holds secrets, keys, tokens, accounts or connection IDs; remove this field.\n"
        'To create one, run: o365desk import --from-policy "NAME"\n')
    asks = o365desk("import", "--from-policy", "payroll")
    assert asks.returncode == 2 and "add --yes" in asks.stderr
    done = o365desk("import", "--from-policy", "payroll", "--yes", "--nickname",
                    "Payroll (me)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('Will create "Payroll (me)": delegated, organisation '
                                  "contoso.com, US Government")
    [saved] = json.loads(o365desk("list", "--json").stdout)["connections"]
    assert (saved["nickname"], saved["tenant"], saved["cloud"]) == \
        ("Payroll (me)", "contoso.com", "usgov")


def test_a_name_the_policy_does_not_offer_says_which_it_does(offered):
    done = o365desk("import", "--from-policy", "Helpdesk", "--yes")
    assert done.returncode == 1
    assert done.stderr == ('o365desk: Your IT team offers no template called "Helpdesk"; '
                           'it offers "Payroll". Run o365desk import --from-policy to see '
                           "them.\n")


def test_without_templates_in_the_policy_it_says_so(tmp_path, monkeypatch, config_dir):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"templates": str(tmp_path / "gone")}))
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    done = o365desk("import", "--from-policy")
    assert done.returncode == 1
    assert done.stderr.startswith("o365desk: Your IT team's templates can't be read: the "
                                  f"folder {tmp_path / 'gone'} the IT policy names")
    assert o365desk("import").returncode == 2
