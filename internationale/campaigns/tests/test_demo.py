"""The demo's campaign: launched from the Rustenburg appeal, co-sponsored, a few thousand
signatures from many countries and languages, counted, its public page readable."""

import pytest
from django.test import Client

from internationale.campaigns.demo import CAMPAIGN_TITLE, SIGNATURES
from internationale.campaigns.models import Campaign, Signature, Sponsor
from internationale.web.demo import load_demo


@pytest.fixture
def demo(db):
    assert load_demo() is True


def test_the_demo_runs_a_campaign_with_thousands_of_signatures(demo):
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    assert campaign.status == "open" and campaign.appeal is not None
    assert campaign.count.signatures == SIGNATURES == Signature.objects.count()
    assert Signature.objects.values("country").distinct().count() >= 10
    assert Signature.objects.values("language").distinct().count() >= 8
    answers = dict(Sponsor.objects.values_list("organization__slug", "status"))
    assert answers == {"feminor": "accepted", "gtl": "invited"}
    page = Client().get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "3,000 signatures" in page or "3000 signatures" in page
    assert "Federación Minera del Norte" in page
