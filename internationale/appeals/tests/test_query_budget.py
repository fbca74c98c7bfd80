"""The appeal pages read what they show in a fixed number of queries, however many organizations
were asked, answered and pledged: the appeal is read once, and what hangs off it is read once each.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internationale.appeals import views
from internationale.appeals.models import Addressee, AppealUpdate, Response
from internationale.appeals.tests.factories import PledgeFactory
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

# The most queries each page may make, whatever the number of rows. Counted with the session, the
# person and their memberships, which every signed-in page reads.
# The appeal's page reads the forms of its pledges in one query of their own, and counts its
# answers (it shows the latest), and reads the language versions of the appeal and of all its
# updates in one query (one more than before appeals were read in the reader's language; kept with
# the page's parts between requests, so counted here only because nothing is kept in a test's
# transaction), and one for the panels of the apps built on appeals (the campaigns launched for it,
# kept with the page's parts too), and one for the days of action called from the appeal
# (actions/templatetags/days.py).
BUDGET = {"appeal_detail": 18, "appeal_summary": 15, "appeal_list": 8}


def _answer(appeal, organization, n):  # type: ignore[no-untyped-def]
    Addressee.objects.create(appeal=appeal, organization=organization)
    Response.objects.create(appeal=appeal, organization=organization, kind="acknowledged")
    pledge = PledgeFactory(
        appeal=appeal,
        organization=organization,
        forms=["material_aid"],
        description="Strike fund",
        amount=Decimal(100 + n),
        currency="EUR",
        public=bool(n % 2),
    )
    Response.objects.create(appeal=appeal, organization=organization, kind="pledged", pledge=pledge)
    AppealUpdate.objects.create(appeal=appeal, text=f"Day {n} of the lockout.")


def _queries(client, name, *args):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["appeal_detail", "appeal_summary", "appeal_list"])
def test_appeal_pages_read_a_fixed_number_of_queries(page, sent, sam, kim, client_for, monkeypatch):
    readers = [sam] if page == "appeal_summary" else [sam, kim]
    args = [] if page == "appeal_list" else [sent.pk]
    # The appeal's page shows the latest few pledges and answers, and counts them all when there
    # are more: more than it shows from the start.
    monkeypatch.setattr(views, "PLEDGES_SHOWN", 2)
    monkeypatch.setattr(views, "RESPONSES_SHOWN", 2)

    def counts() -> list[int]:
        return [_queries(client_for(reader), page, *args) for reader in readers]

    for n in range(1, 4):
        _answer(sent, OrganizationFactory(), n)
    few = counts()
    for n in range(4, 14):
        organization = OrganizationFactory()
        MembershipFactory(organization=organization, role=Membership.Role.SECRETARY)
        _answer(sent, organization, n)
    many = counts()

    assert many == few
    assert max(many) <= BUDGET[page], many
