"""An emergency erase reaches federation: the remote organizations an erased appeal, meeting,
statement or piece of advice was sent to are told it is gone (deleted, or the meeting cancelled),
and nothing of what it erased stays in an activity sent, waiting to be sent or received."""

import datetime
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

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
from internationale.cooperation.agenda import agenda_item_add
from internationale.cooperation.minutes import minutes_record, minutes_submit
from internationale.cooperation.models import Meeting
from internationale.cooperation.services import meeting_invite
from internationale.core.actors import System
from internationale.core.history import prune_history
from internationale.federation.advice import create_id
from internationale.federation.models import Delivery, OutgoingActivity
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.organizations.models import ErasedSlug
from internationale.organizations.services import organization_create, organization_update
from internationale.organizations.tests.factories import MembershipFactory
from internationale.ownership.erase import erase_confirm, erase_request
from internationale.statements.advice import advice_give
from internationale.statements.consensus import positions_call
from internationale.statements.models import Advice, Statement
from internationale.statements.services import statement_create
from internationale.statements.tests.matrix_world import PARAGRAPHS, deadlines

from .conftest import INBOX, METAL, SITE, article, create, handle, offer, plan_meeting, received

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Zephyr plan for the Santos lockout"
SECRET_UPDATE = "Quillon stewards meet at the gate"
THEIR_SECRET = "Tamarind fund for the Santos strikers"
OUR_GOODS = "Twelve tonnes of Xanadu rice"
OUR_EVIDENCE = "Convoy left the Yarrow depot"
THEIR_REFERENCE = "Wombat transfer"
THEIR_EVIDENCE = "Kestrel convoy unloaded"
SECRETS = (
    SECRET_TITLE,
    SECRET_UPDATE,
    THEIR_SECRET,
    OUR_GOODS,
    OUR_EVIDENCE,
    "8765",
    "4321",
    THEIR_REFERENCE,
    THEIR_EVIDENCE,
)
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
    # Its aid sent against that pledge, then the pledge fulfilled on its server: both name
    # Rotterdam's own `Offer`, not the appeal.
    aid = rotterdam.activity("Add", target=pledged["id"])
    aid["object"] = {
        "id": f"{aid['id']}/aid",
        "type": "Contribution",
        "amount": "4321.00",
        "currency": "EUR",
        "reference": THEIR_REFERENCE,
    }
    assert rotterdam.post(client, INBOX, aid).status_code == 202
    fulfilled = rotterdam.activity("Update", target=pledged["id"])
    fulfilled["object"] = {
        "id": pledged["object"]["id"],
        "type": "Pledge",
        "status": "fulfilled",
        "evidence": THEIR_EVIDENCE,
    }
    assert rotterdam.post(client, INBOX, fulfilled).status_code == 202
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


MEETING_PLACE = "Vermilion hall, Rua do Carmo 12"
MEETING_LINK = "https://meet.example.org/wolfram-santos"
THEIR_NOTE = "Juniper stewards will come"
OUR_MINUTES = "Obsidian strike fund agreed"
OUR_STATEMENT = "Cobalt declaration on the port closures"
THEIR_RESERVATION = "Hickory wording of paragraph two"
OTHER_SECRETS = (
    MEETING_PLACE,
    MEETING_LINK,
    THEIR_NOTE,
    OUR_MINUTES,
    OUR_STATEMENT,
    THEIR_RESERVATION,
)


def _pending_payloads() -> str:
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).values_list(
        "activity__payload", flat=True
    )
    return "\n".join(json.dumps(payload, ensure_ascii=False) for payload in pending)


