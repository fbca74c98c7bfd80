"""The REST API after signing (api_signers.py), through real requests with tokens and sessions:
Oscar screens; Sam posts news for the organizer; the Korean Dockworkers (Kim) co-sponsor and read
the signers who consented to them; Mo, a member, with a token of the organizer, is refused."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.campaigns.counting import count_all
from internationale.campaigns.models import CampaignUpdate, ScreeningRule, Signature, SignatureCount
from internationale.core.actors import System
from internationale.core.models import AuditEntry

from .helpers import launched
from .signers import signed

API = "/api/v1"


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def as_person(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def post(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(f"{API}{path}", data=json.dumps(data), content_type="application/json")


@pytest.fixture
def campaign(sam, kim, owner_org, other_org):
    campaign = launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim)
    signed(campaign, 1, first_name="Lucía", email="lucia@flood.example", consents=[other_org.pk])
    signed(campaign, 2, first_name="Pedro", email="pedro@flood.example", consents=[owner_org.pk])
    return campaign


def test_a_sponsor_reads_only_its_consenting_signers_and_is_audited(campaign, kim, other_org):
    got = with_token(kim, other_org).get(f"{API}/campaigns/{campaign.pk}/signers/{other_org.slug}")
    assert got.status_code == 200
    assert [s["email"] for s in got.json()["items"]] == ["lucia@flood.example"]
    assert AuditEntry.objects.get(action="campaign.export").data["format"] == "api"


def test_clear_errors_for_a_member_and_for_an_organization_not_sponsoring(
    campaign, mo, kai, owner_org, other_org, sam
):
    from internationale.campaigns.services import sponsors_invite  # noqa: F401

    refused = with_token(mo, owner_org).get(
        f"{API}/campaigns/{campaign.pk}/signers/{owner_org.slug}"
    )
    assert refused.status_code == 403
    assert "members and observers cannot act" in refused.json()["detail"]

    from .helpers import make_campaign

    draft = make_campaign(sam, owner_org)
    other = as_person(kai).get(f"{API}/campaigns/{draft.pk}/signers/{other_org.slug}")
    assert other.status_code == 404  # a draft they were not invited to: not seen
    launched_alone = launched(sam, owner_org)
    answer = as_person(kai).get(f"{API}/campaigns/{launched_alone.pk}/signers/{other_org.slug}")
    assert answer.status_code == 400
    assert "does not sponsor" in answer.json()["errors"]["organization"][0]
    assert not AuditEntry.objects.filter(action="campaign.export").exists()


def test_an_operator_screens_and_invalidates_through_the_api(campaign, oscar, sam):
    for signature in Signature.objects.all():
        signature.status = "confirmed"
        signature.save()
    count_all()
    operator = as_person(oscar)
    trends = operator.get(f"{API}/campaigns/screening/trends?by=domain")
    assert trends.json()[0]["key"] == "flood.example"
    added = post(
        operator,
        "/campaigns/screening/rules",
        {"list": "block", "kind": "domain", "pattern": "flood.example"},
    )
    assert added.status_code == 201
    bad = post(
        operator, "/campaigns/screening/rules", {"list": "block", "kind": "network", "pattern": "x"}
    )
    assert bad.status_code == 400 and "pattern" in bad.json()["errors"]
    window = {
        "domain": "flood.example",
        "since": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "until": (timezone.now() + datetime.timedelta(minutes=1)).isoformat(),
    }
    preview = post(operator, "/campaigns/screening/invalidations/preview", window)
    assert preview.json() == [
        {"campaign_id": campaign.pk, "title": campaign.title, "n": 2, "counted": 2}
    ]
    unconfirmed = post(
        operator, "/campaigns/screening/invalidations", {**window, "reason": "flood"}
    )
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()["errors"]
    assert SignatureCount.objects.get(campaign=campaign).signatures == 2
    done = post(
        operator,
        "/campaigns/screening/invalidations",
        {**window, "reason": "flood", "confirm": True},
    )
    assert done.json() == {"invalidated": 2}
    assert SignatureCount.objects.get(campaign=campaign).signatures == 0
    rule = ScreeningRule.objects.get()
    assert operator.delete(f"{API}/campaigns/screening/rules/{rule.pk}").status_code == 204
    # Anyone else: as if the endpoints did not exist.
    assert as_person(sam).get(f"{API}/campaigns/screening/rules").status_code == 404


def test_the_organizer_posts_news_and_reads_deliveries(campaign, sam, mo, owner_org):
    organizer = with_token(sam, owner_org)
    news = post(organizer, f"/campaigns/{campaign.pk}/updates", {"title": "Heard", "text": "Yes."})
    assert news.status_code == 201
    result = post(
        organizer,
        f"/campaigns/{campaign.pk}/updates",
        {"kind": "result", "title": "Free", "text": "!"},
    )
    assert result.status_code == 400 and "result" in result.json()["errors"]
    assert CampaignUpdate.objects.count() == 1
    listed = Client().get(f"{API}/campaigns/{campaign.pk}/updates")
    assert listed.status_code == 401  # the API needs a token or a session
    deliveries = organizer.get(f"{API}/campaigns/{campaign.pk}/deliveries")
    assert deliveries.status_code == 200 and deliveries.json()["items"] == []
    member = with_token(mo, owner_org)
    assert (
        post(member, f"/campaigns/{campaign.pk}/updates", {"title": "x", "text": "y"}).status_code
        == 403
    )
    assert member.get(f"{API}/campaigns/{campaign.pk}/deliveries").status_code == 403
