"""Meetings across servers: an invitation of a remote organization reaches its own inbox as the
`Create` of an `Event` (its place and online link to it alone), the meeting's change and
cancellation follow it as `Update`s; the remote organization's `Accept`, `TentativeAccept` and
`Reject` of the `Event` are its acceptance and decline, as a local organization's would be; what
it may not answer is refused with its reason and nothing changed."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.agenda import agenda_item_add, agenda_item_edit
from internationale.cooperation.cancellation import meeting_cancel
from internationale.cooperation.minutes import minutes_record, minutes_submit
from internationale.cooperation.models import Invitation, Meeting, Minutes, MinutesApproval
from internationale.cooperation.services import meeting_edit, meeting_invite
from internationale.core.history import prune_history
from internationale.core.models import AuditEntry, Notice
from internationale.core.notices import notice_send
from internationale.federation import documents
from internationale.federation.keys import current_key
from internationale.federation.models import (
    Block,
    Delivery,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
)
from internationale.federation.signatures import verify

from .conftest import SITE, plan_meeting, sent_to, taken_as_blocked

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"


@pytest.fixture
def meeting(  # type: ignore[no-untyped-def]
    sam, owner_org, other_org, accepted, work_off, django_capture_on_commit_callbacks
) -> Meeting:
    """A meeting of the Metalworkers with an agenda, Rotterdam and the Korean dockworkers
    invited, the invitations delivered."""
    planned = plan_meeting(sam, owner_org)
    agenda_item_add(actor=sam, meeting=planned, title="Closures announced in Santos")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(
            actor=sam, meeting=planned, criteria=Criteria(add=[accepted.pk, other_org.pk])
        )
    work_off()
    planned.refresh_from_db()
    return planned


def meeting_url(meeting: Meeting) -> str:
    return f"{SITE}/meetings/{meeting.pk}/"


def test_an_invitation_reaches_the_remote_organization_alone_as_an_event(
    meeting, rotterdam, owner_org
):
    sent = sent_to(rotterdam)
    assert [activity["type"] for _p, _h, activity in sent] == ["Create"]
    path, headers, create = sent[0]
    # To its own inbox, as the Metalworkers, signed with their key; never public, no cc.
    assert path == "/users/havenbond/inbox"
    assert (create["actor"], create["to"]) == (METAL, [rotterdam.actor])
    assert "cc" not in create
    verify(
        method="POST",
        url=rotterdam.server.url + path,
        headers=headers,
        body=rotterdam.server.posted[0][2],
        public_key_pem=current_key(owner_org).public_key_pem,
    )
    event = create["object"]
    assert (event["type"], event["id"], event["to"]) == (
        "Event",
        meeting_url(meeting),
        [rotterdam.actor],
    )
    assert "cc" not in event
    assert event["name"] == "Maersk in Santos and Rotterdam"
    # Its times in the meeting's own zone, with the zone named (as Mobilizon reads them).
    start = datetime.datetime.fromisoformat(event["startTime"])
    assert start == meeting.start_at and start.utcoffset() == datetime.timedelta(hours=-3)
    assert event["timezone"] == "America/Sao_Paulo"
    assert event["location"] == {"type": "Place", "name": "Rua do Carmo 12, São Paulo"}
    assert event["attachment"][0]["href"] == "https://meet.example.org/maersk-santos"
    assert (event["status"], event["meetingKind"]) == ("CONFIRMED", "bilateral")
    # Its description and agenda in its language.
    content = event["contentMap"][meeting.language]
    assert "<em>closures</em>" in content and "Closures announced in Santos" in content
    # The tasks run again send nothing twice.
    assert len(rotterdam.server.posted) == 1


def test_a_change_and_a_cancellation_follow_the_event_to_the_remote_invitee(
    meeting, rotterdam, sam, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=meeting, place="Sindicato, Santos")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=sam, meeting=meeting, reason="The port is closed by the police.")
    work_off()
    work_off()
    sent = sent_to(rotterdam)
    assert [activity["type"] for _p, _h, activity in sent] == ["Create", "Update", "Update"]
    changed, cancelled = (activity for _p, _h, activity in sent[1:])
    for activity in (changed, cancelled):
        assert activity["to"] == [rotterdam.actor] and "cc" not in activity
        assert activity["object"]["id"] == meeting_url(meeting)
    assert changed["object"]["location"]["name"] == "Sindicato, Santos"
    assert changed["object"]["status"] == "CONFIRMED"
    assert (cancelled["object"]["status"], cancelled["object"]["ical:status"]) == (
        "CANCELLED",
        "CANCELLED",
    )
    assert cancelled["object"]["cancelReason"] == "The port is closed by the police."


def test_a_meeting_deleted_with_an_organization_it_names_is_cancelled_at_the_remote_invitee(
    sam, owner_org, other_org, accepted, rotterdam, work_off, django_capture_on_commit_callbacks
):
    """A delegation visit of the Metalworkers to the Korean dockworkers, Rotterdam invited too:
    the dockworkers' organization deleted (by an operator), the visit goes with it, and
    Rotterdam's calendar is told it is cancelled rather than left waiting."""
    visit = plan_meeting(sam, owner_org, kind="delegation", sender=owner_org, receiver=other_org)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=sam, meeting=visit, criteria=Criteria(add=[accepted.pk]))
    work_off()

    with django_capture_on_commit_callbacks(execute=True):
        other_org.delete()
    work_off()

    assert not Meeting.objects.filter(pk=visit.pk).exists()
    sent = [activity for _p, _h, activity in sent_to(rotterdam)]
    assert [activity["type"] for activity in sent] == ["Create", "Update"]
    cancelled = sent[1]
    assert (cancelled["actor"], cancelled["to"]) == (METAL, [rotterdam.actor])
    assert cancelled["object"]["id"] == meeting_url(visit)
    assert cancelled["object"]["status"] == "CANCELLED"
    # Its address and status only: nothing of the meeting (its place, its link) goes again.
    assert "location" not in cancelled["object"] and "attachment" not in cancelled["object"]


