"""Answers sent back: what an organization of this server does about an appeal received from a
remote organization (acknowledge, pass, pledge, aid declared, withdrawal, decline) reaches the
issuer's own inbox, signed by the answering organization, in the vocabulary its server acts on;
what a remote organization does about an appeal of this server is sent nowhere."""

import json
from typing import Any

import pytest

from internationale.appeals.models import Pledge
from internationale.appeals.tests.factories import AppealFactory
from internationale.federation.keys import current_key
from internationale.federation.models import OutgoingActivity
from internationale.federation.signatures import verify

from .conftest import METAL, SITE, article, create, received, sent_to

pytestmark = pytest.mark.django_db

INBOX = "/federation/actors/metal-sp/inbox"
DOCKS = f"{SITE}/federation/actors/docks-kr"


def test_the_answers_to_a_received_appeal_go_back_to_its_issuer(
    client,
    client_for,
    rotterdam,
    accepted,
    owner_org,
    other_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    speaker = client_for(sam)
    steps: list[tuple[str, dict[str, Any]]] = [
        (f"/appeals/{appeal.pk}/acknowledge/", {"organization": "metal-sp"}),
        (f"/appeals/{appeal.pk}/pass/", {"organization": "metal-sp", "to": "docks-kr"}),
        (
            f"/appeals/{appeal.pk}/pledge/",
            {
                "organization": "metal-sp",
                "forms": ["material_aid"],
                "description": "A week of our strike fund.",
                "amount": "750.00",
                "currency": "EUR",
            },
        ),
    ]
    # Each request's deliveries queued when it commits, as they are in production.
    with django_capture_on_commit_callbacks(execute=True):
        for path, data in steps:
            assert speaker.post(path, data).status_code == 302, path
        pledge = Pledge.objects.get(appeal=appeal)
        aid = {"amount": "250", "currency": "EUR", "reference": "Transfer 7"}
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/aid/", aid).status_code == 302
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/withdraw/").status_code == 302
        declined = {"organization": "metal-sp", "reason": "Our fund is spent."}
        assert speaker.post(f"/appeals/{appeal.pk}/decline/", declined).status_code == 302
    work_off()
    received_there = sent_to(rotterdam)
    kinds = [activity["type"] for _path, _headers, activity in received_there]
    assert kinds == ["Accept", "Announce", "Offer", "Add", "Undo", "Reject"]
    for path, headers, activity in received_there:
        # To the issuer's own inbox alone, as the Metalworkers, signed with their key.
        assert path == "/users/havenbond/inbox"
        assert activity["actor"] == METAL and activity["to"] == [rotterdam.actor]
        assert "cc" not in activity
        verify(
            method="POST",
            url=rotterdam.server.url + path,
            headers=headers,
            body=_body(rotterdam, activity),
            public_key_pem=current_key(owner_org).public_key_pem,
        )
    by_type = {activity["type"]: activity for _p, _h, activity in received_there}
    assert by_type["Accept"]["object"] == obj["id"]
    assert (by_type["Announce"]["object"], by_type["Announce"]["target"]) == (obj["id"], DOCKS)
    offer = by_type["Offer"]
    assert offer["target"] == obj["id"]
    assert offer["object"]["type"] == "Pledge"
    assert (offer["object"]["forms"], offer["object"]["amount"], offer["object"]["currency"]) == (
        ["material_aid"],
        "750.00",
        "EUR",
    )
    assert by_type["Add"]["target"] == offer["id"]
    assert (by_type["Add"]["object"]["amount"], by_type["Add"]["object"]["reference"]) == (
        "250",
        "Transfer 7",
    )
    assert by_type["Undo"]["object"] == offer["id"]
    assert by_type["Reject"]["content"] == "Our fund is spent."


def _body(remote: Any, activity: dict[str, Any]) -> bytes:
    """The body as the remote server received it."""
    for _path, _headers, body in remote.server.posted:
        if json.loads(body)["id"] == activity["id"]:
            return body
    raise AssertionError(activity["id"])


def test_what_a_remote_organization_does_about_an_appeal_of_this_server_is_sent_nowhere(
    client, rotterdam, accepted, owner_org, sam, work_off
):
    from internationale.addressing.routing import Criteria
    from internationale.appeals.services import appeal_send

    appeal = AppealFactory(organization=owner_org, created_by=sam, visibility="addressed")
    appeal_send(actor=sam, appeal=appeal, criteria=Criteria(add=[accepted.pk]))
    work_off()
    ack = rotterdam.activity("Accept", object=f"{SITE}/appeals/{appeal.pk}/")
    assert rotterdam.post(client, INBOX, ack).status_code == 202
    work_off()
    assert not OutgoingActivity.objects.filter(activity_type="Accept").exists()
    kinds = [activity["type"] for _p, _h, activity in sent_to(rotterdam)]
    assert kinds == ["Create"]
