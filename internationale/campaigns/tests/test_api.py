"""The API on campaigns, through real requests: organizers prepare and launch, co-sponsors
answer, and the public signs and confirms without authentication, with errors by field."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from internationale.campaigns.models import Campaign, Signature, Sponsor
from internationale.campaigns.signing import confirmation_token

from .helpers import launched, make_campaign


def post(client, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, data=json.dumps(body), content_type="application/json")


def soon(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_an_organizer_prepares_launches_and_a_co_sponsor_accepts(
    client_for, sam, kim, owner_org, other_org
):
    created = post(
        client_for(sam),
        f"/api/v1/organizations/{owner_org.slug}/campaigns",
        {
            "kind": "petition",
            "title": "Safety at the port",
            "text": "We demand safe working conditions.",
            "language": "en",
            "goal": 300,
            "starts_at": soon(0),
            "ends_at": soon(30),
            "targets": [{"name": "Port Authority", "email": "director@port.example"}],
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    invited = post(client_for(sam), f"/api/v1/campaigns/{pk}/sponsors", {"add": [other_org.slug]})
    assert invited.status_code == 201
    assert invited.json()[0]["organization"]["slug"] == other_org.slug
    answered = post(
        client_for(kim), f"/api/v1/campaigns/{pk}/sponsors/answer", {"answer": "accept"}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    launched_ = post(client_for(sam), f"/api/v1/campaigns/{pk}/launch", {})
    assert launched_.json()["status"] == "open"
    # The target's address is the organizer's to know: a co-sponsor reads its name alone.
    assert launched_.json()["targets"][0]["email"] == "director@port.example"
    read = client_for(kim).get(f"/api/v1/campaigns/{pk}").json()
    assert read["targets"] == [{"name": "Port Authority", "email": "", "postal_address": ""}]
    public = client_for().get(f"/api/v1/campaigns/{pk}/public").json()
    assert public["co_sponsors"] == ["Korean Dockworkers"]
    assert [c["name"] for c in public["consent_choices"]] == [
        "Metalworkers of São Paulo",
        "Korean Dockworkers",
    ]


def test_a_member_cannot_act_for_the_organization(client_for, mo, sam, owner_org):
    campaign = make_campaign(sam, owner_org)
    assert post(client_for(mo), f"/api/v1/campaigns/{campaign.pk}/launch", {}).status_code == 403
    patched = client_for(mo).patch(
        f"/api/v1/campaigns/{campaign.pk}", data={"goal": 5}, content_type="application/json"
    )
    assert patched.status_code == 403
    campaign.refresh_from_db()
    assert campaign.goal == 1000 and campaign.status == "draft"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"country": "XX"}, "country"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"consents": [999999]}, "consents"),
    ],
)
def test_signing_through_the_api_refuses_bad_input_by_field(
    client_for, sam, owner_org, changes, field
):
    campaign = launched(sam, owner_org)
    body = {"first_name": "Lucía", "email": "l@correo.example", "country": "ES", **changes}
    response = post(client_for(), f"/api/v1/campaigns/{campaign.pk}/signatures", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Signature.objects.exists()


def test_the_public_signs_and_confirms_through_the_api(
    client_for, sam, owner_org, django_capture_on_commit_callbacks, work_off
):
    campaign = launched(sam, owner_org)
    with django_capture_on_commit_callbacks(execute=True):
        signed = post(
            client_for(),
            f"/api/v1/campaigns/{campaign.pk}/signatures",
            {"first_name": "Lucía", "email": "l@correo.example", "country": "ES", "language": "es"},
        )
    assert signed.status_code == 202
    work_off()
    assert len(mail.outbox) == 1
    token = confirmation_token(Signature.objects.get())
    confirm = post(client_for(), "/api/v1/campaigns/signatures/confirm", {"token": token})
    assert confirm.status_code == 200 and confirm.json()["campaign"] == campaign.pk
    again = post(client_for(), "/api/v1/campaigns/signatures/confirm", {"token": token})
    assert again.status_code == 400 and "token" in again.json()["errors"]


def test_a_draft_cannot_be_signed_or_read_publicly(client_for, sam, owner_org):
    campaign = make_campaign(sam, owner_org)
    assert client_for().get(f"/api/v1/campaigns/{campaign.pk}/public").status_code == 404
    body = {"first_name": "Lucía", "email": "l@correo.example", "country": "ES"}
    assert (
        post(client_for(), f"/api/v1/campaigns/{campaign.pk}/signatures", body).status_code == 404
    )
    assert Campaign.objects.get().status == "draft" and not Sponsor.objects.exists()
