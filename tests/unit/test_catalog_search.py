"""Search as you type: by name, description, ID and API path, with filters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.model import PermissionStatus
from o365desk.catalog.search import (
    ANY_ORDER,
    ELSEWHERE,
    EXACT,
    IN_NAME,
    IN_ORDER,
    LEADING,
    LEADING_PREFIX,
    SAME_WORDS,
    STARTS,
    Filters,
    Ranking,
    dotted,
    for_request,
    name_words,
    normalize_query,
    search,
)


@pytest.fixture(scope="module")
def catalog():
    return get_catalog()


def names(results):
    return [p.name for p in results]


def test_empty_query_lists_everything_in_name_order(catalog):
    assert names(search(catalog, "")) == names(catalog.permissions)


def test_exact_name_comes_first_then_names_that_start_with_it(catalog):
    found = names(search(catalog, "user.read"))
    assert found[0] == "User.Read"
    # Whole parts before starts of parts; within a rank the shorter name first.
    assert found[1:5] == ["User.Read.All", "User.ReadWrite", "User.ReadBasic.All",
                          "User.ReadWrite.All"]
    assert found.index("UserTeamwork.Read") > found.index("User.ReadWrite.CrossCloud")
    assert found.index("AgentIdUser.ReadWrite.All") > found.index("UserTeamwork.Read")


@pytest.mark.parametrize("query", ["user read", "User.Read", "user_read", "USER-READ",
                                   " user   read ", "read user", "user.read."])
def test_words_with_spaces_dots_hyphens_or_underscores_match_the_dotted_name(catalog, query):
    assert names(search(catalog, query))[0] == "User.Read"


@pytest.mark.parametrize(("name", "query", "expected"), [
    ("User.Read", "user read", EXACT),
    ("User.Read", "read user", SAME_WORDS),
    ("User.Read.All", "user read", LEADING),
    ("User.ReadWrite", "user read", LEADING_PREFIX),
    ("UserTeamwork.Read", "user read", STARTS),
    ("MailboxSettings.Read", "mail", STARTS),
    ("Sites.Read.All", "read all", IN_ORDER),
    ("Sites.Read.All", "read sites all", SAME_WORDS),
    ("Sites.Read.All", "read site", ANY_ORDER),
    ("User-LifeCycleInfo.Read.All", "user read", ANY_ORDER),
    ("Mail.ReadWrite", "write", IN_NAME),
    ("Mail.Send", "mail zzz", ELSEWHERE),
])
def test_rank_of_a_name(name, query, expected):
    assert Ranking(name_words(query))(dotted(name)) == expected


def test_a_name_match_beats_a_description_match_and_ranks_are_in_order(catalog):
    found = search(catalog, "read all sites")
    assert names(found)[:2] == ["Sites.Read.All", "Sites.ReadWrite.All"]
    ranking = Ranking(name_words("read all sites"))
    ranks = [ranking(dotted(p.name)) for p in found]
    assert ranks == sorted(ranks) and ranks[-1] == ELSEWHERE
    for rank in set(ranks):  # within a rank: shorter first, then by name
        same = [p.name.lower() for p, r in zip(found, ranks, strict=True) if r == rank]
        assert same == sorted(same, key=lambda n: (len(n), n))


def test_finds_a_permission_by_either_id(catalog):
    assert names(search(catalog, "e383f46e-2787-4529-855e-0e479a3ffac0")) == ["Mail.Send"]
    assert names(search(catalog, "B633E1C5-B582-4048-A93E-9F11B44C7E96")) == ["Mail.Send"]
    assert names(search(catalog, "37f7f235")) == ["openid"]


def test_finds_permissions_by_api_path_and_by_pasted_url(catalog):
    by_path = names(search(catalog, "/users/{id}/sendmail"))
    assert "Mail.Send" in by_path and "User.Read" not in by_path
    by_url = names(search(catalog, "https://graph.microsoft.com/v1.0/me/sendMail?x=1"))
    assert "Mail.Send" in by_url
    wipe = names(search(catalog, "POST /deviceManagement/managedDevices/{id}/wipe"))
    assert "DeviceManagementManagedDevices.PrivilegedOperations.All" in wipe
    assert "Mail.Send" not in wipe


@pytest.mark.parametrize("url", [
    "https://graph.microsoft.us/v1.0/me/sendMail",
    "https://dod-graph.microsoft.us/v1.0/me/sendMail",
    "https://microsoftgraph.chinacloudapi.cn/beta/me/sendMail?$select=id",
    "dod-graph.microsoft.us/v1.0/me/sendMail",
])
def test_a_pasted_address_of_any_cloud_is_cut_to_its_path(catalog, url):
    assert normalize_query(url) == ["/me/sendmail"]
    assert "Mail.Send" in names(search(catalog, url))


def test_a_question_mark_in_words_is_searched_for_not_cut(catalog):
    assert normalize_query("mail?send") == ["mail?send"]
    assert normalize_query("what? mail") == ["what?", "mail"]
    assert "Mail.Read" not in names(search(catalog, "mail?send"))


def test_finds_by_description_words(catalog):
    assert "DeviceManagementManagedDevices.PrivilegedOperations.All" in names(
        search(catalog, "wipe retire"))


def test_all_words_must_match(catalog):
    assert search(catalog, "mail zzzznothing") == []


def test_filters_by_kind_consent_privilege_status_and_group(catalog):
    app_only = search(catalog, "", Filters(kind="application"))
    assert app_only and all(p.application for p in app_only)
    user_consentable = search(catalog, "", Filters(kind="delegated", admin_consent=False))
    assert "User.Read" in names(user_consentable)
    assert "Directory.Read.All" not in names(user_consentable)
    top = search(catalog, "", Filters(privileges=frozenset({4})))
    assert "RoleManagement.ReadWrite.Directory" in names(top)
    assert all(p.max_privilege == 4 for p in top)
    retired = names(search(catalog, "", Filters(status="retired")))
    assert "ProgramControl.ReadWrite.All" in retired and "User.Read" not in retired
    mail = search(catalog, "send", Filters(group="Mail"))
    assert names(mail)[0] == "Mail.Send" and all(p.group == "Mail" for p in mail)


def test_status_filter_follows_the_chosen_kind(catalog):
    app_retired = names(search(catalog, "notes", Filters(kind="application", status="retired")))
    assert "Notes.ReadWrite.All" in app_retired
    delegated_active = names(search(catalog, "notes",
                                    Filters(kind="delegated", status=PermissionStatus.ACTIVE)))
    assert "Notes.ReadWrite.All" in delegated_active


def test_bad_kind_is_refused():
    with pytest.raises(ValueError):
        Filters(kind="both")


def test_graph_urls_are_cut_to_their_path():
    assert normalize_query(" https://graph.microsoft.com/beta/users/{id}?$top=1 ") == [
        "/users/{id}"]
    assert normalize_query("GET  /me") == ["get", "/me"]


def test_for_request_matches_concrete_ids_and_puts_least_privileged_first(catalog):
    found = for_request(catalog, "/users/0b7c-42/messages/abc/send", "POST")
    assert found[0] == (catalog.require("Mail.Send"), True)
    assert for_request(catalog, "/nothing/here") == []


@settings(max_examples=60, deadline=None)
@given(query=st.text(alphabet="abcdelmorsuy./-{}0123456789", max_size=6),
       kind=st.sampled_from([None, "delegated", "application"]),
       admin=st.sampled_from([None, True, False]),
       status=st.sampled_from([None, *PermissionStatus]))
def test_every_result_matches_the_query_and_the_filters(query, kind, admin, status):
    catalog = get_catalog()
    filters = Filters(kind=kind, admin_consent=admin, status=status)
    results = search(catalog, query, filters)
    terms, words = normalize_query(query), name_words(query)
    for p in results:
        assert filters.accepts(p)
        hay = "\n".join([p.name, p.description, *p.ids(), *p.path_strings()]).lower()
        assert all(t in hay for t in terms) or all(w in dotted(p.name) for w in words)
    assert len(set(names(results))) == len(results)
