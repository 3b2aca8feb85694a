"""What an app-only Test connection names of its token's `roles` claim: text entries only,
each once, in the order sent, however odd the claim."""

from __future__ import annotations

from o365desk.usecases.testing import _MOST_ROLES, _roles


def test_the_roles_claim_is_read_as_text_entries_each_once():
    claims = {"roles": ["User.Read.All", " Mail.Send ", 7, None, "", "User.Read.All", ["x"]]}
    assert _roles(claims) == ("User.Read.All", "Mail.Send")


def test_no_roles_claim_or_not_a_list_names_nothing():
    for claims in ({}, {"roles": "User.Read.All"}, {"roles": None}, None, ["roles"]):
        assert _roles(claims) == ()


def test_a_huge_roles_claim_is_cut():
    assert len(_roles({"roles": [f"Role{i}" for i in range(10_000)]})) == _MOST_ROLES
