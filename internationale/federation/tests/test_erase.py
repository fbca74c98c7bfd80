"""An emergency erase reaches federation: the remote organizations an erased appeal was sent to are
asked to delete it, and nothing of what it erased stays in an activity sent, waiting to be sent or
received."""

import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from internationale.accounts.tests.factories import UserFactory
from internationale.addressing.routing import Criteria
from internationale.appeals.models import Pledge
from internationale.appeals.services import (
    appeal_post_update,
    appeal_send,
    pledge_create,
    pledge_fulfil,
)
from internationale.appeals.tests.factories import AppealFactory
from internationale.federation.models import Delivery, OutgoingActivity
from internationale.organizations.tests.factories import MembershipFactory
from internationale.ownership.erase import erase_confirm, erase_request

from .conftest import SITE
from .test_receiving import METAL, article, create, received
from .test_remote_orgs import INBOX, offer

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Zephyr plan for the Santos lockout"
SECRET_UPDATE = "Quillon stewards meet at the gate"
THEIR_SECRET = "Tamarind fund for the Santos strikers"
OUR_GOODS = "Twelve tonnes of Xanadu rice"
OUR_EVIDENCE = "Convoy left the Yarrow depot"
SECRETS = (SECRET_TITLE, SECRET_UPDATE, THEIR_SECRET, OUR_GOODS, OUR_EVIDENCE, "8765")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _federation_rows() -> list[str]:
    texts = []
    for model in apps.get_app_config("federation").get_models():
        for row in model._default_manager.values():
            texts.append(json.dumps(row, default=str, ensure_ascii=False))
    return texts


def test_an_erased_appeal_sent_to_a_remote_organization_is_deleted_there_and_nothing_of_it_stays(
    client,
    owner_org,
    ana,
    sam,
    rotterdam,
    accepted,
    work_off,
    django_capture_on_commit_callbacks,
):
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    # The Metalworkers' appeal to Rotterdam alone, and an update of it: both went there.
    secret = AppealFactory(
        organization=owner_org, created_by=sam, visibility="addressed", title=SECRET_TITLE
    )
    with django_capture_on_commit_callbacks(execute=True):
        appeal_send(actor=sam, appeal=secret, criteria=Criteria(add=[accepted.pk]))
    work_off()
    secret.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_post_update(actor=sam, appeal=secret, text=SECRET_UPDATE)
    work_off()
    # Rotterdam's pledge to it, with its amount, as its server sent it.
    pledged = offer(rotterdam, secret, content=THEIR_SECRET, amount="8765.00")
    assert rotterdam.post(client, INBOX, pledged).status_code == 202
    # Rotterdam's own appeal, and the Metalworkers' pledge to it, fulfilled: its `Offer` carries
    # the goods and its `Update` the evidence, which the erase blanks in the pledge it keeps.
    answer = rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL]))
    assert answer.status_code == 202
    work_off()
    theirs = received(rotterdam)
    with django_capture_on_commit_callbacks(execute=True):
        ours = pledge_create(
            actor=sam,
            appeal=theirs,
            organization=owner_org,
            forms=["material_aid"],
            description="Food for the strikers",
            goods=OUR_GOODS,
            amount=Decimal("300.00"),
            currency="EUR",
        )
    work_off()
    # The fulfilment's delivery fails once: it waits, pending, for its next attempt.
    rotterdam.server.answer = 503
    with django_capture_on_commit_callbacks(execute=True):
        pledge_fulfil(
            actor=sam,
            pledge=ours,
            evidence_text=OUR_EVIDENCE,
            evidence_file=ContentFile(PDF, name="receipt.pdf"),
        )
    work_off()
    rotterdam.server.answer = 202
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 1
    # Before: the secrets are there to be found (else the checks below would prove nothing).
    rows = "\n".join(_federation_rows())
    for text in SECRETS:
        assert text in rows, text
    posted_before = len(rotterdam.server.posted)

    with django_capture_on_commit_callbacks(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    work_off()

    # Rotterdam's inbox got the `Delete` of the appeal, carrying nothing but its address.
    sent = [(path, json.loads(body)) for path, _h, body in rotterdam.server.posted[posted_before:]]
    assert [activity["type"] for _path, activity in sent] == ["Delete"]
    path, delete = sent[0]
    assert path == "/users/havenbond/inbox"
    assert delete["actor"] == METAL and delete["to"] == [rotterdam.actor]
    assert delete["object"] == {
        "id": f"{SITE}/appeals/{secret.pk}/",
        "type": "Tombstone",
        "formerType": "Article",
        "deleted": delete["published"],
    }
    # No row of any federation table holds a secret, and nothing waits to be sent but nothing.
    rows = "\n".join(_federation_rows())
    for text in SECRETS:
        assert text not in rows, text
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    # The pledge the Metalworkers made to Rotterdam's appeal stays, without goods or evidence.
    assert Pledge.objects.filter(pk=ours.pk, goods="", evidence_text="").exists()
    # The `Delete` is kept as any activity sent (pruned as they are).
    assert OutgoingActivity.objects.filter(activity_type="Delete").count() == 1
