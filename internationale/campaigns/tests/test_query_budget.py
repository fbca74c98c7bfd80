"""The campaign pages read a fixed number of queries, however many campaigns, co-sponsors and
signers there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.addressing.routing import Criteria
from internationale.campaigns.counting import count_all
from internationale.campaigns.services import sponsors_invite
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tests.signers import campaign_sign
from internationale.organizations.tests.factories import OrganizationFactory

from .helpers import launched


def _queries(client, path):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _grow(campaign, sam, n, start=0):  # type: ignore[no-untyped-def]
    for i in range(start, start + n):
        sponsors_invite(
            actor=sam, campaign=campaign, criteria=Criteria(add=[OrganizationFactory().pk])
        )
        signed = campaign_sign(
            campaign=campaign,
            first_name=f"S{i}",
            email=f"s{i}-{campaign.pk}@mail.example",
            country="BR",
            show_publicly=True,
        )
        signature_confirm(token=confirmation_token(signed.signature))
    count_all()


def test_the_pages_read_no_more_with_more_campaigns_sponsors_and_signers(
    client_for, sam, owner_org
):
    first = launched(sam, owner_org)
    _grow(first, sam, 1)
    pages = [f"/campaigns/{first.pk}/", "/campaigns/"]
    before = {page: _queries(client_for(sam), page) for page in pages}
    for n in range(3):
        _grow(launched(sam, owner_org, title=f"Campaign {n}"), sam, 0)
    _grow(first, sam, 4, start=1)
    after = {page: _queries(client_for(sam), page) for page in pages}
    assert after == before
