"""Meetings' later changes across servers: a public meeting made not public is withdrawn from
its host's followers (its invitees keep it); an agenda item moved to a later meeting changes both
`Event`s on the remote invitees' servers; an item changed in nothing the `Event` shows sends
nothing; a remote participant proposes a correction of the minutes as a local one would, and is
told the host's answer."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.agenda import agenda_item_add, agenda_item_edit, agenda_item_move
from internationale.cooperation.minutes import correction_answer, minutes_record, minutes_submit
from internationale.cooperation.models import Minutes, MinutesCorrection
from internationale.cooperation.services import meeting_edit, meeting_invite
from internationale.core.models import AuditEntry, Notice
from internationale.federation import documents
from internationale.federation.models import Follower, ReceivedActivity

from .conftest import SITE
from .conftest import later as _later
from .conftest import plan_meeting as _plan
from .test_answering import sent_to
from .test_meetings import INBOX, METAL, _answer, followed, meeting, meeting_url

pytestmark = pytest.mark.django_db

__all__ = ["followed", "meeting"]  # fixtures


def _types(remote: Any) -> list[str]:
    return [activity["type"] for _p, _h, activity in sent_to(remote)]


def test_a_public_meeting_made_not_public_is_withdrawn_from_the_followers_alone(
    client,
    alice,
    followed,
    rotterdam,
    accepted,
    sam,
    owner_org,
    work_off,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        forum = _plan(sam, owner_org, title="Open forum on Maersk", visibility="public")
        meeting_invite(actor=sam, meeting=forum, criteria=Criteria(add=[accepted.pk]))
    work_off()
    assert _types(alice) == ["Create"] and _types(rotterdam) == ["Create"]

    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, visibility="network")
    work_off()

    # The followers are told to remove it: its address, nothing of it, to them only.
    withdrawn = sent_to(alice)[-1][2]
    assert withdrawn["type"] == "Delete"
    assert withdrawn["actor"] == METAL
    assert withdrawn["to"] == [f"{METAL}/followers"] and "cc" not in withdrawn
    assert documents.PUBLIC not in withdrawn["to"]
    assert set(withdrawn["object"]) == {"id", "type", "formerType", "deleted"}
    assert (withdrawn["object"]["type"], withdrawn["object"]["formerType"]) == (
        "Tombstone",
        "Event",
    )
    assert withdrawn["object"]["id"] == meeting_url(forum)
    # Rotterdam, invited, keeps it: the change is its Update, never a Delete.
    assert _types(rotterdam) == ["Create", "Update"]
    # The outbox, which anyone reads, no longer carries it (its place, its link): its address.
    outbox = client.get("/federation/actors/metal-sp/outbox?page=1").json()["orderedItems"]
    assert [item["type"] for item in outbox] == ["Delete"]
    assert "Rua do Carmo" not in str(outbox) and "meet.example.org" not in str(outbox)

    # Changed again while not public: the followers get nothing more of it.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, place="Sindicato, Santos")
    work_off()
    assert _types(alice) == ["Create", "Delete"]

    # Made public again: theirs anew, as a Create (what they removed is not updated).
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, visibility="public")
    work_off()
    assert _types(alice) == ["Create", "Delete", "Create"]
    again = sent_to(alice)[-1][2]["object"]
    assert again["location"]["name"] == "Sindicato, Santos"
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, visibility="network")
    work_off()
    work_off()
    assert _types(alice) == ["Create", "Delete", "Create", "Delete"]


def test_an_invitee_that_also_follows_the_host_keeps_a_meeting_withdrawn_from_the_followers(
    alice,
    followed,
    rotterdam,
    accepted,
    sam,
    owner_org,
    work_off,
    django_capture_on_commit_callbacks,
):
    # Partners follow each other: Rotterdam follows the Metalworkers and is invited.
    Follower.objects.create(
        organization=owner_org,
        actor=rotterdam.actor,
        host=rotterdam.server.url.removeprefix("http://"),
        inbox=f"{rotterdam.actor}/inbox",
    )
    with django_capture_on_commit_callbacks(execute=True):
        forum = _plan(sam, owner_org, title="Open forum on Maersk", visibility="public")
        meeting_invite(actor=sam, meeting=forum, criteria=Criteria(add=[accepted.pk]))
    work_off()

    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, visibility="network")
    work_off()

    # Its server would take the Delete as the meeting's removal: it gets the Update alone.
    assert "Delete" not in _types(rotterdam) and "Update" in _types(rotterdam)
    assert _types(alice) == ["Create", "Delete"]


def test_saving_a_meeting_never_public_looks_for_it_in_the_outbox_by_its_address_alone(
    sam, owner_org
):
    private = _plan(sam, owner_org, title="Internal: strike fund")
    with CaptureQueriesContext(connection) as queries:
        meeting_edit(actor=sam, meeting=private, place="Sindicato, Santos")
    # What its followers were sent of it is found through the index of what activities are
    # about, not by reading each activity of the outbox: a private meeting costs one look-up.
    outbox = [
        q["sql"].split(" WHERE ", 1)[-1]
        for q in queries.captured_queries
        if 'FROM "federation_outgoingactivity"' in q["sql"]
    ]
    assert outbox
    assert all('"federation_outgoingactivity"."about" = ' in where for where in outbox), outbox


def test_an_agenda_item_moved_to_a_later_meeting_changes_both_events_remotely(
    meeting, rotterdam, accepted, sam, owner_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        later = _plan(
            sam, owner_org, title="Maersk: the follow-up", start=_later(15), end=_later(17)
        )
        agenda_item_add(actor=sam, meeting=later, title="Strike fund across the ocean")
        meeting_invite(actor=sam, meeting=later, criteria=Criteria(add=[accepted.pk]))
    work_off()
    before = len(sent_to(rotterdam))
    item = meeting.agenda_items.get()

    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_move(actor=sam, item=item, target=later)
    work_off()

    updates = {a["object"]["id"]: a for _p, _h, a in sent_to(rotterdam)[before:]}
    assert set(updates) == {meeting_url(meeting), meeting_url(later)}
    assert all(a["type"] == "Update" for a in updates.values())
    assert "Closures announced in Santos" not in updates[meeting_url(meeting)]["object"]["content"]
    moved_to = updates[meeting_url(later)]["object"]["content"]
    assert "Strike fund across the ocean" in moved_to and "Closures announced in Santos" in moved_to
    # Nothing twice when the tasks run again.
    work_off()
    assert len(sent_to(rotterdam)) == before + 2


def test_an_agenda_item_given_another_rapporteur_alone_sends_no_update(
    meeting, rotterdam, accepted, sam, work_off, django_capture_on_commit_callbacks
):
    item = meeting.agenda_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_edit(actor=sam, item=item, rapporteur=accepted)
    work_off()
    # The Event shows the items' titles, not their rapporteurs: Rotterdam has nothing new.
    assert _types(rotterdam) == ["Create"]
    item.refresh_from_db()
    assert item.rapporteur_id == accepted.pk
    # A title changed with it is sent.
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_edit(
            actor=sam, item=item, title="Closures in Santos and Itajaí", rapporteur=None
        )
    work_off()
    assert _types(rotterdam) == ["Create", "Update"]
    assert "Itajaí" in sent_to(rotterdam)[-1][2]["object"]["content"]


def _correction(remote: Any, minutes_url: str, item: str, text: str, reason: str) -> Any:
    activity = remote.activity("Create")
    activity["object"].update(
        {
            "inReplyTo": minutes_url,
            "content": f"<p>{reason}</p>",
            "source": {"content": reason, "mediaType": "text/markdown"},
            "correction": {"item": item, "text": text},
        }
    )
    return activity


def test_a_remote_participant_proposes_a_correction_of_the_minutes_as_a_local_one_would(
    client,
    meeting,
    rotterdam,
    accepted,
    owner_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    item = meeting.agenda_items.get()
    minutes_record(actor=sam, item=item, text="Santos strikes alone.")
    with django_capture_on_commit_callbacks(execute=True):
        minutes_submit(
            actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=7)
        )
    work_off()
    minutes_url = f"{SITE}/meetings/{meeting.pk}/minutes/"
    at_item = f"{minutes_url}#item-{item.pk}"
    together = "Santos and Rotterdam strike **together**."

    # Invited, not attending: it does not correct the minutes.
    absent = rotterdam.post(
        client, INBOX, _correction(rotterdam, minutes_url, at_item, together, "We were there.")
    )
    assert (absent.status_code, absent.json()["error"]) == (422, "did_not_attend")
    assert not MinutesCorrection.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            rotterdam.post(client, INBOX, _answer(rotterdam, "Accept", meeting)).status_code == 202
        )
    work_off()
    # The minutes' Note names each item by its address, which a correction names.
    with django_capture_on_commit_callbacks(execute=True):
        minutes_record(actor=sam, item=item, text="Santos strikes alone, for now.")
    work_off()
    note = sent_to(rotterdam)[-1][2]["object"]
    assert note["agendaItems"] == [
        {"id": at_item, "type": "Note", "name": "Closures announced in Santos"}
    ]

    # An item that is not one of these minutes': refused, nothing made.
    elsewhere = rotterdam.post(
        client,
        INBOX,
        _correction(rotterdam, minutes_url, f"{minutes_url}#item-999999", together, "Why."),
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (422, "unknown_item")
    assert not MinutesCorrection.objects.exists()

    proposal = _correction(rotterdam, minutes_url, at_item, together, "We struck with you.")
    with django_capture_on_commit_callbacks(execute=True):
        assert rotterdam.post(client, INBOX, proposal).status_code == 202
    correction = MinutesCorrection.objects.get()
    assert (correction.organization, correction.item, correction.text, correction.reason) == (
        accepted,
        item,
        together,
        "We struck with you.",
    )
    assert correction.status == "open"
    # The same audit and notice as a local participant's correction: the host is told.
    assert (
        AuditEntry.objects.filter(action="minutes.correction", organization=accepted).count() == 1
    )
    told = Notice.objects.get(kind="minutes.correction_proposed")
    assert told.source == correction
    assert ReceivedActivity.objects.get(activity_id=proposal["id"]).outcome == (
        "minutes_correction_proposed"
    )

    # The host rejects it, saying why: Rotterdam is told, to its inbox alone.
    with django_capture_on_commit_callbacks(execute=True):
        correction_answer(
            actor=sam, correction=correction, accept=False, reason="You came after the vote."
        )
    work_off()
    rejected = sent_to(rotterdam)[-1][2]
    assert (rejected["type"], rejected["object"], rejected["to"]) == (
        "Reject",
        proposal["object"]["id"],
        [rotterdam.actor],
    )
    assert rejected["content"] == "You came after the vote."

    # Approved, the minutes freeze: a correction then is refused with its reason.
    with django_capture_on_commit_callbacks(execute=True):
        approve = rotterdam.activity("Accept", object=minutes_url)
        assert rotterdam.post(client, INBOX, approve).status_code == 202
    assert Minutes.objects.get(meeting=meeting).status == "frozen"
    late = rotterdam.post(
        client, INBOX, _correction(rotterdam, minutes_url, at_item, together, "Again.")
    )
    assert (late.status_code, late.json()["error"]) == (422, "minutes_frozen")
    assert MinutesCorrection.objects.count() == 1


def test_a_remote_correction_sent_again_in_another_create_is_proposed_once(
    client,
    meeting,
    rotterdam,
    accepted,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    item = meeting.agenda_items.get()
    minutes_record(actor=sam, item=item, text="Santos strikes alone.")
    with django_capture_on_commit_callbacks(execute=True):
        minutes_submit(
            actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=7)
        )
        assert (
            rotterdam.post(client, INBOX, _answer(rotterdam, "Accept", meeting)).status_code == 202
        )
    work_off()
    minutes_url = f"{SITE}/meetings/{meeting.pk}/minutes/"
    first = _correction(
        rotterdam, minutes_url, f"{minutes_url}#item-{item.pk}", "Together.", "We were there."
    )
    again = rotterdam.activity("Create")
    again["object"] = dict(first["object"])  # the same Note, its id and all

    assert rotterdam.post(client, INBOX, first).status_code == 202
    assert rotterdam.post(client, INBOX, again).status_code == 202

    # One Note, one correction for the host to answer: the second Create is recorded only.
    assert MinutesCorrection.objects.count() == 1
    assert ReceivedActivity.objects.get(activity_id=again["id"]).outcome == ""
    assert Notice.objects.filter(kind="minutes.correction_proposed").count() == 1
