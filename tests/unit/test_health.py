"""Token health: the facts recorded by sign-ins and refreshes (real MSAL against the fake
identity platform, a real store and vault), and the one rule that says "needs attention"."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from o365desk import usecases
from o365desk.auth.session import SignInError
from o365desk.core import health
from o365desk.core.connection import (
    Account,
    Connection,
    Credential,
    CredentialType,
    Kind,
    Status,
    utcnow,
)
from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from tests.unit.session_kit import make_connection, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]

ACCOUNT = Account("admin@contoso.com", "uid.utid", "utid")


def signed_in(days_ago: float | None, **kwargs) -> Connection:
    now = utcnow()
    return Connection("Payroll", account=ACCOUNT, scopes=("User.Read",),
                      last_refreshed_at=None if days_ago is None
                      else now - timedelta(days=days_ago), **kwargs)


# --- the rule ----------------------------------------------------------------------------


def test_a_sign_in_refreshed_recently_is_healthy_and_counts_down_to_its_lapse():
    now = utcnow()
    found = health.assess(signed_in(7), now)
    assert not found.needs_attention and found.status == Status.SIGNED_IN
    assert found.reason == "The saved sign-in lapses in 83 days if not used."
    assert found.refresh_lapses_at == found.last_refreshed_at + timedelta(days=90)


def test_a_sign_in_lapsing_within_two_weeks_needs_attention():
    found = health.assess(signed_in(85), utcnow())
    assert found.needs_attention
    assert found.reason == "The saved sign-in lapses in 5 days if not used."
    assert found.action.startswith("Sign in again")
    assert not health.assess(signed_in(90 - health.ATTENTION_DAYS - 1), utcnow()) \
        .needs_attention


def test_a_sign_in_unused_for_ninety_days_has_most_likely_lapsed():
    found = health.assess(signed_in(95), utcnow())
    assert found.needs_attention and found.status == Status.SIGN_IN_NEEDED
    assert "more than 90 days ago" in found.reason and found.action == "Sign in again."


def test_a_failed_refresh_says_why_in_the_words_of_that_failure():
    found = health.assess(signed_in(3, refresh_failure="AADSTS50173"), utcnow())
    assert found.needs_attention and found.status == Status.SIGN_IN_NEEDED
    assert found.reason.startswith("Its last refresh failed. The saved sign-in for this "
                                   "connection was cancelled")
    assert found.action == "Sign in again."
    assert signed_in(3, refresh_failure="AADSTS50173").status() == Status.SIGN_IN_NEEDED
    gone = health.assess(signed_in(3, refresh_failure="not_signed_in"), utcnow())
    assert gone.reason.startswith("Its last refresh failed: this computer no longer has its "
                                  "saved sign-in")
    grant = health.assess(signed_in(3, refresh_failure="invalid_grant"), utcnow())
    assert "is no longer valid" in grant.reason


def test_signed_out_damaged_and_no_keychain_need_attention():
    assert health.assess(Connection("New"), utcnow()).reason == \
        "Nobody is signed in with this connection."
    damaged = health.assess(signed_in(1, damage="Its tenant is not valid."), utcnow())
    assert damaged.needs_attention and damaged.status == Status.DAMAGED
    locked = health.assess(signed_in(1), utcnow(), keychain_ok=False)
    assert locked.needs_attention and "keychain" in locked.reason


def test_a_sign_in_from_before_the_field_counts_from_the_cached_token():
    now = utcnow()
    found = health.assess(signed_in(None), now, cached_at=now - timedelta(days=80))
    assert found.needs_attention and "in 10 days" in found.reason
    unknown = health.assess(signed_in(None), now)
    assert not unknown.needs_attention and "not known" in unknown.reason


def test_an_app_credential_expiring_within_thirty_days_or_expired_needs_attention():
    now = utcnow()

    def app(days: int | None) -> Connection:
        return Connection("Daemon", kind=Kind.APP_ONLY, credential=Credential(
            CredentialType.SECRET, None if days is None else now + timedelta(days=days, hours=1)))

    assert not health.assess(app(200), now).needs_attention
    soon = health.assess(app(12), now)
    assert soon.needs_attention and soon.reason == "Secret expires in 12 days."
    assert "before then" in soon.action
    gone = health.assess(app(-3), now)
    assert gone.needs_attention and gone.status == Status.CREDENTIAL_EXPIRED
    assert not health.assess(app(None), now).needs_attention


def test_needing_attention_sorts_first_then_the_soonest_to_lapse():
    now = utcnow()
    ranked = sorted([health.assess(signed_in(d), now) for d in (5, 86, 30, 80)],
                    key=health.Health.sort_key)
    assert [h.reason.split(" in ")[1] for h in ranked] == \
        ["4 days if not used.", "10 days if not used.", "60 days if not used.",
         "85 days if not used."]


# --- the stored field --------------------------------------------------------------------


def test_last_refreshed_at_and_refresh_failure_round_trip(tmp_path):
    store = ConnectionStore(tmp_path / "connections.json")
    saved = store.add(signed_in(4, refresh_failure="invalid_grant"))
    [again] = ConnectionStore(store.path).load()
    assert again.last_refreshed_at == saved.last_refreshed_at
    assert again.refresh_failure == "invalid_grant"


@pytest.mark.parametrize("field, value", [
    ("last_refreshed_at", "yesterday"), ("last_refreshed_at", 1733300000),
    ("refresh_failure", "bad code\u202e"), ("refresh_failure", "x" * 200),
    ("refresh_failure", ["invalid_grant"]),
])
def test_a_wrong_health_field_marks_the_connection_damaged(tmp_path, field, value):
    path = tmp_path / "connections.json"
    store = ConnectionStore(path)
    store.add(signed_in(4))
    doc = json.loads(path.read_text())
    doc["connections"][0][field] = value
    path.write_text(json.dumps(doc))
    [loaded] = ConnectionStore(path).load()
    assert loaded.damage and field in loaded.damage
    assert health.assess(loaded, utcnow()).status == Status.DAMAGED


# --- recorded by sign-ins and refreshes (real MSAL, the fake identity platform) ----------


@pytest.fixture
def services(tmp_path, vault, trust_fake):
    svc = Services(ConnectionStore(tmp_path / "connections.json"), vault_factory=lambda: vault)
    yield svc
    for connection in svc.store.connections:
        svc.drop_session(connection.id)


@pytest.fixture
def saved(fake_identity, services):
    connection = services.store.add(make_connection(fake_identity))
    return services.record_sign_in(
        connection, sign_in(fake_identity, services.session_for(connection)))


def _backdate(services, connection, days: int) -> Connection:
    return services.store.patch(connection.id,
                                last_refreshed_at=utcnow() - timedelta(days=days))


def test_a_sign_in_records_its_time_and_the_token_expiry_comes_from_the_vault(services,
                                                                              saved):
    assert saved.last_refreshed_at is not None
    assert abs(saved.last_refreshed_at - utcnow()) < timedelta(minutes=5)
    [(_c, found)] = usecases.token_health(services)
    assert not found.needs_attention
    assert found.access_token_expires_at is not None
    assert found.access_token_expires_at > utcnow()
    assert found.reason == "The saved sign-in lapses in 89 days if not used." or \
        found.reason == "The saved sign-in lapses in 90 days if not used."


def test_a_refresh_from_microsoft_starts_the_count_again(fake_identity, services, saved):
    old = _backdate(services, saved, 85)
    assert usecases.token_health(services)[0][1].needs_attention
    services.session_for(old).acquire_silent()  # from the cache: nothing refreshed
    assert services.store.find(saved.id).last_refreshed_at == old.last_refreshed_at
    services.session_for(old).acquire_silent(force_refresh=True)
    now = services.store.find(saved.id)
    assert now.last_refreshed_at > old.last_refreshed_at
    assert not usecases.token_health(services)[0][1].needs_attention


def test_a_revoked_sign_in_is_recorded_and_a_new_sign_in_clears_it(fake_identity, services,
                                                                   saved):
    fake_identity.revoke_refresh_tokens()
    with pytest.raises(SignInError):
        services.session_for(saved).acquire_silent(force_refresh=True)
    failed = services.store.find(saved.id)
    assert failed.refresh_failure == "AADSTS50173"
    [(_c, found)] = usecases.token_health(services)
    assert found.needs_attention and found.status == Status.SIGN_IN_NEEDED
    assert "was cancelled" in found.reason and found.action == "Sign in again."
    again = services.record_sign_in(
        failed, sign_in(fake_identity, services.session_for(failed)))
    assert again.refresh_failure == ""
    assert not usecases.token_health(services)[0][1].needs_attention


def test_a_network_failure_is_not_recorded_as_a_lapsed_sign_in(fake_identity, services,
                                                                saved):
    fake_identity.fail_transport(503, times=None)
    with pytest.raises(SignInError):
        services.session_for(saved).acquire_silent(force_refresh=True)
    assert services.store.find(saved.id).refresh_failure == ""


def test_sign_out_forgets_the_refresh_facts(services, saved):
    out = services.sign_out(saved)
    assert out.last_refreshed_at is None and out.refresh_failure == ""


# --- the keep-alive setting and use case -------------------------------------------------


@pytest.mark.parametrize("text, days", [("{}", None), ('{"keep_alive_days": null}', None),
                                        ('{"keep_alive_days": 1}', 1),
                                        ('{"keep_alive_days": 89}', 89)])
def test_the_keep_alive_setting_is_a_number_of_days_or_absent(tmp_path, text, days):
    from o365desk.core import settings

    (tmp_path / "settings.json").write_text(text)
    loaded = settings.load(tmp_path / "settings.json")
    assert loaded.problem == "" and settings.keep_alive_days(loaded) == days


@pytest.mark.parametrize("value", ["0", "90", "true", '"7"', "7.5", "[7]"])
def test_a_wrong_keep_alive_setting_is_refused_with_what_to_write(tmp_path, value):
    from o365desk.core import settings

    (tmp_path / "settings.json").write_text(f'{{"keep_alive_days": {value}}}')
    loaded = settings.load(tmp_path / "settings.json")
    assert settings.keep_alive_days(loaded) is None
    assert "keep_alive_days must be a whole number of days from 1 to 89" in loaded.problem


def test_keep_alive_refreshes_only_what_is_due_and_records_it(fake_identity, services,
                                                               saved):
    other = services.store.add(make_connection(fake_identity).replace(nickname="Recent"))
    other = services.record_sign_in(
        other, sign_in(fake_identity, services.session_for(other)))
    old = _backdate(services, saved, 10)
    assert usecases.keep_alive(services, days=None) == []  # off: no setting
    [outcome] = usecases.keep_alive(services, days=7)
    assert outcome.ok and outcome.connection.id == saved.id
    assert services.store.find(saved.id).last_refreshed_at > old.last_refreshed_at
    assert services.store.find(other.id).last_refreshed_at == other.last_refreshed_at
    assert usecases.keep_alive(services, days=7) == []  # refreshed now: not due


def test_keep_alive_reports_a_revoked_sign_in_and_then_leaves_it_alone(fake_identity,
                                                                       services, saved):
    _backdate(services, saved, 10)
    fake_identity.revoke_refresh_tokens()
    [outcome] = usecases.keep_alive(services, days=7)
    assert not outcome.ok and outcome.message.endswith("Sign in again.")
    assert services.store.find(saved.id).refresh_failure == "AADSTS50173"
    assert usecases.keep_alive(services, days=7) == []  # only a new sign-in mends it


# --- what a desktop notification says, and when ------------------------------------------


def _found(*connections: Connection, now=None):
    now = now or utcnow()
    return [(c, health.assess(c, now)) for c in connections]


def test_a_notice_comes_a_week_before_a_lapse_once_a_day():
    now = utcnow()
    soon, later = signed_in(84), signed_in(82).replace(nickname="Later")
    [notice] = health.notices_due(_found(soon, later, now=now), now, {})
    assert notice.connection_id == soon.id and notice.title == "A sign-in lapses soon"
    assert notice.message == ('"Payroll": the saved sign-in lapses in 6 days if '
                              "not used. Sign in again, or use the connection, to keep it.")
    today = now.date().isoformat()
    assert health.notices_due(_found(soon, now=now), now, {soon.id: today}) == []
    yesterday = (now - timedelta(days=1)).date().isoformat()
    assert len(health.notices_due(_found(soon, now=now), now, {soon.id: yesterday})) == 1


def test_a_notice_for_an_app_credential_about_to_expire_but_none_once_it_is_past():
    now = utcnow()
    app = Connection("Daemon\u202e", kind=Kind.APP_ONLY, credential=Credential(
        CredentialType.SECRET, now + timedelta(days=3, hours=1)))
    [notice] = health.notices_due(_found(app, now=now), now, {})
    assert notice.title == "A credential expires soon"
    assert notice.message.startswith('"Daemon\\u202e": secret expires in 3 days.')
    gone = app.replace(credential=Credential(CredentialType.SECRET,
                                             now - timedelta(days=1)))
    ended = signed_in(2, refresh_failure="invalid_grant")
    assert health.notices_due(_found(gone, ended, signed_in(95), now=now), now, {}) == []


def test_without_a_keychain_what_keeps_a_sign_in_there_says_so(tmp_path):
    from o365desk.storage.vault import VaultUnavailable

    def no_keychain():
        raise VaultUnavailable("No keychain is available.")

    svc = Services(ConnectionStore(tmp_path / "connections.json"), vault_factory=no_keychain)
    svc.store.add(signed_in(5))
    svc.store.add(Connection("Not yet"))
    found = {c.nickname: h for c, h in usecases.token_health(svc)}
    assert found["Payroll"].status == Status.KEYCHAIN_UNAVAILABLE
    assert found["Payroll"].needs_attention and "keychain" in found["Payroll"].reason
    assert found["Payroll"].refresh_lapses_at is not None  # the file still knows that
    assert found["Not yet"].status == Status.NOT_SIGNED_IN


def test_one_unreadable_token_cache_does_not_make_the_keychain_unavailable(tmp_path):
    from o365desk.storage.vault import MSAL_CACHE, Vault
    from tests.fakes.memory_keyring import MemoryKeyring

    keyring = MemoryKeyring()
    svc = Services(ConnectionStore(tmp_path / "connections.json"),
                   vault_factory=lambda: Vault(keyring))
    broken = svc.store.add(signed_in(5))
    other = svc.store.add(signed_in(6).replace(nickname="Other", id="0" * 8 + "-0000-4000-8000-"
                                               + "0" * 12))
    svc.vault().set(broken.id, MSAL_CACHE, "{}")
    svc.vault().set(other.id, MSAL_CACHE, "{}")
    for service, user in list(keyring.entries):  # alter what was saved for the first
        if broken.id in user:
            keyring.entries[(service, user)] = "altered"
    found = {c.nickname: h for c, h in usecases.token_health(svc)}
    assert found["Other"].status == Status.SIGNED_IN
    assert found["Payroll"].status != Status.KEYCHAIN_UNAVAILABLE


def test_keep_alive_without_a_keychain_tries_it_once_and_says_so_for_each(tmp_path):
    from o365desk.storage.vault import VaultUnavailable

    tries = []

    def no_keychain():
        tries.append(1)
        raise VaultUnavailable("The keychain is locked. Unlock it, then try again.")

    svc = Services(ConnectionStore(tmp_path / "connections.json"), vault_factory=no_keychain)
    svc.store.add(signed_in(30))
    svc.store.add(signed_in(40).replace(nickname="Other",
                                        id="0" * 8 + "-0000-4000-8000-" + "0" * 12))
    outcomes = usecases.keep_alive(svc, days=7)
    assert [o.ok for o in outcomes] == [False, False] and len(tries) == 1
    assert all(o.message == "The keychain is locked. Unlock it, then try again."
               for o in outcomes)


def test_a_refresh_with_the_saved_sign_in_gone_is_recorded_in_its_own_words(services, saved,
                                                                           vault):
    from o365desk.storage.vault import MSAL_CACHE

    services.drop_session(saved.id)
    vault.set(saved.id, MSAL_CACHE, "{}")  # the cache lost its account (a reset keychain)
    with pytest.raises(SignInError):
        services.session_for(saved).acquire_silent(force_refresh=True)
    failed = services.store.find(saved.id)
    assert failed.refresh_failure == health.NO_SAVED_SIGN_IN
    assert "no longer has its saved sign-in" in health.assess(failed).reason


@pytest.mark.parametrize("policy_days, user_days, days", [
    (0, 30, None), (40, 20, 40), (12, None, 12), (None, 30, 30), (None, None, None)])
def test_the_policys_keep_alive_wins_over_settings_json(policy_days, user_days, days):
    from o365desk.core import effective_settings, settings
    from o365desk.core import policy as policy_mod

    raw = {} if policy_days is None else {"keep_alive_days": policy_days}
    checked = policy_mod.parse(raw, "/etc/o365desk/policy.json")
    user = settings.AppSettings(keep_alive_days=user_days)
    assert settings.keep_alive_days(user, checked) == days
    shown = effective_settings.shown_value(effective_settings.load(checked, user)[
        "keep_alive_days"])
    assert shown == ("off" if days is None else f"every {days} days")