def _answer(remote: Any, kind: str, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    return remote.activity(kind, object=meeting_url(meeting), **extra)


def test_a_remote_invitee_accepts_and_declines_as_a_local_organization_would(
    client, meeting, rotterdam, accepted, owner_org
):
    accept = _answer(rotterdam, "Accept", meeting, content="Two of our stewards will come.")
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    invitation = Invitation.objects.get(meeting=meeting, organization=accepted)
    assert (invitation.status, invitation.note) == ("accepted", "Two of our stewards will come.")
    assert not invitation.delegates.exists()  # named on its own server
    # The same service's audit and notice: the host is told who takes part.
    entry = AuditEntry.objects.get(action="meeting.accept")
    assert entry.acting_for == accepted and entry.data["remote_actor"] == rotterdam.actor
    told = Notice.objects.get(kind="meeting.answered")
    assert (told.organization_ids, told.sender_id) == ([owner_org.pk], accepted.pk)
    assert ReceivedActivity.objects.get(activity_id=accept["id"]).outcome == "meeting_accepted"
    decline = _answer(rotterdam, "Reject", meeting, content="The strike keeps us home.")
    assert rotterdam.post(client, INBOX, decline).status_code == 202
    invitation.refresh_from_db()
    assert (invitation.status, invitation.note) == ("declined", "The strike keeps us home.")
    assert AuditEntry.objects.filter(action="meeting.decline").count() == 1
    # A tentative acceptance is an acceptance here (an invitation has no "maybe"), kept as such.
    maybe = _answer(rotterdam, "TentativeAccept", meeting)
    assert rotterdam.post(client, INBOX, maybe).status_code == 202
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    outcome = ReceivedActivity.objects.get(activity_id=maybe["id"]).outcome
    assert outcome == "meeting_accepted_tentatively"


def test_what_a_remote_organization_may_not_answer_is_refused_and_changes_nothing(
    client, meeting, rotterdam, accepted, sam, owner_org, work_off
):
    not_invited = plan_meeting(sam, owner_org, title="Among ourselves")
    public = plan_meeting(sam, owner_org, title="Open forum", visibility="public")
    cancelled = plan_meeting(sam, owner_org, title="Called off")
    meeting_invite(actor=sam, meeting=cancelled, criteria=Criteria(add=[accepted.pk]))
    meeting_cancel(actor=sam, meeting=cancelled)
    work_off()
    gone = f"{SITE}/meetings/999999/"
    cases = [
        (_answer(rotterdam, "Accept", not_invited), 404, "unknown_meeting"),
        (rotterdam.activity("Accept", object=gone), 404, "unknown_meeting"),
        (_answer(rotterdam, "Accept", public), 422, "not_invited"),
        (_answer(rotterdam, "Accept", cancelled), 422, "meeting_cancelled"),
        (
            _answer(rotterdam, "Accept", meeting, id="https://elsewhere.example/activities/1"),
            403,
            "forged_origin",
        ),
    ]
    for activity, status, code in cases:
        response = rotterdam.post(client, INBOX, activity)
        assert (response.status_code, response.json()["error"]) == (status, code), activity
    assert not Invitation.objects.exclude(status="invited").exists()
    assert not ReceivedActivity.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["meeting.accept", "meeting.decline"]).exists()
    # Accepted once; the same activity again is a replay, and another Accept is refused.
    accept = _answer(rotterdam, "Accept", meeting)
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    again = rotterdam.post(client, INBOX, accept)
    assert (again.status_code, again.json()["error"]) == (409, "replayed")
    twice = rotterdam.post(client, INBOX, _answer(rotterdam, "Accept", meeting))
    assert (twice.status_code, twice.json()["error"]) == (422, "already_accepted")
    assert AuditEntry.objects.filter(action="meeting.accept").count() == 1
    assert ReceivedActivity.objects.count() == 1


