"""Aid confirmed and pledges fulfilled across servers: the issuer of an appeal of this server
confirming receipt of aid a remote organization declared tells that organization's server (an
`Accept` of its `Add`); a remote issuer's confirmation of aid declared here confirms it here; a
pledge to a received appeal marked fulfilled here reaches the issuer (an `Update` of the
`Pledge`), and a remote organization's pledge marked fulfilled on its server is fulfilled here."""

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.aid.models import Contribution
from internationale.appeals.models import AppealUpdate, Pledge
from internationale.core.history import prune_history
from internationale.federation.models import OutgoingActivity, ReceivedActivity

from .conftest import (
    INBOX,
    METAL,
    article,
    create,
    declared_aid,
    fulfilment,
    offer,
    received,
    sent_to,
)

pytestmark = pytest.mark.django_db


def test_the_issuer_confirming_aid_from_a_remote_organization_tells_its_server(
    client, client_for, addressed, rotterdam, sam, work_off, django_capture_on_commit_callbacks
):
    _pledged, aid = declared_aid(rotterdam, client, addressed)
    contribution = Contribution.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client_for(sam).post(f"/appeals/aid/{contribution.pk}/confirm/")
        assert confirm.status_code == 302
    work_off()
    accepts = [a for _p, _h, a in sent_to(rotterdam) if a["type"] == "Accept"]
    assert len(accepts) == 1
    accept = accepts[0]
    assert (accept["actor"], accept["to"], accept["object"]) == (
        METAL,
        [rotterdam.actor],
        aid["id"],
    )
    assert accept["fulfilsPledge"] is False  # 200 of 500 euros: the pledge stays open
    assert "cc" not in accept
    # Sent once: the tasks run again send nothing more.
    work_off()
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)].count("Accept") == 1


def test_a_remote_issuers_confirmation_confirms_the_aid_declared_here_and_fulfils_the_pledge(
    client, client_for, rotterdam, accepted, sam, work_off, django_capture_on_commit_callbacks
):
    assert (
        rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL])).status_code
        == 202
    )
    work_off()
    appeal = received(rotterdam)
    speaker = client_for(sam)
    pledge_form = {
        "organization": "metal-sp",
        "forms": ["material_aid"],
        "description": "A week of our strike fund.",
        "amount": "750.00",
        "currency": "EUR",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert speaker.post(f"/appeals/{appeal.pk}/pledge/", pledge_form).status_code == 302
        pledge = Pledge.objects.get(appeal=appeal)
        aid = {"amount": "250", "currency": "EUR", "reference": "Transfer 7"}
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/aid/", aid).status_code == 302
    work_off()
    add = next(a for _p, _h, a in sent_to(rotterdam) if a["type"] == "Add")
    # An Accept of an Add this server never sent changes nothing.
    stray = rotterdam.activity("Accept", object=f"{add['id']}-none", fulfilsPledge=True)
    assert rotterdam.post(client, INBOX, stray).status_code == 202
    contribution = Contribution.objects.get()
    assert contribution.confirmed_at is None
    # The aid keeps the id of the Add that carried it: the issuer's Accept finds it by it.
    assert contribution.remote_activity_id == add["id"]
    accept = rotterdam.activity("Accept", object=add["id"], fulfilsPledge=True)
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    contribution.refresh_from_db()
    pledge.refresh_from_db()
    assert contribution.confirmed_at is not None and contribution.fulfilled_pledge
    assert pledge.status == Pledge.Status.FULFILLED
    # The pledging organization sees it confirmed on the appeal's page; nothing is sent back.
    page = speaker.get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 200 and "Fulfilled" in page.content.decode()
    work_off()
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)] == ["Offer", "Add"]


