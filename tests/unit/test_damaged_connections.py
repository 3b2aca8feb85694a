"""Values read from connections.json pass the typed rules; a connection that breaks one is
damaged: shown with its problem, kept in the file as read, never signed in with or used."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from o365desk.core import connection_rules
from o365desk.core.connection import Connection, Status
from o365desk.graph import client
from o365desk.services import Services
from o365desk.storage.store import ConnectionStore, StoreError
from tests.unit.session_kit import make_connection, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

GOOD = Connection(nickname="Good", tenant="contoso.com").to_dict()


def entry(nickname: str, **changes) -> dict:
    return Connection(nickname=nickname).to_dict() | changes


def place(path: Path, *entries: dict) -> dict:
    doc = {"schema_version": 1, "connections": list(entries)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return doc


HOSTILE_FIELDS = [
    pytest.param({"graph_endpoint": "http://127.0.0.1:8080"}, "https://", id="graph-http"),
    pytest.param({"graph_endpoint": "https://graph.microsoft.com@127.0.0.1"}, "user name",
                 id="graph-userinfo"),
    pytest.param({"graph_endpoint": "https://graph.microsoft.com", "cloud": "china"},
                 "another cloud", id="graph-of-another-cloud"),
    pytest.param({"authority": "https://login.microsoftonline.com@127.0.0.1/t"}, "user name",
                 id="authority-userinfo"),
    pytest.param({"authority": "http://login.microsoftonline.com/t"}, "https://",
                 id="authority-http"),
    pytest.param({"authority": "https://login.microsoftonline.com:99999/t"}, "port",
                 id="authority-port"),
    pytest.param({"authority": "https://l\u043egin.microsoftonline.com/t"}, "alphabets",
                 id="authority-homograph"),
    pytest.param({"authority": "https://login.microsoftonline.com/t x"}, "space",
                 id="authority-space"),
    pytest.param({"authority": "https://login.chinacloudapi.cn/t"}, "another cloud",
                 id="authority-of-another-cloud"),
    pytest.param({"client_id": "not-a-guid"}, "client ID", id="client-id"),
    pytest.param({"tenant": "contoso.com/../evil"}, "organisation", id="tenant"),
    pytest.param({"tenant": "con\x1btoso.com"}, "organisation", id="tenant-control"),
    pytest.param({"nickname": "Bad\x1b[2Jname"}, "control character", id="nickname-control"),
    pytest.param({"nickname": "N" * 65}, "at most 64", id="nickname-too-long"),
    pytest.param({"description": "d" * 2001}, "2,001 characters", id="description-too-long"),
    pytest.param({"scopes": ["S" * 300]}, "permissions", id="scope-too-long"),
    pytest.param({"cloud": "mars"}, "its cloud 'mars' is not one of global",
                 id="cloud-unknown"),
    pytest.param({"cloud": 3}, "can't be read", id="cloud-number"),
    pytest.param({"kind": "sideways"}, "sideways", id="kind-unknown"),
    pytest.param({"authority": 5}, "authority", id="authority-number"),
    pytest.param({"created_at": "yesterday"}, "created_at", id="time-unreadable"),
    pytest.param({"account": {"username": "u" * 400, "home_account_id": "h",
                              "tenant_id": "t"}}, "account", id="username-too-long"),
]


@pytest.mark.parametrize(("changes", "said"), HOSTILE_FIELDS)
def test_a_value_breaking_a_rule_damages_that_connection_only(store_path: Path, changes,
                                                              said):
    bad = entry("Bad") | changes
    doc = place(store_path, GOOD, bad)
    store = ConnectionStore(store_path)
    good, damaged = store.load()
    assert store.notices == [] and not store.read_only  # the file is not set aside
    assert good.status() is Status.NOT_SIGNED_IN and not good.damage
    assert damaged.status() is Status.DAMAGED and damaged.id == bad["id"]
    assert said in damaged.damage
    assert "Delete it and add it again" in connection_rules.message(damaged)
    # Saving the file again keeps the damaged entry exactly as it was read.
    store.add(Connection(nickname="Added"))
    saved = json.loads(store_path.read_text(encoding="utf-8"))["connections"]
    assert saved[:2] == doc["connections"]
    assert [c.status() for c in ConnectionStore(store_path).load()] == [
        Status.NOT_SIGNED_IN, Status.DAMAGED, Status.NOT_SIGNED_IN]


def test_a_damaged_connection_cant_be_changed_but_can_be_deleted(store_path: Path):
    bad = entry("Bad", authority="https://x@127.0.0.1/t")
    place(store_path, bad)
    store = ConnectionStore(store_path)
    (damaged,) = store.load()
    for change in (lambda: store.rename(damaged.id, "Other"),
                   lambda: store.patch(damaged.id, description="x"),
                   lambda: store.touch(damaged.id),
                   lambda: store.update(damaged)):
        with pytest.raises(StoreError, match="can't be used"):
            change()
    assert json.loads(store_path.read_text())["connections"] == [bad]
    store.delete(damaged.id)
    assert ConnectionStore(store_path).load() == []


def test_a_fixed_copy_may_replace_the_damaged_one(store_path: Path):
    place(store_path, entry("Bad", client_id="nope"))
    store = ConnectionStore(store_path)
    (damaged,) = store.load()
    fixed = Connection.from_dict(damaged.to_dict()).replace(
        client_id="14d82eec-204b-4c2f-b7e8-296a70dab67e")
    store.update(fixed)
    (again,) = ConnectionStore(store_path).load()
    assert again.status() is Status.NOT_SIGNED_IN and again.client_id == fixed.client_id


def test_values_breaking_a_rule_are_never_saved(store_path: Path):
    store = ConnectionStore(store_path)
    with pytest.raises(StoreError, match="user name"):
        store.add(Connection(nickname="X", graph_endpoint="https://a@127.0.0.1"))
    with pytest.raises(StoreError, match="2,000"):
        store.add(Connection(nickname="X", description="d" * 2001))
    assert store.load() == []


def test_a_megabyte_description_is_cut_for_showing_and_kept_in_the_file(store_path):
    # A megabyte: within connections.json's 4 MB (a larger file is damaged as a whole,
    # tests/unit/test_safe_read.py), far over the 2,000 characters of a description.
    huge = "d" * 1_000_000
    place(store_path, GOOD, entry("Huge", description=huge))
    store = ConnectionStore(store_path)
    good, damaged = store.load()
    assert damaged.status() is Status.DAMAGED
    assert len(damaged.description) <= connection_rules.DESCRIPTION_MAX + 1
    assert "1,000,000 characters" in damaged.damage
    store.delete(good.id)
    (kept,) = json.loads(store_path.read_text())["connections"]
    assert kept["description"] == huge


class _Listener:
    """A plain TCP listener counting who connects (a hand-edited "Graph endpoint")."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                peer, _ = self.sock.accept()
            except TimeoutError:
                continue
            with peer:
                peer.settimeout(1)
                try:
                    self.accepted.append(peer.recv(65536))
                except OSError:
                    self.accepted.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    made = _Listener()
    yield made
    made.close()


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:{port}",
                                      "https://graph.microsoft.com@127.0.0.1:{port}"])
