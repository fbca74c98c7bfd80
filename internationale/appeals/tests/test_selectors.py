"""Reads of appeals: each viewer sees what they may, and no more; forbidden answers 404."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Addressee, Appeal, Response
from internationale.appeals.selectors import (
    AppealFilters,
    addressee_list,
    addressee_preview,
    appeal_access,
    appeal_get,
    appeal_list,
    appeals_awaiting_answer,
    issuer_summary,
    pledge_list,
    pledges_owed,
    with_answers,
)
from internationale.appeals.services import appeal_pass, pledge_create
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AppealFactory, PledgeFactory

anonymous = AnonymousUser()


@pytest.fixture
def appeals(owner_org, other_org):
    """One appeal of each visibility from the Metalworkers, addressed to the Dockworkers, and a
    draft; and an addressed appeal between two other organizations."""
    made = {}
    for visibility in ("public", "network", "addressed"):
        made[visibility] = AppealFactory(
            organization=owner_org, status="open", visibility=visibility, title=visibility
        )
        Addressee.objects.create(appeal=made[visibility], organization=other_org)
    made["draft"] = AppealFactory(organization=owner_org, visibility="public", title="draft")
    made["elsewhere"] = AppealFactory(status="open", visibility="addressed", title="elsewhere")
    Addressee.objects.create(appeal=made["elsewhere"], organization=OrganizationFactory())
    return made


def titles(viewer, **filters):  # type: ignore[no-untyped-def]
    return {a.title for a in appeal_list(viewer=viewer, filters=AppealFilters(**filters))}


def test_each_viewer_lists_the_appeals_they_may_see(appeals, sam, olu, kit, uma, nell, oscar):
    assert titles(sam) == titles(olu) == {"public", "network", "addressed", "draft"}
    assert titles(kit) == {"public", "network", "addressed"}
    assert titles(oscar) == {"public", "network"}
    assert titles(uma) == titles(nell) == titles(anonymous) == {"public"}


def test_an_appeal_sent_to_two_of_the_viewers_organizations_is_listed_once(appeals, kim):
    second = OrganizationFactory()
    MembershipFactory(organization=second, user=kim, role=Membership.Role.SECRETARY)
    Addressee.objects.create(appeal=appeals["addressed"], organization=second)
    assert [a.title for a in appeal_list(viewer=kim)].count("addressed") == 1


def test_appeals_are_filtered_and_listed_in_few_queries(appeals, kim, other_org):
    assert titles(kim, addressed_to=other_org.pk) == {"public", "network", "addressed"}
    assert titles(kim, q="netw") == {"network"}
    assert titles(kim, status="draft") == set()
    with CaptureQueriesContext(connection) as queries:
        list(appeal_list(viewer=kim))
    assert len(queries) <= 2


def test_an_appeal_the_viewer_may_not_see_answers_404(appeals, kim, nell, mo):
    assert appeal_get(viewer=kim, pk=appeals["addressed"].pk).title == "addressed"
    assert appeal_get(viewer=mo, pk=appeals["draft"].pk).title == "draft"
    for viewer, name in ((nell, "addressed"), (kim, "draft"), (kim, "elsewhere"), (kim, None)):
        with pytest.raises(Http404):
            appeal_get(viewer=viewer, pk=appeals[name].pk if name else 987654)


def test_only_those_who_may_send_preview_the_addressees(draft, sam, kim, mo, other_org):
    proposals = addressee_preview(viewer=sam, appeal=draft, criteria=Criteria(countries=["KR"]))
    assert [p.organization for p in proposals] == [other_org]
    for viewer in (kim, mo):
        with pytest.raises(Http404):
            addressee_preview(viewer=viewer, appeal=draft, criteria=Criteria())


def test_amounts_of_private_pledges_are_hidden_from_other_addressees(
    sent, ana, kim, other_org, nell
):
    rival = OrganizationFactory()
    rival_secretary = MembershipFactory(organization=rival, role="secretary").user
    Addressee.objects.create(appeal=sent, organization=rival)
    PledgeFactory(
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        amount=Decimal("500"),
        currency="EUR",
    )
    PledgeFactory(
        appeal=sent,
        organization=rival,
        forms=["material_aid"],
        amount=Decimal("70"),
        currency="USD",
        public=True,
    )
    Appeal.objects.filter(pk=sent.pk).update(visibility="public")

    def seen(viewer):  # type: ignore[no-untyped-def]
        return [
            (p.amount, p.currency) for p in pledge_list(appeal_access(viewer=viewer, pk=sent.pk))
        ]

    assert seen(ana) == seen(kim) == [(Decimal("500"), "EUR"), (Decimal("70"), "USD")]
    assert seen(rival_secretary) == [(None, ""), (Decimal("70"), "USD")]
    assert seen(nell) == [(Decimal("70"), "USD")]  # outsiders see public pledges only


def test_pledges_owed_are_the_organizations_open_pledges_nearest_first(
    sent, kim, kit, nell, other_org
):
    today = timezone.localdate()
    later = PledgeFactory(
        appeal=sent, organization=other_org, due_date=today + datetime.timedelta(9)
    )
    sooner = PledgeFactory(appeal=sent, organization=other_org, due_date=today)
    PledgeFactory(appeal=sent, organization=other_org, status="fulfilled")
    assert list(pledges_owed(viewer=kit, organization=other_org)) == [sooner, later]
    with pytest.raises(Http404):
        pledges_owed(viewer=nell, organization=other_org)


def test_appeals_awaiting_an_answer_are_those_sent_to_an_organization_the_viewer_speaks_for(
    appeals, kim, kit
):
    assert {a.title for a in appeals_awaiting_answer(viewer=kim)} == {
        "public",
        "network",
        "addressed",
    }
    assert list(appeals_awaiting_answer(viewer=kit)) == []


def test_the_issuer_summary_tells_who_was_asked_who_answered_and_what_was_pledged(
    sent, sam, kim, mo, other_org
):
    korean_friend = OrganizationFactory(slug="friend", country="KR")
    appeal_pass(actor=kim, appeal=sent, organization=other_org, to=korean_friend)
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Strike fund",
        amount=Decimal("300"),
        currency="EUR",
    )
    Response.objects.create(appeal=sent, organization=korean_friend, kind="acknowledged")

    with CaptureQueriesContext(connection) as queries:
        summary = issuer_summary(appeal_access(viewer=mo, pk=sent.pk))

    assert len(queries) <= 10
    assert (summary.asked, summary.answered) == (2, 2)
    assert summary.responses_by_kind == {"passed": 1, "pledged": 1, "acknowledged": 1}
    assert summary.passes == [(other_org, korean_friend)]
    assert summary.pledges == {"material_aid": {"pledged": 1}}
    assert summary.responses_by_country == {"KR": 2}
    assert summary.response_timeline == [(timezone.localdate(), 3)]
    assert [(c.code, c.asked, c.answered) for c in summary.countries] == [("KR", 2, 2)]
    access = appeal_access(viewer=mo, pk=sent.pk)
    rows = {row.organization.slug: row for row in with_answers(sent, addressee_list(access))}
    assert rows["friend"].passed_by == other_org
    assert [str(r) for r in rows["friend"].reasons] == ["passed on by Korean Dockworkers"]
    assert rows["docks-kr"].responses == ["passed", "pledged"]


def test_only_the_issuers_people_read_its_summary(sent, kim, nell):
    for viewer in (kim, nell):
        with pytest.raises(Http404):
            issuer_summary(appeal_access(viewer=viewer, pk=sent.pk))
