"""Meetings of other servers received here: a remote organization's invitation of one of this
server's organizations (the `Create` of an `Event`, as this platform or Mobilizon sends it) is a
meeting that organization sees and answers; its answer goes back to the host's inbox alone as the
`Accept` or `Reject` of the `Event`; the host's `Update` changes or cancels it, its `Delete`
removes it; what may not be taken is refused with its reason and nothing changed."""

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.addressing.routing import Criteria
from internationale.cooperation.models import AgendaItem, Invitation, Meeting, Minutes
from internationale.cooperation.services import meeting_create, meeting_invite
from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.federation.models import Block, ReceivedActivity, ReceivedContent
from internationale.federation.received_meetings import AGENDA_ITEMS, agenda_of
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory

from .conftest import SITE, sent_to

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"


def _day(days: int = 20) -> datetime.date:
    return (timezone.now() + datetime.timedelta(days=days)).date()


def event(remote: Any, *, to: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    """An `Event` of Rotterdam's, as this platform's meetings.event makes one: Amsterdam time,
    its agenda in Dutch and in English."""
    url = f"{remote.server.url}/meetings/{uuid.uuid4().int % 10_000}/"
    day = _day()
    content_nl = "<p>Samen tegen de <em>sluitingen</em>.</p><h2>Agenda</h2><ol><li>Santos</li></ol>"
    content_en = "<p>Together against the closures.</p><h2>Agenda</h2><ol><li>Santos</li></ol>"
    document = {
        "id": url,
        "type": "Event",
        "attributedTo": remote.actor,
        "name": "Maersk in Rotterdam en Santos",
        "nameMap": {"nl": "Maersk in Rotterdam en Santos", "en": "Maersk in Rotterdam and Santos"},
        "content": content_nl,
        "contentMap": {"nl": content_nl, "en": content_en},
        "mediaType": "text/html",
        "url": url,
        "startTime": f"{day}T10:00:00+01:00",
        "endTime": f"{day}T13:00:00+01:00",
        "timezone": "Europe/Amsterdam",
        "status": "CONFIRMED",
        "meetingKind": "bilateral",
        "languages": ["nl", "en"],
        "location": {"type": "Place", "name": "Havenbond, Rotterdam"},
        "attachment": [
            {"type": "Link", "name": "Website", "href": "https://meet.example.org/maersk"}
        ],
        "to": to if to is not None else [METAL],
    }
    document.update(fields)
    return document


def create(remote: Any, obj: dict[str, Any]) -> dict[str, Any]:
    return remote.activity("Create", object=obj, to=obj["to"])


def received(client: Any, remote: Any, obj: dict[str, Any]) -> Meeting:
    response = remote.post(client, INBOX, create(remote, obj))
    assert response.status_code == 202, response.content
    return Meeting.objects.get(received_as__url=obj["id"])


def test_an_invitation_from_another_server_is_shown_to_the_invited_organization(
    client, client_for, rotterdam, accepted, owner_org, sam
):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)

    assert (meeting.organization, meeting.title, meeting.kind) == (
        accepted,
        "Maersk in Rotterdam en Santos",
        "bilateral",
    )
    assert meeting.start_at == datetime.datetime.fromisoformat(obj["startTime"])
    assert (meeting.time_zone, meeting.place, meeting.online_link) == (
        "Europe/Amsterdam",
        "Havenbond, Rotterdam",
        "https://meet.example.org/maersk",
    )
    assert Invitation.objects.get(meeting=meeting).organization == owner_org
    sam.time_zone = "America/Sao_Paulo"
    sam.save()
    page = client_for(sam).get(f"/meetings/{meeting.pk}/").content.decode()
    # Its host marked with its home server; its times in the reader's zone (and the meeting's).
    assert "Havenbond Rotterdam" in page and rotterdam.server.url.removeprefix("http://") in page
    assert "America/Sao_Paulo" in page and "Europe/Amsterdam" in page
    # Its title, description and agenda in the reader's language, as its server gave them.
    assert "Maersk in Rotterdam and Santos" in page and "Together against the closures." in page
    assert "Santos" in page
    assert meeting.language == "nl" and "Samen tegen de sluitingen." in meeting.description
    assert "Agenda" not in meeting.description and "Santos" not in meeting.description
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Santos"]


