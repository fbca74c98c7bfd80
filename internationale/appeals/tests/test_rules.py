"""Permissions on appeals, role by role: each rule against every persona.

The Metalworkers (Ana admin, Sam secretary, Mo member, Olu observer) issue an appeal addressed to
the Dockworkers (Kim secretary, Kai admin, Kit member). Uma speaks for an unverified organization,
Nell belongs to none, Oscar is an operator.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from internationale.aid.models import Contribution
from internationale.appeals.models import Addressee, Appeal

from .factories import AppealFactory, PledgeFactory

PERSONAS = ["ana", "sam", "mo", "olu", "kim", "kai", "kit", "uma", "nell", "oscar", "anonymous"]
ISSUER = {"ana", "sam", "mo", "olu"}
ADDRESSEE = {"kim", "kai", "kit"}


@pytest.fixture
def everyone(request, ana, sam, mo, olu, kim, kai, kit, uma, nell, oscar):
    people = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    people["anonymous"] = AnonymousUser()
    return people


def allowed(everyone, perm, obj):  # type: ignore[no-untyped-def]
    return {name for name, person in everyone.items() if person.has_perm(perm, obj)}


@pytest.fixture
def appeal(owner_org, other_org):
    appeal = AppealFactory(
        organization=owner_org, status=Appeal.Status.OPEN, visibility="addressed"
    )
    Addressee.objects.create(appeal=appeal, organization=other_org)
    return appeal


def test_those_who_speak_for_a_verified_organization_issue_its_appeals(
    everyone, owner_org, unverified_org
):
    assert allowed(everyone, "appeals.issue_appeal", owner_org) == {"ana", "sam"}
    assert allowed(everyone, "appeals.issue_appeal", unverified_org) == set()


@pytest.mark.parametrize("perm", ["send_appeal", "update_appeal", "resolve_appeal"])
def test_only_the_issuers_admin_and_secretary_send_update_and_resolve(everyone, appeal, perm):
    assert allowed(everyone, f"appeals.{perm}", appeal) == {"ana", "sam"}


def test_only_the_addressees_admin_and_secretary_respond(everyone, appeal):
    assert allowed(everyone, "appeals.respond_to_appeal", appeal) == {"kim", "kai"}


def test_the_issuers_people_all_read_its_summary(everyone, appeal):
    assert allowed(everyone, "appeals.view_summary", appeal) == ISSUER


def test_an_addressed_appeal_is_read_by_the_issuer_and_its_addressees_only(everyone, appeal):
    assert allowed(everyone, "appeals.view_appeal", appeal) == ISSUER | ADDRESSEE


def test_a_network_appeal_is_read_by_the_network(everyone, appeal):
    appeal.visibility = "network"
    assert allowed(everyone, "appeals.view_appeal", appeal) == ISSUER | ADDRESSEE | {"oscar"}


def test_a_public_appeal_is_read_by_anyone(everyone, appeal):
    appeal.visibility = "public"
    assert allowed(everyone, "appeals.view_appeal", appeal) == set(PERSONAS)


def test_a_draft_is_read_by_the_issuers_people_only_and_answered_by_nobody(everyone, appeal):
    appeal.status, appeal.visibility = Appeal.Status.DRAFT, "public"
    assert allowed(everyone, "appeals.view_appeal", appeal) == ISSUER
    assert allowed(everyone, "appeals.respond_to_appeal", appeal) == set()


def test_the_pledgers_speakers_change_its_pledge(everyone, appeal, other_org):
    pledge = PledgeFactory(appeal=appeal, organization=other_org)
    assert allowed(everyone, "appeals.change_pledge", pledge) == {"kim", "kai"}


def test_an_amount_pledged_shows_to_the_issuer_and_the_pledger_unless_public(
    everyone, appeal, other_org
):
    pledge = PledgeFactory(appeal=appeal, organization=other_org)
    assert allowed(everyone, "appeals.see_pledge_amount", pledge) == ISSUER | ADDRESSEE
    pledge.public = True
    assert allowed(everyone, "appeals.see_pledge_amount", pledge) == set(PERSONAS)


def test_the_pledger_declares_aid_sent_and_the_issuer_confirms_it(everyone, appeal, other_org):
    pledge = PledgeFactory(appeal=appeal, organization=other_org, forms=["material_aid"], goods="x")
    contribution = Contribution(pledge=pledge, appeal=appeal, organization=other_org, goods="x")
    assert allowed(everyone, "aid.declare_contribution", pledge) == {"kim", "kai"}
    assert allowed(everyone, "aid.confirm_receipt", contribution) == {"ana", "sam"}
