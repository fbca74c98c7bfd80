"""A sympathy pledge pointing to a campaign launched for its appeal, through real requests (the
appeal's pledge form, its page and the API). The Metalworkers of São Paulo (Sam) send an appeal to
the Korean Dockworkers (Kim speaks for them) and launch a campaign for it; Kim pledges sympathy."""

import json

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals import public_page
from internationale.appeals.models import Pledge
from internationale.appeals.tests.factories import AppealFactory, send_now

from .helpers import launched


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    public_page.pages.clear()
    public_page.fragments.clear()


@pytest.fixture
def appeal(sam, owner_org, other_org, django_capture_on_commit_callbacks):
    appeal = AppealFactory(
        organization=owner_org, created_by=sam, asks_sympathy=True, visibility="public"
    )
    with django_capture_on_commit_callbacks(execute=True):
        return send_now(actor=sam, appeal=appeal, criteria=Criteria(add=[other_org.pk]))


@pytest.fixture
def campaign(sam, owner_org, appeal):
    return launched(sam, owner_org, appeal=appeal, title="Free Ana Souza")


def pledge_form(**changes):  # type: ignore[no-untyped-def]
    data = {"organization": "kr-docks", "forms": ["sympathy"], "description": "Protest letters."}
    data.update(changes)
    return data


def test_the_pledge_form_offers_the_appeals_campaigns_and_the_pledge_links_to_it(
    client_for, kim, appeal, campaign, other_org
):
    url = f"/appeals/{appeal.pk}/pledge/"
    page = client_for(kim).get(url)
    assert page.context["form"].fields["campaign"].choices == [
        ("", "None"),
        (campaign.pk, "Free Ana Souza"),
    ]
    response = client_for(kim).post(
        url, pledge_form(organization=other_org.slug, campaign=str(campaign.pk))
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Pledge.objects.get().campaign_ref == campaign.pk
    shown = client_for(kim).get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/"' in shown and "For the campaign" in shown


def test_a_campaign_of_another_appeal_or_a_pledge_without_sympathy_is_refused(
    client_for, kim, sam, owner_org, appeal, campaign, other_org
):
    other = launched(sam, owner_org, title="Another campaign")
    url = f"/appeals/{appeal.pk}/pledge/"
    refused = client_for(kim).post(
        url, pledge_form(organization=other_org.slug, campaign=str(other.pk))
    )
    assert "campaign" in refused.context["form"].errors
    assert "Choose one of the campaigns launched for this appeal." in refused.content.decode()
    api = f"/api/v1/appeals/{appeal.pk}/pledges"
    for body, why in [
        ({"forms": ["sympathy"], "description": "x", "campaign": other.pk}, "launched for"),
        ({"forms": ["propaganda"], "description": "x", "campaign": campaign.pk}, "sympathy"),
    ]:
        answer = client_for(kim).post(api, json.dumps(body), content_type="application/json")
        assert answer.status_code == 400, answer.content
        assert why in answer.json()["errors"]["campaign"][0]
    assert not Pledge.objects.exists()


def test_without_campaigns_the_form_has_no_campaign_field(client_for, kim, appeal):
    page = client_for(kim).get(f"/appeals/{appeal.pk}/pledge/")
    assert page.status_code == 200
    assert "campaign" not in page.context["form"].fields


def test_the_api_takes_and_returns_the_campaign(client_for, kim, appeal, campaign):
    url = f"/api/v1/appeals/{appeal.pk}/pledges"
    body = {"forms": ["sympathy"], "description": "Letters.", "campaign": campaign.pk}
    made = client_for(kim).post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["campaign"] == campaign.pk
    [listed] = client_for(kim).get(url).json()["items"]
    assert listed["campaign"] == campaign.pk