def test_the_invited_organizations_answer_goes_back_to_the_host_alone(
    client,
    client_for,
    rotterdam,
    accepted,
    owner_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    delegate = MembershipFactory(organization=owner_org, role=Membership.Role.MEMBER)
    form = {
        "answer": "accept",
        "organization": owner_org.slug,
        "delegates": [delegate.pk],
        "note": "Two of us will come.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(f"/meetings/{meeting.pk}/answer/", form)
    assert response.status_code == 302
    work_off()
    answers = [a for _p, _h, a in sent_to(rotterdam)]
    assert [a["type"] for a in answers] == ["Accept"]
    accept = answers[0]
    assert (accept["actor"], accept["object"], accept["to"]) == (
        METAL,
        obj["id"],
        [rotterdam.actor],
    )
    assert accept["content"] == "Two of us will come."
    assert sent_to(rotterdam)[0][0] == "/users/havenbond/inbox"
    # Declined later: the Reject follows, once.
    decline = {"answer": "decline", "organization": owner_org.slug, "confirm": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(f"/meetings/{meeting.pk}/answer/", decline)
    work_off()
    work_off()
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)] == ["Accept", "Reject"]


def test_the_hosts_update_changes_cancels_and_its_delete_removes_the_meeting(
    client, rotterdam, accepted, owner_org
):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    moved = {**obj, "location": {"type": "Place", "name": "Maassluis"}, "name": "Maersk (moved)"}
    moved["nameMap"] = {"nl": "Maersk (moved)"}
    update = rotterdam.activity("Update", object=moved, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    meeting.refresh_from_db()
    assert (meeting.place, meeting.title, meeting.sequence) == ("Maassluis", "Maersk (moved)", 1)
    cancelled = {**moved, "status": "CANCELLED", "cancelReason": "The port is closed."}
    cancel = rotterdam.activity("Update", object=cancelled, to=[METAL])
    assert rotterdam.post(client, INBOX, cancel).status_code == 202
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "The port is closed."
    assert ReceivedActivity.objects.get(activity_id=cancel["id"]).outcome == "meeting_cancelled"
    delete = rotterdam.activity("Delete", object=obj["id"], to=[METAL])
    assert rotterdam.post(client, INBOX, delete).status_code == 202
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not ReceivedContent.objects.exists()
    assert AuditEntry.objects.filter(
        action="federation.remote_act", data__outcome="meeting_removed"
    ).exists()


def test_a_meeting_its_host_withdraws_from_its_followers_alone_is_kept_by_the_invited(
    client, client_for, rotterdam, accepted, owner_org, sam
):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    # A public meeting made not public on its server: the Delete of its Tombstone, to the
    # host's followers (the Metalworkers follow Rotterdam too), never to the invited.
    withdrawn = rotterdam.activity(
        "Delete",
        object={
            "id": obj["id"],
            "type": "Tombstone",
            "formerType": "Event",
            "deleted": timezone.now().isoformat(),
        },
        to=[f"{rotterdam.actor}/followers"],
    )
    assert rotterdam.post(client, INBOX, withdrawn).status_code == 202

    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert Invitation.objects.get(meeting=meeting).organization == owner_org
    assert ReceivedActivity.objects.get(activity_id=withdrawn["id"]).outcome == ""
    assert client_for(sam).get(f"/meetings/{meeting.pk}/").status_code == 200
    # Its Update still changes it.
    moved = {**obj, "location": {"type": "Place", "name": "Maassluis"}}
    update = rotterdam.activity("Update", object=moved, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    meeting.refresh_from_db()
    assert meeting.place == "Maassluis"


def test_a_mobilizon_event_is_received_with_its_address_and_online_link(
    client, rotterdam, accepted, owner_org
):
    # The shape Mobilizon sends: its own status term, a postal address, a plain HTML content.
    day = _day(40)
    mobilizon = {
        "id": f"{rotterdam.server.url}/events/4b6f1c2e-6a8e-4e0b-9f35-0f1d0c2f5a11",
        "type": "Event",
        "attributedTo": rotterdam.actor,
        "actor": rotterdam.actor,
        "name": "Havenstaking: informatieavond",
        "content": "<p>Alles over de <b>staking</b>.</p>",
        "mediaType": "text/html",
        "startTime": f"{day}T19:00:00+02:00",
        "endTime": f"{day}T21:00:00+02:00",
        "timezone": "Europe/Amsterdam",
        "ical:status": "CONFIRMED",
        "category": "MEETING",
        "joinMode": "free",
        "isOnline": False,
        "location": {
            "type": "Place",
            "name": "Buurthuis",
            "address": {
                "type": "PostalAddress",
                "streetAddress": "Keileweg 10",
                "postalCode": "3029 BS",
                "addressLocality": "Rotterdam",
                "addressCountry": "Netherlands",
            },
        },
        "attachment": [
            {"type": "PropertyValue", "name": "mz:option", "value": "x"},
            {"type": "Link", "name": "Website", "href": "https://video.example.nl/staking"},
        ],
        "to": [METAL],
        "cc": [],
    }
    meeting = received(client, rotterdam, mobilizon)
    assert meeting.title == "Havenstaking: informatieavond"
    assert meeting.place == "Buurthuis, Keileweg 10, 3029 BS, Rotterdam"
    assert meeting.online_link == "https://video.example.nl/staking"
    assert "**staking**" not in meeting.description and "staking" in meeting.description
    assert meeting.kind == "bilateral" and meeting.language == "nl"


def test_what_cannot_be_taken_of_a_remote_event_is_refused_and_changes_nothing(
    client, rotterdam, accepted, owner_org
):
    host = rotterdam.server.url.removeprefix("http://")
    elsewhere = event(rotterdam, to=["https://elsewhere.example/users/someone"])
    unknown = rotterdam.activity("Update", object=event(rotterdam), to=[METAL])
    forged = event(rotterdam, attributedTo="https://elsewhere.example/users/someone")
    cases = [
        (create(rotterdam, elsewhere), 422, "no_addressee"),
        (unknown, 404, "unknown_meeting"),
        (create(rotterdam, forged), 403, "forged_origin"),
        (create(rotterdam, event(rotterdam, startTime="tomorrow")), 422, "bad_time"),
    ]
    for activity, status, code in cases:
        response = rotterdam.post(client, INBOX, activity)
        assert (response.status_code, response.json()["error"]) == (status, code), activity
    # From a server this server blocked: refused at the inbox.
    Block.objects.create(organization=None, host=host)
    blocked = rotterdam.post(client, INBOX, create(rotterdam, event(rotterdam)))
    assert blocked.status_code == 403
    assert not Meeting.objects.exists()
    assert not Invitation.objects.exists()
    assert not ReceivedContent.objects.exists()
    assert not ReceivedActivity.objects.exists()


# "Maybe": a tentative answer, for a meeting of another server ------------------------------------


def _bearer(user: Any, organization: Any) -> Client:
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_an_organization_here_answers_maybe_and_the_host_alone_gets_a_tentative_accept(
    client,
    client_for,
    rotterdam,
    accepted,
    owner_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    meeting = received(client, rotterdam, event(rotterdam))
    form_page = client_for(sam).get(f"/meetings/{meeting.pk}/answer/").content.decode()
    assert 'value="tentative"' in form_page
    maybe = {"answer": "tentative", "organization": owner_org.slug, "note": "If the port allows."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(f"/meetings/{meeting.pk}/answer/", maybe)
    assert response.status_code == 302
    work_off()
    invitation = Invitation.objects.get(meeting=meeting)
    assert invitation.status == Invitation.Status.TENTATIVE
    # Shown on the meeting's page.
    page = client_for(sam).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Maybe" in page and "If the port allows." in page
    answers = sent_to(rotterdam)
    assert [(p, a["type"]) for p, _h, a in answers] == [
        ("/users/havenbond/inbox", "TentativeAccept")
    ]
    tentative = answers[0][2]
    assert (tentative["actor"], tentative["object"], tentative["to"]) == (
        METAL,
        meeting.received_as.url,
        [rotterdam.actor],
    )
    assert tentative["content"] == "If the port allows."
    # Through the API, accepted later: the Accept follows, once.
    delegate = MembershipFactory(organization=owner_org, role=Membership.Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _bearer(sam, owner_org).post(
            f"/api/v1/meetings/{meeting.pk}/answer",
            {"answer": "accept", "delegates": [delegate.pk]},
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        again = _bearer(sam, owner_org).post(
            f"/api/v1/meetings/{meeting.pk}/answer",
            {"answer": "tentative"},
            content_type="application/json",
        )
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "tentative"
    work_off()
    work_off()
    assert [a["type"] for _p, _h, a in sent_to(rotterdam)] == [
        "TentativeAccept",
        "Accept",
        "TentativeAccept",
    ]
    assert not Invitation.objects.get(meeting=meeting).delegates.exists()


def test_a_meeting_of_this_server_takes_no_maybe(client_for, owner_org, other_org, sam, kim):
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="UTC",
        visibility="addressed",
    )
    meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    assert 'value="tentative"' not in (
        client_for(kim).get(f"/meetings/{meeting.pk}/answer/").content.decode()
    )
    page = client_for(kim).post(
        f"/meetings/{meeting.pk}/answer/", {"answer": "tentative", "organization": other_org.slug}
    )
    assert page.status_code == 200 and "answer" in page.context["form"].errors
    answer = _bearer(kim, other_org).post(
        f"/api/v1/meetings/{meeting.pk}/answer",
        {"answer": "tentative"},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    assert "takes no “maybe”" in answer.json()["detail"]
    assert Invitation.objects.get(meeting=meeting).status == Invitation.Status.INVITED
    assert not AuditEntry.objects.filter(action="meeting.tentative").exists()


# The agenda: structured items here --------------------------------------------------------------


def test_a_received_agenda_becomes_the_meetings_items_and_an_update_replaces_them(
    client, client_for, rotterdam, accepted, owner_org, sam
):
    def agenda(heading: str, titles: list[str]) -> str:
        items = "".join(f"<li>{t}</li>" for t in titles)
        return f"<p>Samen.</p><h2>{heading}</h2><ol>{items}</ol>"

    nl = agenda("Agenda", ["Santos", "Rotterdam &amp; Antwerpen"])
    en = agenda("Agenda", ["Santos port", "Rotterdam &amp; Antwerp"])
    obj = event(rotterdam, content=nl, contentMap={"nl": nl, "en": en})
    meeting = received(client, rotterdam, obj)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Santos",
        "Rotterdam & Antwerpen",
    ]
    assert meeting.description == "Samen."
    # The items in the reader's language, as the host's server gave them.
    page = client_for(sam).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Santos port" in page and "Rotterdam &amp; Antwerp<" in page
    # The host changes its agenda: its Update replaces the items.
    changed = agenda("Agenda", ["Antwerpen"])
    moved = {**obj, "content": changed, "contentMap": {"nl": changed}}
    update = rotterdam.activity("Update", object=moved, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Antwerpen"]
    # A closing list under another heading (as Mobilizon's may have) is the description's.
    other = "<p>Bring:</p><h2>Checklist</h2><ol><li>Badge</li></ol>"
    plain = {**moved, "content": other, "contentMap": {"nl": other}}
    again = rotterdam.activity("Update", object=plain, to=[METAL])
    assert rotterdam.post(client, INBOX, again).status_code == 202
    meeting.refresh_from_db()
    assert not meeting.agenda_items.exists() and "Badge" in meeting.description


def test_an_event_crafted_to_make_the_agenda_slow_to_find_is_read_at_once(
    client, rotterdam, accepted
):
    # Unclosed headings and lists, over and over: a pattern that searches for the agenda tries
    # each heading with each list (two hundred of them took over a second, a body's 256 KB
    # hours); looking back from the end reads the text once.
    # No clock here (speed is the benches'): the text is as long as the parser reads, where such
    # a pattern would not finish before the suite's own limit.
    crafted = "<h2>a</h2><ol>" * 7_000 + "x"
    assert agenda_of(crafted, "en") == (crafted, [])
    # As long as an event may be, and as many unclosed items: received, all description.
    crafted = "<h2>Agenda</h2><ol>" + "<li" * 60_000 + "</ol>"
    obj = event(rotterdam, content=crafted, contentMap=None)
    meeting = received(client, rotterdam, obj)
    assert meeting.agenda_items.count() <= 1


def test_an_agenda_is_found_after_a_description_with_headings_and_lists_of_its_own(
    client, rotterdam, accepted
):
    html = (
        "<h2>Why</h2><ol><li>Closures</li></ol><p>Samen, met İzmir en İstanbul.</p>"
        '<h2 class="agenda">Agenda</h2>\n<ol start="1"><li>Santos</li><li><em>Antwerpen</em></li></ol>\n'
    )
    description, titles = agenda_of(html, "nl")
    assert titles == ["Santos", "Antwerpen"]
    assert (
        description == "<h2>Why</h2><ol><li>Closures</li></ol><p>Samen, met İzmir en İstanbul.</p>"
    )
    # Text after the list: no agenda, all description.
    assert agenda_of(html + "<p>Tot dan.</p>", "nl")[1] == []


# Minutes of a received meeting ------------------------------------------------------------------


def test_the_minutes_of_a_received_meeting_are_shown_and_an_approval_goes_back_to_the_host_alone(
    client,
    client_for,
    rotterdam,
    accepted,
    owner_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    delegate = MembershipFactory(organization=owner_org, role=Membership.Role.MEMBER)
    accept = {"answer": "accept", "organization": owner_org.slug, "delegates": [delegate.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(f"/meetings/{meeting.pk}/answer/", accept)
    work_off()
    # The host's minutes, as this platform's meetings.minutes_note sends them.
    html = "<h2>Santos</h2><p>De bonden <strong>steunen</strong> de staking.</p>"
    note = {
        "id": f"{obj['id']}minutes/",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "name": "Notulen",
        "content": html,
        "contentMap": {"nl": html},
        "approvalDeadline": (timezone.now() + datetime.timedelta(days=7)).isoformat(),
        "to": [METAL],
    }
    create_note = rotterdam.activity("Create", object=note, to=[METAL])
    assert rotterdam.post(client, INBOX, create_note).status_code == 202
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.SUBMITTED
    assert meeting.agenda_items.get().minutes == "De bonden steunen de staking."
    page = client_for(sam).get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "De bonden steunen de staking." in page
    # A participant here approves them: the Accept of their Note, to the host's inbox alone.
    with django_capture_on_commit_callbacks(execute=True):
        approved = client_for(sam).post(
            f"/meetings/{meeting.pk}/minutes/approve/", {"organization": owner_org.slug}
        )
    assert approved.status_code == 302
    work_off()
    last = sent_to(rotterdam)[-1]
    assert (last[0], last[2]["type"], last[2]["object"], last[2]["to"]) == (
        "/users/havenbond/inbox",
        "Accept",
        note["id"],
        [rotterdam.actor],
    )
    # Its host freezes them on its server, not this one (the last approval here)...
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SUBMITTED
    # ... and its Update of the Note, frozen, freezes them here.
    frozen = {**note, "frozenAt": timezone.now().isoformat()}
    update = rotterdam.activity("Update", object=frozen, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.FROZEN
    assert ReceivedActivity.objects.get(activity_id=update["id"]).outcome == "minutes_frozen"


def minutes_note(remote: Any, obj: dict[str, Any], html: str) -> dict[str, Any]:
    return {
        "id": f"{obj['id']}minutes/",
        "type": "Note",
        "attributedTo": remote.actor,
        "inReplyTo": obj["id"],
        "content": html,
        "to": [METAL],
    }


def test_minutes_cannot_take_a_meeting_past_its_number_of_agenda_items(client, rotterdam, accepted):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    # The host's minutes add items the agenda here lacks: up to the meeting's limit...
    first = "".join(f"<h2>Item {i}</h2><p>Said.</p>" for i in range(AGENDA_ITEMS - 1))
    note = minutes_note(rotterdam, obj, first)
    created = rotterdam.post(client, INBOX, rotterdam.activity("Create", object=note, to=[METAL]))
    assert created.status_code == 202, created.content
    assert AgendaItem.objects.filter(meeting=meeting).count() == AGENDA_ITEMS
    # ... and an Update naming others, which would take it past, is refused, nothing changed.
    more = first + "<h2>One more</h2><p>Said.</p>"
    changed = minutes_note(rotterdam, obj, more.replace("Said.", "Changed."))
    update = rotterdam.activity("Update", object=changed, to=[METAL])
    refused = rotterdam.post(client, INBOX, update)
    assert refused.status_code == 422 and "too_many_items" in refused.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting).count() == AGENDA_ITEMS
    assert not AgendaItem.objects.filter(meeting=meeting, minutes__contains="Changed").exists()
    # The same items again are taken.
    again = minutes_note(rotterdam, obj, first.replace("Said.", "Changed."))
    update = rotterdam.activity("Update", object=again, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    assert AgendaItem.objects.filter(meeting=meeting, minutes="Changed.").count() == 99


def test_minutes_crafted_to_be_slow_to_part_into_items_are_read_at_once(
    client, rotterdam, accepted
):
    # Headings never closed, over and over: a pattern that searches for each item's text reads
    # the rest of the minutes from each (four thousand took two seconds); parting them at their
    # headings reads them once.
    obj = event(rotterdam)
    received(client, rotterdam, obj)
    # As many as the parser reads (no clock here: such a pattern would not finish in the suite).
    note = minutes_note(rotterdam, obj, "<h2>" * 25_000)
    refused = rotterdam.post(client, INBOX, rotterdam.activity("Create", object=note, to=[METAL]))
    assert refused.status_code == 422 and "no_text" in refused.content.decode()


def test_minutes_without_an_item_are_refused_and_change_nothing(client, rotterdam, accepted):
    obj = event(rotterdam)
    meeting = received(client, rotterdam, obj)
    note = {
        "id": f"{obj['id']}minutes/",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "content": "<p>Nothing was said.</p>",
        "to": [METAL],
    }
    refused = rotterdam.post(client, INBOX, rotterdam.activity("Create", object=note, to=[METAL]))
    assert refused.status_code == 422 and "no_text" in refused.content.decode()
    assert not Minutes.objects.filter(meeting=meeting).exists()
    assert not ReceivedContent.objects.exclude(minutes_url="").exists()