def test_a_remote_participant_receives_the_minutes_and_approves_them(
    client, meeting, rotterdam, accepted, sam, work_off, django_capture_on_commit_callbacks
):
    assert rotterdam.post(client, INBOX, _answer(rotterdam, "Accept", meeting)).status_code == 202
    item = meeting.agenda_items.get()
    minutes_record(actor=sam, item=item, text="Santos and Rotterdam strike **together**.")
    minutes_url = f"{SITE}/meetings/{meeting.pk}/minutes/"
    early = rotterdam.post(client, INBOX, rotterdam.activity("Accept", object=minutes_url))
    assert (early.status_code, early.json()["error"]) == (422, "minutes_not_submitted")
    with django_capture_on_commit_callbacks(execute=True):
        minutes_submit(
            actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=7)
        )
    work_off()
    created = [a for _p, _h, a in sent_to(rotterdam) if a["type"] == "Create"]
    assert len(created) == 2
    note = created[1]["object"]
    assert (note["type"], note["id"], note["inReplyTo"]) == (
        "Note",
        minutes_url,
        meeting_url(meeting),
    )
    assert note["to"] == [rotterdam.actor] and "cc" not in created[1]
    assert "<strong>together</strong>" in note["content"] and "approvalDeadline" in note
    # Changed after submission: the new text follows, as the Update of the Note.
    with django_capture_on_commit_callbacks(execute=True):
        minutes_record(actor=sam, item=item, text="Santos and Rotterdam strike **as one**.")
    work_off()
    update = sent_to(rotterdam)[-1][2]
    assert (update["type"], update["object"]["id"]) == ("Update", minutes_url)
    assert "<strong>as one</strong>" in update["object"]["content"]
    assert update["to"] == [rotterdam.actor] and "cc" not in update
    approve = rotterdam.activity("Accept", object=minutes_url)
    with django_capture_on_commit_callbacks(execute=True):
        assert rotterdam.post(client, INBOX, approve).status_code == 202
    assert MinutesApproval.objects.get().organization == accepted
    # Its approval was the last one needed: the minutes are frozen, as a local approval would.
    assert Minutes.objects.get(meeting=meeting).status == "frozen"
    assert ReceivedActivity.objects.get(activity_id=approve["id"]).outcome == "minutes_approved"
    # The freezing is told back, as the Update of the Note, marked frozen.
    work_off()
    frozen = sent_to(rotterdam)[-1][2]
    assert (frozen["type"], frozen["object"]["id"], frozen["to"]) == (
        "Update",
        minutes_url,
        [rotterdam.actor],
    )
    assert (
        "frozenAt" in frozen["object"] and "<strong>as one</strong>" in frozen["object"]["content"]
    )


def test_a_remote_invitee_blocked_by_the_host_answers_through_the_shared_inbox_to_no_effect(
    client, meeting, rotterdam, accepted, owner_org
):
    host = rotterdam.server.url.removeprefix("http://")
    Block.objects.create(organization=owner_org, host=host)
    accept = _answer(rotterdam, "Accept", meeting, content="Two of our stewards will come.")

    response = rotterdam.post(client, "/federation/inbox", accept)

    taken_as_blocked(response, owner_org)
    assert Invitation.objects.get(meeting=meeting, organization=accepted).status == "invited"


def test_an_agenda_edited_alone_follows_the_event_to_the_remote_invitee(
    meeting, rotterdam, sam, work_off, django_capture_on_commit_callbacks
):
    item = meeting.agenda_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_add(actor=sam, meeting=meeting, title="Strike fund across the ocean")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_edit(actor=sam, item=item, title="Closures announced in Santos and Itajaí")
    work_off()
    sent = sent_to(rotterdam)
    assert [activity["type"] for _p, _h, activity in sent] == ["Create", "Update", "Update"]
    added, renamed = (activity["object"] for _p, _h, activity in sent[1:])
    assert "Strike fund across the ocean" in added["content"]
    assert "Itajaí" in renamed["content"] and "Strike fund across the ocean" in renamed["content"]
    for _p, _h, activity in sent[1:]:
        assert activity["to"] == [rotterdam.actor] and "cc" not in activity
        assert activity["object"]["id"] == meeting_url(meeting)
    # Newer than what it had, though the meeting's own row did not change.
    assert renamed["updated"] > sent[0][2]["object"]["updated"]
    # Nothing twice when the tasks run again.
    work_off()
    assert len(rotterdam.server.posted) == 3


