"""`o365desk keep-alive` under an IT policy, in processes: the policy's keep_alive_days wins
over settings.json's (0 is off even when settings.json turns it on). A real policy file
(O365DESK_POLICY_FILE: this machine has none), real MSAL against the fake identity platform."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from o365desk.core import policy_sources
from tests.e2e.test_cli_health import craft, iso, signed_in  # noqa: F401  (a fixture)
from tests.e2e.test_cli_signin import cli_env, o365desk  # noqa: F401  (a fixture)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture
def under_policy(signed_in, tmp_path, config_dir):  # noqa: F811
    assert not policy_sources.LINUX_FILE.exists()
    path = tmp_path / "policy.json"
    env = {**signed_in, policy_sources.POLICY_ENV: str(path)}
    craft(config_dir, "Payroll",
          last_refreshed_at=iso(datetime.now(UTC) - timedelta(days=30)))

    def run(policy: dict, settings: dict) -> tuple:
        path.write_text(json.dumps(policy))
        (config_dir / "settings.json").write_text(json.dumps(settings))
        return o365desk(env, "keep-alive"), str(path)

    return run


def test_the_policys_zero_turns_keep_alive_off_though_settings_json_says_20(
        fake_identity, under_policy):
    before = len(fake_identity.requests_to("/token"))
    done, where = under_policy({"keep_alive_days": 0}, {"keep_alive_days": 20})
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Keep-alive is off: your IT team's policy turns it off ({where} sets "
        '"keep_alive_days" to 0), so nothing was refreshed. To refresh the sign-ins once '
        "anyway, run: o365desk keep-alive --days N\n")
    assert len(fake_identity.requests_to("/token")) == before


def test_the_policys_days_win_over_settings_json_both_ways(fake_identity, under_policy):
    # settings.json says 20 (due: refreshed 30 days ago); the policy's 40 makes it not due.
    quiet, _ = under_policy({"keep_alive_days": 40}, {"keep_alive_days": 20})
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ("No sign-in needed a refresh (keep-alive refreshes those not "
                            "refreshed for 40 days).\n")
    # settings.json leaves it off; the policy's 20 turns it on, and the refresh happens.
    before = len(fake_identity.requests_to("/token"))
    done, _ = under_policy({"keep_alive_days": 20}, {})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Payroll: Its sign-in was refreshed.\n"
    assert len(fake_identity.requests_to("/token")) == before + 1


def test_a_policy_without_the_key_leaves_settings_json_in_charge(fake_identity, under_policy):
    before = len(fake_identity.requests_to("/token"))
    done, _ = under_policy({"allowed_clouds": ["global"]}, {"keep_alive_days": 20})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Payroll: Its sign-in was refreshed.\n"
    assert len(fake_identity.requests_to("/token")) == before + 1
