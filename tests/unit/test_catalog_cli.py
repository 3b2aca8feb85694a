"""`o365desk scopes` and `o365desk scope` through argparse, as the CLI will wire them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from o365desk.cli.scopes import add_scope_parsers, cmd_scope, cmd_scopes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"


def run(capsys, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="o365desk")
    add_scope_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    code = {"scopes": cmd_scopes, "scope": cmd_scope}[args.command](args, None)
    return code, capsys.readouterr().out


def test_scopes_searches_and_prints_a_table(capsys):
    code, out = run(capsys, "scopes", "mail", "send", "--type", "delegated")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["NAME", "DELEGATED", "APPLICATION", "STATUS"]
    assert lines[1].split()[:4] == ["Mail.Send", "user", "admin", "active"]


def test_scopes_json_is_stable(capsys):
    code, out = run(capsys, "scopes", "--status", "retired", "--admin-consent", "yes",
                    "--group", "identity governance", "--json")
    data = json.loads(out)
    assert code == 0 and data["version"] == 1
    assert data["filters"] == {"group": "Identity governance", "type": None,
                               "admin_consent": True, "status": "retired"}
    assert [p["name"] for p in data["permissions"]] == ["ProgramControl.Read.All",
                                                        "ProgramControl.ReadWrite.All"]
    first = data["permissions"][0]
    assert set(first) == {"name", "group", "description", "status", "delegated",
                          "application", "origin"}
    assert first["status"] == {"state": "retired", "date": "2023-05-19",
                               "note": first["status"]["note"], "applies_to": ""}
    assert set(first["delegated"]) == {"id", "admin_consent", "privilege", "reach"}
    assert data["catalog"]["count"] == 985 and data["catalog"]["tenant_imported_at"] is None


def test_scope_shows_every_fact_by_name_or_id(capsys):
    code, out = run(capsys, "scope", "directory.readwrite.all")
    assert code == 0
    assert "c5366453-9fb0-48a5-a156-24f0c49a4b84 (Scope)" in out
    assert "19dbc75e-c2e2-444c-a770-ec69d8559fc7 (Role)" in out
    assert "Less privileged: Directory.Read.All, User.ReadWrite.All" in out
    assert "API paths (" in out
    code, out = run(capsys, "scope", "b633e1c5-b582-4048-a93e-9f11b44c7e96", "--json")
    data = json.loads(out)["permission"]
    assert data["name"] == "Mail.Send" and data["paths"][0]["methods"] == ["POST"]
    assert set(data["paths"][0]) == {"methods", "path", "kinds", "personal_accounts",
                                     "least_privileged_for", "also_requires"}


def test_unknown_scope_suggests_a_name(capsys):
    with pytest.raises(ValueError, match='Did you mean Mail.Send'):
        run(capsys, "scope", "Mail.Sned")


def test_unknown_group_lists_the_groups(capsys):
    with pytest.raises(ValueError, match="Groups: Sign-in"):
        run(capsys, "scopes", "--group", "nonsense")


def test_preset_lists_flags_and_prints_a_manifest(capsys):
    code, out = run(capsys, "scopes", "--preset", "okta-o365-admin")
    assert code == 0 and "62 delegated scopes" in out
    assert "! Retired 2023-05-19" in out and "7 scopes flagged" in out
    code, out = run(capsys, "scopes", "--preset", "mail-automation", "--manifest")
    manifest = json.loads(out)["requiredResourceAccess"][0]
    assert len(manifest["resourceAccess"]) == 7
    code, out = run(capsys, "scopes", "--preset", "read-only-directory", "--json")
    preset = json.loads(out)["preset"]
    assert preset["scope_string"].startswith("openid profile offline_access User.Read ")


@pytest.mark.parametrize("argv", [
    ("scopes", "--manifest"),
    ("scopes", "mail", "--preset", "mail-automation"),
    ("scopes", "--preset", "mail-automation", "--import-tenant", "x.json"),
])
def test_usage_errors(capsys, argv):
    from o365desk.cli.errors import UsageError

    with pytest.raises(UsageError):
        run(capsys, *argv)


def test_import_tenant_reports_and_the_wording_shows_afterwards(capsys):
    code, out = run(capsys, "scopes", "--import-tenant", str(FIXTURES / "graph-sp-small.json"))
    assert code == 0
    assert "Imported 5 delegated scopes and 3 app roles" in out
    assert "Widget.Read.All (delegated)" in out
    code, out = run(capsys, "scope", "User.Read")
    assert "Fixture: tenant wording for the delegated User.Read scope." in out
    code, out = run(capsys, "scope", "Widget.Read.All", "--json")
    data = json.loads(out)
    assert data["permission"]["origin"] == "tenant"
    assert data["catalog"]["tenant_imported_at"]


def test_import_tenant_json_and_malformed_file(capsys):
    code, out = run(capsys, "scopes", "--import-tenant", str(FIXTURES / "graph-sp-small.json"),
                    "--json")
    data = json.loads(out)["import"]
    assert data["added"] == [{"name": "Widget.Read.All", "type": "delegated"}]
    assert data["changed_ids"][0]["name"] == "Group.ReadWrite.All"
    with pytest.raises(ValueError, match="not valid JSON"):
        run(capsys, "scopes", "--import-tenant", str(FIXTURES / "not-json.json"))