@pytest.fixture
def followed(alice, owner_org) -> Follower:  # type: ignore[no-untyped-def]
    """Alice, on a server of her own, follows the Metalworkers."""
    return Follower.objects.create(
        organization=owner_org,
        actor=alice.actor,
        host=alice.server.url.removeprefix("http://"),
        inbox=f"{alice.server.url}/users/alice/inbox",
    )


def test_a_public_meeting_reaches_the_hosts_followers_and_an_addressed_one_never(
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
        among_us = plan_meeting(sam, owner_org, title="Among ourselves")
        agenda_item_add(actor=sam, meeting=among_us, title="Our own matters")
        meeting_invite(actor=sam, meeting=among_us, criteria=Criteria(add=[accepted.pk]))
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=among_us, place="Sindicato, Santos")
        agenda_item_add(actor=sam, meeting=among_us, title="Our other matters")
    with django_capture_on_commit_callbacks(execute=True):
        forum = plan_meeting(sam, owner_org, title="Open forum on Maersk", visibility="public")
    work_off()
    # Planned public: its Create goes to the followers at once, nobody being invited yet.
    [(_path, _headers, create)] = sent_to(alice)
    assert (create["type"], create["to"], create["cc"]) == (
        "Create",
        [documents.PUBLIC],
        [f"{METAL}/followers"],
    )
    assert (create["object"]["id"], create["object"]["name"]) == (
        meeting_url(forum),
        "Open forum on Maersk",
    )
    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_add(actor=sam, meeting=forum, title="Closures announced in Santos")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, place="Sindicato, Santos")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=sam, meeting=forum, reason="The port is closed by the police.")
    work_off()
    work_off()
    sent = [activity for _p, _h, activity in sent_to(alice)]
    assert [activity["type"] for activity in sent] == ["Create", "Update", "Update", "Update"]
    agenda, changed, cancelled = (activity["object"] for activity in sent[1:])
    assert "Closures announced in Santos" in agenda["content"]
    assert changed["location"]["name"] == "Sindicato, Santos"
    assert cancelled["status"] == "CANCELLED"
    assert all(activity["to"] == [documents.PUBLIC] for activity in sent)
    # The addressed meeting went to Rotterdam alone; nothing of it to the followers.
    assert all(activity["object"]["id"] == meeting_url(forum) for activity in sent)
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)] == ["Create", "Update", "Update"]
    assert {a["object"]["id"] for _p, _h, a in sent_to(rotterdam)} == {meeting_url(among_us)}


def test_a_meeting_made_public_reaches_the_followers_from_then_on(
    alice, followed, sam, owner_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        forum = plan_meeting(sam, owner_org, title="Open forum on Maersk", visibility="network")
        meeting_edit(actor=sam, meeting=forum, place="Sindicato, Santos")
    work_off()
    assert sent_to(alice) == []
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, visibility="public")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=forum, title="Open forum on Maersk's closures")
    work_off()
    sent = [activity for _p, _h, activity in sent_to(alice)]
    assert [activity["type"] for activity in sent] == ["Create", "Update"]
    assert sent[0]["object"]["location"]["name"] == "Sindicato, Santos"
    assert sent[1]["object"]["name"] == "Open forum on Maersk's closures"


def test_an_invitation_noticed_again_after_the_monthly_prune_is_not_sent_twice(
    meeting, rotterdam, accepted, settings, work_off, django_capture_on_commit_callbacks
):
    # A month on, the daily prune removes the activities sent to one inbox.
    settings.INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS = 30
    settings.INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    OutgoingActivity.objects.update(created_at=old)
    Delivery.objects.update(created_at=old)
    assert prune_history.call()["federation activities sent to one inbox"] == 1
    assert not OutgoingActivity.objects.exists()
    # The invitation told again (a batch run again, say): Rotterdam already has the Event.
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(
            kind="meeting.invited",
            source=meeting,
            organizations=[accepted.pk],
            params={"host": "Metalworkers", "kind": meeting.kind, "title": meeting.title},
        )
    work_off()
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)] == ["Create"]
    assert not OutgoingActivity.objects.exists()


def test_mobilizons_join_and_leave_of_the_event_are_the_remote_invitees_answers(
    client, meeting, rotterdam, accepted
):
    # As Mobilizon sends them: the Event's id as the object, a participation message as content.
    join = _answer(rotterdam, "Join", meeting, content="We will be there.")
    assert rotterdam.post(client, INBOX, join).status_code == 202
    invitation = Invitation.objects.get(meeting=meeting, organization=accepted)
    assert (invitation.status, invitation.note) == ("accepted", "We will be there.")
    assert ReceivedActivity.objects.get(activity_id=join["id"]).outcome == "meeting_accepted"
    leave = _answer(rotterdam, "Leave", meeting)
    assert rotterdam.post(client, INBOX, leave).status_code == 202
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert AuditEntry.objects.filter(action__in=["meeting.accept", "meeting.decline"]).count() == 2