def test_an_erased_meeting_statement_and_advice_are_cancelled_and_deleted_at_the_remote_org(
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
    capture = django_capture_on_commit_callbacks
    # A meeting of the Metalworkers, Rotterdam invited: its Event carries the place and the link;
    # Rotterdam accepts with a note, and the minutes go to it for approval.
    meeting = plan_meeting(
        sam,
        owner_org,
        title="Wolfram meeting",
        place=MEETING_PLACE,
        online_link=MEETING_LINK,
        visibility="addressed",
    )
    item = agenda_item_add(actor=sam, meeting=meeting, title="Closures in Santos")
    with capture(execute=True):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[accepted.pk]))
    work_off()
    meeting_url = f"{SITE}/meetings/{meeting.pk}/"
    accept = rotterdam.activity("Accept", object=meeting_url, content=THEIR_NOTE)
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    minutes_record(actor=sam, item=item, text=OUR_MINUTES)
    # The minutes' delivery fails once: they wait, pending, for their next attempt.
    rotterdam.server.answer = 503
    with capture(execute=True):
        minutes_submit(
            actor=sam,
            meeting=Meeting.objects.get(pk=meeting.pk),
            deadline=timezone.now() + datetime.timedelta(days=7),
        )
    work_off()
    rotterdam.server.answer = 202
    assert OUR_MINUTES in _pending_payloads()
    # A statement drafted with Rotterdam, which states its position with reservations.
    with capture(execute=True):
        statement = statement_create(
            actor=sam,
            organization=owner_org,
            title=OUR_STATEMENT,
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[accepted.pk]),
            adopted_visibility="network",
            min_agree=2,
            **deadlines(),
        )
    work_off()
    with capture(execute=True):
        positions_call(actor=sam, statement=statement)
    work_off()
    statement_url = f"{SITE}/statements/{statement.pk}/"
    reserved = rotterdam.activity(
        "TentativeAccept", object=statement_url, content=THEIR_RESERVATION
    )
    assert rotterdam.post(client, INBOX, reserved).status_code == 202
    # Advice to Rotterdam: exchanged with it, either side's erase removes it.
    with capture(execute=True):
        advice = advice_give(
            actor=sam, sender=owner_org, receiver=accepted, subject="Ports", text="Organise."
        )
    work_off()
    rows = "\n".join(_federation_rows())
    for text in OTHER_SECRETS:
        assert text in rows, text
    posted_before = len(rotterdam.server.posted)

    with capture(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    work_off()

    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Statement.objects.filter(pk=statement.pk).exists()
    # Rotterdam's inbox got the meeting's cancellation and the Delete of its minutes and of the
    # statement, each carrying nothing but its address.
    sent = [json.loads(body) for _path, _h, body in rotterdam.server.posted[posted_before:]]
    told = {activity["object"]["id"]: activity for activity in sent}
    assert sorted(told) == sorted(
        [
            meeting_url,
            f"{SITE}/meetings/{meeting.pk}/minutes/",
            statement_url,
            f"{SITE}/statements/advice/{advice.pk}/",
        ]
    )
    for activity in sent:
        assert activity["actor"] == METAL and activity["to"] == [rotterdam.actor]
    cancelled = told[meeting_url]
    assert cancelled["type"] == "Update"
    assert cancelled["object"]["type"] == "Event" and cancelled["object"]["status"] == "CANCELLED"
    assert told[statement_url]["type"] == "Delete"
    assert told[statement_url]["object"]["type"] == "Tombstone"
    assert told[statement_url]["object"]["formerType"] == "Article"
    sent_text = json.dumps(sent, ensure_ascii=False)
    rows = "\n".join(_federation_rows())
    for text in OTHER_SECRETS:
        assert text not in sent_text, text
        assert text not in rows, text
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    # The advice goes, here, and Rotterdam is asked to delete its `Note`.
    assert not Advice.objects.filter(pk=advice.pk).exists()
    assert not OutgoingActivity.objects.filter(activity_id=create_id(advice)).exists()
    deleted = told[f"{SITE}/statements/advice/{advice.pk}/"]
    assert deleted["type"] == "Delete" and deleted["object"]["formerType"] == "Note"


def _fetch(client):  # type: ignore[no-untyped-def]
    """GET a document of this server as a remote server does (the test client: no port)."""

    def fetch(url: str) -> dict | None:
        response = client.get(url.removeprefix(SITE), HTTP_ACCEPT="application/activity+json")
        return response.json() if response.status_code == 200 else None

    return fetch


def test_the_deletes_of_an_erase_that_removes_the_profile_are_verified_by_the_remote_server(
    client, owner_org, ana, sam, rotterdam, accepted, work_off, django_capture_on_commit_callbacks
):
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    secret = AppealFactory(
        organization=owner_org, created_by=sam, visibility="addressed", title=SECRET_TITLE
    )
    with django_capture_on_commit_callbacks(execute=True):
        appeal_send(actor=sam, appeal=secret, criteria=Criteria(add=[accepted.pk]))
    work_off()
    posted_before = len(rotterdam.server.posted)

    with django_capture_on_commit_callbacks(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=False)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    owner_org.refresh_from_db()
    assert owner_org.slug != "metal-sp"  # the profile went, and its address with it
    work_off()

    (posted,) = rotterdam.server.posted[posted_before:]
    delete = json.loads(posted[2])
    assert delete["type"] == "Delete" and delete["actor"] == METAL
    # Rotterdam's server fetches the key the Delete names, at the address it knew, and it
    # verifies: it is the key of the actor the Delete speaks for.
    key = rotterdam.server.verify(posted, _fetch(client))
    assert key["owner"] == METAL and key["id"].startswith(f"{METAL}/keys/")
    # The rest of the old address answers 410 Gone.
    gone = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"
    # A new organization of the same name does not get the old address, which other servers
    # knew: its activities would be refused, or taken for the erased union's.
    first = organization_create(actor=System("cli"), name="Metal SP", country="DE", kind="union")
    assert first.slug != "metal-sp"
    # Once nothing of it waits to be delivered, the daily prune stops serving its key there;
    # the address stays gone and its slug reserved.
    assert prune_history.call()["federation keys at erased addresses"] == 1
    assert _fetch(client)(key["id"]) is None
    gone = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert gone.status_code == 410
    second = organization_create(actor=System("cli"), name="Metal SP", country="DE", kind="union")
    assert "metal-sp" not in {first.slug, second.slug}
    with pytest.raises(ValidationError) as refused:
        organization_update(actor=System("cli"), organization=second, slug="metal-sp")
    assert "slug" in refused.value.message_dict
    second.refresh_from_db()
    assert second.slug != "metal-sp"


def test_advice_given_long_ago_to_a_remote_organization_is_still_deleted_there(
    owner_org, ana, sam, rotterdam, accepted, work_off, django_capture_on_commit_callbacks
):
    """Its `Create` went to one inbox and is pruned after 30 days; the advice itself says whom
    it was given to."""
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        advice = advice_give(
            actor=sam, sender=owner_org, receiver=accepted, subject="Ports", text="Organise."
        )
    work_off()
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Advice.objects.filter(pk=advice.pk).update(created_at=long_ago)
    OutgoingActivity.objects.filter(activity_id=create_id(advice)).update(created_at=long_ago)
    prune_history.call()
    assert not OutgoingActivity.objects.filter(activity_id=create_id(advice)).exists()
    posted_before = len(rotterdam.server.posted)

    with django_capture_on_commit_callbacks(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    work_off()

    sent = [json.loads(body) for _path, _h, body in rotterdam.server.posted[posted_before:]]
    assert [(a["type"], a["object"]["id"], a["object"]["formerType"]) for a in sent] == [
        ("Delete", f"{SITE}/statements/advice/{advice.pk}/", "Note")
    ]
    assert sent[0]["to"] == [rotterdam.actor]


def test_a_remote_organization_listed_here_does_not_take_an_erased_profiles_slug(
    rotterdam, oscar, owner_org
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))
    base = slugify(f"{entry.username}-{entry.host.replace(':', '-')}")
    ErasedSlug.objects.create(slug=base)
    listed = remote_accept(actor=oscar, entry=entry)
    assert listed.slug == f"{base}-2"


def test_a_meeting_and_a_statement_sent_long_ago_to_a_remote_organization_are_still_gone_there(
    client, owner_org, ana, sam, rotterdam, accepted, work_off, django_capture_on_commit_callbacks
):
    """Their `Create`s went to one inbox and are pruned after 30 days; the meeting's invitations
    and the statement's participants say whom they were given to."""
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    capture = django_capture_on_commit_callbacks
    meeting = plan_meeting(sam, owner_org, title="Wolfram meeting", visibility="addressed")
    with capture(execute=True):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[accepted.pk]))
    work_off()
    meeting_url = f"{SITE}/meetings/{meeting.pk}/"
    accept = rotterdam.activity("Accept", object=meeting_url, content=THEIR_NOTE)
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    with capture(execute=True):
        statement = statement_create(
            actor=sam,
            organization=owner_org,
            title=OUR_STATEMENT,
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[accepted.pk]),
            adopted_visibility="network",
            min_agree=2,
            **deadlines(),
        )
    work_off()
    long_ago = timezone.now() - datetime.timedelta(days=31)
    OutgoingActivity.objects.update(created_at=long_ago)
    prune_history.call()
    assert not OutgoingActivity.objects.exists()
    posted_before = len(rotterdam.server.posted)

    with capture(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    work_off()

    sent = [json.loads(body) for _path, _h, body in rotterdam.server.posted[posted_before:]]
    told = sorted((a["type"], a["object"]["id"], a["object"].get("status", "")) for a in sent)
    assert told == [
        ("Delete", f"{SITE}/statements/{statement.pk}/", ""),
        ("Update", meeting_url, "CANCELLED"),
    ]
    assert all(activity["to"] == [rotterdam.actor] for activity in sent)


OUR_REASON = "Umber fund promised to the Santos strikers"


def test_an_erasing_organizations_reason_for_declining_a_remote_appeal_does_not_stay_queued(
    client,
    client_for,
    owner_org,
    ana,
    sam,
    rotterdam,
    accepted,
    work_off,
    django_capture_on_commit_callbacks,
):
    """The Metalworkers decline Rotterdam's confidential appeal, with their reason; Rotterdam's
    server is down, so it waits. Their erase takes it: nothing of the reason is sent later."""
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    assert (
        rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL])).status_code
        == 202
    )
    work_off()
    theirs = received(rotterdam)
    rotterdam.server.answer = 503
    declined = {"organization": "metal-sp", "reason": OUR_REASON}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(sam).post(f"/appeals/{theirs.pk}/decline/", declined).status_code == 302
    work_off()
    assert OUR_REASON in _pending_payloads()  # else the check below would prove nothing
    posted_before = len(rotterdam.server.posted)

    with django_capture_on_commit_callbacks(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    rotterdam.server.answer = 202
    work_off()

    assert OUR_REASON not in _pending_payloads()
    assert not OutgoingActivity.objects.filter(activity_type="Reject").exists()
    sent_after = rotterdam.server.posted[posted_before:]
    assert not any(OUR_REASON in body.decode() for _p, _h, body in sent_after)


OUR_POSITION = "Saffron objection to paragraph three"


def test_an_erasing_organizations_position_on_a_remote_statement_does_not_stay_queued(
    client,
    owner_org,
    ana,
    sam,
    rotterdam,
    accepted,
    work_off,
    django_capture_on_commit_callbacks,
):
    """The Metalworkers state their position on Rotterdam's statement, with its text; Rotterdam's
    server is down, so it waits. Their erase takes it: nothing of the text is sent later."""
    from internationale.statements.consensus import position_state

    from .test_received_statements import article as statement_article
    from .test_received_statements import copy_of, send
    from .test_received_statements_steps import called

    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    assert send(client, rotterdam, "Create", statement_article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    work_off()
    rotterdam.server.answer = 503
    with django_capture_on_commit_callbacks(execute=True):
        position_state(
            actor=sam,
            statement=statement,
            organization=owner_org,
            stance="block",
            text=OUR_POSITION,
        )
    work_off()
    assert OUR_POSITION in _pending_payloads()  # else the check below would prove nothing

    with django_capture_on_commit_callbacks(execute=True):
        request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    rotterdam.server.answer = 202
    work_off()

    assert OUR_POSITION not in _pending_payloads()
    assert not OutgoingActivity.objects.filter(payload__content=OUR_POSITION).exists()
