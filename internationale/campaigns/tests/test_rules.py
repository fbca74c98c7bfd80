"""The campaign rules, role by role: the organizer's admins and secretaries prepare, change and
invite; the invited co-sponsor's answer; members, observers, other organizations, the unverified,
operators and anonymous visitors do none of it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from internationale.addressing.routing import Criteria
from internationale.campaigns.services import sponsors_invite

from .helpers import make_campaign


@pytest.fixture
def campaign(sam, owner_org, other_org):
    campaign = make_campaign(sam, owner_org)
    sponsors_invite(actor=sam, campaign=campaign, criteria=Criteria(add=[other_org.pk]))
    return campaign


ORGANIZER = {"ana", "sam"}
CO_SPONSOR = {"kim", "kai"}


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        ("campaigns.change_campaign", ORGANIZER),
        ("campaigns.invite_sponsors", ORGANIZER),
        ("campaigns.answer_sponsorship", CO_SPONSOR),
        ("campaigns.view_campaign", {"ana", "sam", "mo", "olu", "kim", "kai", "kit"}),
    ],
)
def test_rules_on_a_draft_role_by_role(
    rule, allowed, campaign, ana, sam, mo, olu, kim, kai, kit, uma, nell, oscar
):
    people = {
        "ana": ana,
        "sam": sam,
        "mo": mo,
        "olu": olu,
        "kim": kim,
        "kai": kai,
        "kit": kit,
        "uma": uma,
        "nell": nell,
        "oscar": oscar,
        "anonymous": AnonymousUser(),
    }
    holding = {name for name, person in people.items() if person.has_perm(rule, campaign)}
    assert holding == allowed


def test_launching_is_for_the_speakers_of_a_verified_organization(
    owner_org, unverified_org, ana, sam, mo, olu, uma, kim
):
    assert ana.has_perm("campaigns.launch_campaign", owner_org)
    assert sam.has_perm("campaigns.launch_campaign", owner_org)
    for person in (mo, olu, kim):
        assert not person.has_perm("campaigns.launch_campaign", owner_org)
    assert not uma.has_perm("campaigns.launch_campaign", unverified_org)