def test_a_pledge_to_a_received_appeal_marked_fulfilled_reaches_the_issuer(
    client, client_for, rotterdam, accepted, sam, work_off, django_capture_on_commit_callbacks
):
    assert (
        rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL])).status_code
        == 202
    )
    work_off()
    appeal = received(rotterdam)
    speaker = client_for(sam)
    pledge_form = {
        "organization": "metal-sp",
        "forms": ["propaganda"],
        "description": "A statement in our paper.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert speaker.post(f"/appeals/{appeal.pk}/pledge/", pledge_form).status_code == 302
        pledge = Pledge.objects.get(appeal=appeal)
        done = {"evidence_text": "Printed on page 2.", "evidence_link": "https://paper.example/2"}
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/fulfil/", done).status_code == 302
    work_off()
    sent = {a["type"]: a for _p, _h, a in sent_to(rotterdam)}
    assert list(sent) == ["Offer", "Update"]
    update = sent["Update"]
    assert update["target"] == sent["Offer"]["id"] and update["to"] == [rotterdam.actor]
    fulfilled = update["object"]
    assert (fulfilled["type"], fulfilled["status"], fulfilled["evidence"]) == (
        "Pledge",
        "fulfilled",
        "Printed on page 2.",
    )
    assert fulfilled["evidenceLink"] == "https://paper.example/2"


def test_a_pledge_fulfilled_with_a_file_alone_reaches_the_issuer_saying_so(
    client, client_for, rotterdam, accepted, sam, work_off, django_capture_on_commit_callbacks
):
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    speaker = client_for(sam)
    pledge_form = {"organization": "metal-sp", "forms": ["propaganda"], "description": "A post."}
    with django_capture_on_commit_callbacks(execute=True):
        assert speaker.post(f"/appeals/{appeal.pk}/pledge/", pledge_form).status_code == 302
        pledge = Pledge.objects.get(appeal=appeal)
        upload = SimpleUploadedFile("letter.txt", b"Dear board", "text/plain")
        done = {"evidence_file": upload}
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/fulfil/", done).status_code == 302
    work_off()
    update = next(a for _p, _h, a in sent_to(rotterdam) if a["type"] == "Update")
    assert update["object"]["evidence"] == (
        "Shown by a file, kept on the pledging organization's server."
    )
    assert "evidenceLink" not in update["object"]


def _pruned(settings: Any) -> None:
    """A month on: the daily prune removes the activities received and sent to one inbox."""
    settings.INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS = 30
    settings.INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    ReceivedActivity.objects.update(received_at=old)
    OutgoingActivity.objects.update(created_at=old)
    pruned = prune_history.call()
    assert pruned["federation activities received"] and not ReceivedActivity.objects.exists()


def test_a_remote_organizations_pledge_marked_fulfilled_there_is_fulfilled_here(
    client, addressed, rotterdam
):
    pledged, _aid = declared_aid(rotterdam, client, addressed)
    pledge = Pledge.objects.get()
    # No evidence: refused with its reason, the pledge still pledged.
    bare = rotterdam.post(client, INBOX, fulfilment(rotterdam, pledged, status="fulfilled"))
    assert (bare.status_code, bare.json()["error"]) == (422, "evidence_required")
    elsewhere = fulfilment(rotterdam, pledged, status="fulfilled", evidence="Sent.")
    elsewhere["target"] = f"{rotterdam.server.url}/activities/none"
    unknown = rotterdam.post(client, INBOX, elsewhere)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "unknown_pledge")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED
    done = fulfilment(rotterdam, pledged, status="fulfilled", evidence="All 500 euros sent.")
    assert rotterdam.post(client, INBOX, done).status_code == 202
    pledge.refresh_from_db()
    assert (pledge.status, pledge.evidence_text) == (Pledge.Status.FULFILLED, "All 500 euros sent.")


def test_a_remote_organizations_pledge_is_still_fulfilled_and_withdrawn_after_the_prune(
    client, settings, addressed, rotterdam
):
    pledged, _aid = declared_aid(rotterdam, client, addressed)
    second = offer(rotterdam, addressed)
    assert rotterdam.post(client, INBOX, second).status_code == 202
    _pruned(settings)

    done = fulfilment(rotterdam, pledged, status="fulfilled", evidence="All 500 euros sent.")
    assert rotterdam.post(client, INBOX, done).status_code == 202
    undo = rotterdam.activity("Undo", object=second["id"])
    assert rotterdam.post(client, INBOX, undo).status_code == 202

    statuses = dict(Pledge.objects.values_list("remote_activity_id", "status"))
    assert statuses == {pledged["id"]: "fulfilled", second["id"]: "withdrawn"}


@pytest.mark.parametrize("pruned", [False, True], ids=["", "even_after_the_prune"])
def test_a_remote_issuers_note_in_reply_to_the_pledge_confirms_the_aid_and_fulfils_it(
    client,
    client_for,
    settings,
    rotterdam,
    accepted,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
    pruned,
):
    # The issuer's software knows no pledge: it answers the pledge with a reply, a Note.
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    speaker = client_for(sam)
    pledge_form = {
        "organization": "metal-sp",
        "forms": ["material_aid"],
        "description": "A week of our strike fund.",
        "amount": "750.00",
        "currency": "EUR",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert speaker.post(f"/appeals/{appeal.pk}/pledge/", pledge_form).status_code == 302
        pledge = Pledge.objects.get(appeal=appeal)
        aid = {"amount": "250", "currency": "EUR", "reference": "Transfer 7"}
        assert speaker.post(f"/appeals/pledges/{pledge.pk}/aid/", aid).status_code == 302
    work_off()
    offered = next(a for _p, _h, a in sent_to(rotterdam) if a["type"] == "Offer")
    if pruned:
        _pruned(settings)
        assert not OutgoingActivity.objects.filter(activity_id=offered["id"]).exists()

    def reply(to: str) -> dict[str, Any]:
        note = {
            "id": f"{obj['id']}#reply-{to[-6:]}",
            "type": "Note",
            "attributedTo": rotterdam.actor,
            "inReplyTo": to,
            "content": "<p>Received, thank you: your pledge is fulfilled.</p>",
        }
        return create(rotterdam, note, [METAL])

    # A reply to something else changes nothing.
    assert rotterdam.post(client, INBOX, reply(f"{offered['id']}-other")).status_code == 202
    assert Contribution.objects.get().confirmed_at is None
    assert rotterdam.post(client, INBOX, reply(offered["object"]["id"])).status_code == 202
    contribution = Contribution.objects.get()
    pledge.refresh_from_db()
    assert contribution.confirmed_at is not None and contribution.fulfilled_pledge
    assert pledge.status == Pledge.Status.FULFILLED
    assert not AppealUpdate.objects.filter(appeal=appeal, kind="update").exists()