def test_a_hand_edited_graph_endpoint_gets_no_token(fake_identity, trust_fake, vault,
                                                     store_path, listener, endpoint):
    services = Services(ConnectionStore(store_path), vault_factory=lambda: vault)
    saved = services.store.add(make_connection(fake_identity))
    result = sign_in(fake_identity, services.session_for(saved))
    services.record_sign_in(saved, result)
    services.drop_session(saved.id)
    doc = json.loads(store_path.read_text())
    doc["connections"][0]["graph_endpoint"] = endpoint.format(port=listener.port)
    store_path.write_text(json.dumps(doc))

    (damaged,) = services.store.load()
    assert damaged.status() is Status.DAMAGED
    session = services.session_for(damaged)
    before = len(fake_identity.requests)
    tested = client.test_connection(session)
    assert not tested.ok and tested.explanation.code == "connection-damaged"
    assert "can't be used" in tested.explanation.message
    with pytest.raises(Exception, match="can't be used"):
        session.acquire_silent()
    with pytest.raises(Exception, match="can't be used"):
        session.start_auth_code()
    with pytest.raises(Exception, match="can't be used"):
        session.start_device_code()
    assert listener.accepted == []
    assert len(fake_identity.requests) == before  # no sign-in, no token either
    services.drop_session(damaged.id)


def test_graph_refuses_a_connection_changed_in_memory_to_a_hostile_endpoint(
        fake_identity, session, signed_in, listener):
    session.rebind(session.connection.replace(
        graph_endpoint=f"http://127.0.0.1:{listener.port}"))
    tested = client.test_connection(session)
    assert not tested.ok and tested.explanation.code == "connection-damaged"
    assert listener.accepted == []


def cli(services, *argv: str) -> int:
    from o365desk.cli.commands import run
    from o365desk.cli.parser import build_parser

    return run(build_parser().parse_args(list(argv)), services)


def test_list_and_show_say_a_connection_is_damaged(services, store_path, capsys):
    place(store_path, GOOD, entry("Bad", graph_endpoint="http://127.0.0.1:1"))
    assert cli(services, "list") == 0
    out = capsys.readouterr().out
    assert "damaged" in out.splitlines()[1] + out.splitlines()[2]
    assert '"Bad" is damaged. This connection\'s saved details can\'t be used.' in out
    assert "Delete it and add it again" in out
    assert cli(services, "show", "Bad") == 0
    out = capsys.readouterr().out
    assert "Status:" in out and "Damaged" in out and "Problem:" in out and "https://" in out
    assert cli(services, "list", "--json") == 0
    good, bad = json.loads(capsys.readouterr().out)["connections"]
    assert good["status"] == "not signed in" and "damage" not in good
    assert bad["status"] == "damaged" and "can't be used" in bad["damage"]
    assert cli(services, "show", "Bad", "--json") == 0
    assert json.loads(capsys.readouterr().out)["connection"]["status"] == "damaged"


def test_login_and_token_refuse_a_damaged_connection_plainly(services, store_path, capsys):
    place(store_path, entry("Bad", authority="https://login.microsoftonline.com@127.0.0.1/t"))
    assert cli(services, "token", "Bad") == 1
    err = capsys.readouterr().err
    assert "can't be used" in err and "Traceback" not in err
    assert cli(services, "login", "Bad", "--device-code") == 1
    assert "can't be used" in capsys.readouterr().err
    assert cli(services, "rename", "Bad", "Other") == 1
    assert "can't be used" in capsys.readouterr().err
    # Never signed in: what is wrong comes first, not "sign in first" (which can't work).
    assert cli(services, "test", "Bad") == 1
    err = capsys.readouterr().err
    assert "can't be used" in err and "Sign in first" not in err
    assert cli(services, "delete", "Bad", "--yes") == 0


def test_an_international_host_read_from_the_file_is_used_in_punycode(store_path):
    place(store_path, entry("Idn", authority="https://b\u00fccher.example/contoso.com/",
                            graph_endpoint="https://GRAPH.b\u00fccher.example/v1.0"))
    (conn,) = ConnectionStore(store_path).load()
    assert conn.status() is Status.NOT_SIGNED_IN
    assert conn.effective_authority() == "https://xn--bcher-kva.example/contoso.com"
    assert conn.effective_graph_endpoint() == "https://graph.xn--bcher-kva.example"


def test_the_cli_refuses_an_over_long_description(services, capsys):
    assert cli(services, "add", "Long", "--description", "d" * 2001) == 1
    err = capsys.readouterr().err
    assert "2,001 characters" in err and "2,000" in err
    assert cli(services, "add", "Long", "--description", "d" * 2000) == 0
    assert cli(services, "edit", "Long", "--description", "e" * 2001) == 1
    assert "2,000" in capsys.readouterr().err
    assert services.store.find("Long").description == "d" * 2000


@pytest.mark.parametrize("field", ["nickname", "description", "tenant", "client_id",
                                   "authority", "graph_endpoint"])
def test_a_megabyte_value_anywhere_is_damage_and_is_cut_for_showing(store_path, field):
    huge = "x" * 1_000_000
    place(store_path, entry("Huge") | {field: huge})
    (damaged,) = ConnectionStore(store_path).load()
    assert damaged.status() is Status.DAMAGED
    shown = [damaged.nickname, damaged.description, damaged.tenant, damaged.client_id,
             damaged.effective_authority(), damaged.effective_graph_endpoint(),
             connection_rules.message(damaged)]
    assert max(len(text) for text in shown) < 3000


def test_doctor_names_a_damaged_connection(services, store_path, capsys):
    from o365desk.cli.doctor import check_config

    place(store_path, GOOD, entry("Bad", client_id="nope"))
    services.store.load()
    assert check_config(services) is False
    out = capsys.readouterr().out
    assert '[problem] Connection: "Bad" is damaged.' in out and "client ID" in out
