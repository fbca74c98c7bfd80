"""Meetings across servers: an invitation of one of this server's organizations to a remote
organization goes to that organization's own inbox as the `Create` of an `Event`; a change of the
meeting as its `Update`; its cancellation as an `Update` with the status `CANCELLED`. The remote
organization's `Accept`, `TentativeAccept` or `Reject` of the `Event` becomes the same service
call as a local acceptance or decline (cooperation/services.py), acting as it (acting.py).

| here | sent | to |
| --- | --- | --- |
| invited (notice "meeting.invited") | `Create` of the `Event` | each remote organization invited, alone |
| changed ("meeting.changed") | `Update` of the `Event` | each remote organization invited that has not declined |
| agenda changed alone (its audit entry "agenda.*") | `Update` of the `Event` | the same |
| a public meeting planned or made public; then each change | `Create`, then `Update`, of the `Event` | its host's followers (never a meeting not public) |
| cancelled ("meeting.cancelled") | `Update` of the `Event`, `status` `CANCELLED` | the same |

Cancelled as an `Update`, not a `Delete`: Mobilizon, the ActivityPub software of events, keeps a
cancelled event (its `status`, iCalendar's, `CANCELLED`) and takes a `Delete` as its removal, as
this platform keeps a cancelled meeting listed, marked cancelled; calendars do the same
(`STATUS:CANCELLED`).

The `Event` carries what an invitee needs (its place and its online link too): it goes to the
organizations invited alone, never to followers, never public; except a public meeting's, whose
page shows all of it to anyone, which goes to its host's followers too (`_meeting_saved`). Its properties are
ActivityStreams' (`name`, `startTime`, `endTime`, `location`, `content` and `contentMap`: the
description and the agenda, in every language the meeting has), Mobilizon's (`timezone`, the
online link as an `attachment` `Link` named "Website", `isOnline`, `status` and `ical:status`)
and the platform's (`meetingKind`, `languages`, `cancelReason`).

Meetings are not edited for it: meetings and their minutes are kinds of content that travel,
declared here (`publishing.Travelling`: MEETINGS, MINUTES); the notices of those kinds reach
them through the channel of notices (publishing.channel), after their change committed; each
activity's id is made from the meeting's (and its sequence, for a change), so a dispatch run
again records nothing twice."""

import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from internationale.cooperation.agenda import participants
from internationale.cooperation.minutes import attended as minutes_attended
from internationale.cooperation.minutes import correction_propose, minutes_approve
from internationale.cooperation.models import AgendaItem, Meeting, Minutes, MinutesCorrection
from internationale.cooperation.selectors import meeting_get
from internationale.cooperation.services import invitation_accept, invitation_decline
from internationale.core.actors import Remote
from internationale.core.links import absolute_url
from internationale.core.models import AuditEntry, Notice, Visibility
from internationale.core.text import render_markdown
from internationale.organizations.models import Organization
from internationale.translation.models import LanguageVersion

from . import documents, publishing, receiving
from .models import ReceivedActivity

ICAL = "http://www.w3.org/2002/12/cal/ical#"
MOBILIZON = "https://joinmobilizon.org/ns#"
# The name Mobilizon gives the attachment that holds an event's online address.
ONLINE_LINK_NAME = "Website"
NOTE_LENGTH = 2000


def context() -> list[Any]:
    """ActivityStreams and, inline, the terms an `Event` carries besides it."""
    return [
        documents.AS_CONTEXT,
        {
            "int": documents.context_url() + "#",
            "ical": ICAL,
            "mz": MOBILIZON,
            "status": {"@id": "ical:status"},
            "timezone": {"@id": "mz:timezone"},
            "isOnline": {"@id": "mz:isOnline"},
            "meetingKind": {"@id": "int:meetingKind"},
            "languages": {"@id": "int:languages", "@container": "@set"},
            "cancelReason": {"@id": "int:cancelReason"},
            "approvalDeadline": {"@id": "int:approvalDeadline"},
            "frozenAt": {"@id": "int:frozenAt"},
            "agendaItems": {"@id": "int:agendaItems", "@container": "@list"},
            "correction": {"@id": "int:correction"},
        },
    ]


def _html(description: str, agenda: list[str], language: str) -> str:
    """The description, then the agenda's items, as HTML."""
    html = str(render_markdown(description)) if description else ""
    if agenda:
        with translation.override(language):
            heading = _("Agenda")
        items = "".join(f"<li>{escape(title)}</li>" for title in agenda)
        html += f"<h2>{heading}</h2><ol>{items}</ol>"
    return html


def event(meeting: Meeting) -> dict[str, Any]:
    """The meeting as an ActivityStreams `Event` (to no one yet: publishing.send_to addresses
    it), its title and its texts in every language it has."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", "title")
    )
    language = meeting.language or "und"
    names = {language: meeting.title}
    contents = {language: _html(meeting.description, [t for _pk, t in items], language)}
    versions = LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk
    ).values_list("language", "texts")
    for tag, texts in versions:
        if tag in names or not texts.get("title"):
            continue
        names[tag] = texts["title"]
        agenda = [texts.get(f"agenda.{pk}.title") or title for pk, title in items]
        contents[tag] = _html(texts.get("description") or meeting.description, agenda, tag)
    url = absolute_url(meeting.get_absolute_url())
    zone = meeting.time_zone
    status = "CANCELLED" if meeting.is_cancelled else "CONFIRMED"
    document: dict[str, Any] = {
        "id": url,
        "type": "Event",
        "attributedTo": documents.actor_url(meeting.organization),
        "name": meeting.title,
        "nameMap": names,
        "content": contents[language],
        "contentMap": contents,
        "mediaType": "text/html",
        "url": url,
        "startTime": _local(meeting.start_at, zone),
        "endTime": _local(meeting.end_at, zone),
        "timezone": zone,
        "published": meeting.created_at.isoformat(),
        "updated": _updated(meeting).isoformat(),
        "status": status,
        "ical:status": status,
        "meetingKind": meeting.kind,
        "languages": list(meeting.languages),
        "isOnline": bool(meeting.online_link) and not meeting.place,
    }
    if meeting.place:
        document["location"] = {"type": "Place", "name": meeting.place}
    if meeting.online_link:
        document["attachment"] = [
            {
                "type": "Link",
                "name": ONLINE_LINK_NAME,
                "mediaType": "text/html",
                "href": meeting.online_link,
            }
        ]
    if meeting.is_cancelled and meeting.cancel_reason:
        document["cancelReason"] = meeting.cancel_reason
    if public(meeting):  # to its host's followers too (publishing.send_to_followers)
        document["to"] = [documents.PUBLIC]
        document["cc"] = [documents.followers_url(meeting.organization)]
    return document


def public(meeting: Meeting) -> bool:
    """Whether the meeting's audience is the public: its life goes to its host's followers too,
    as its page shows it to anyone. A meeting seen by its participants or the network never."""
    return bool(meeting.visibility == Visibility.PUBLIC)


# The changes of a meeting's agenda that change its `Event` (its items' titles and order): each
# recorded in the audit, on the meeting (cooperation/agenda.py).
AGENDA_CHANGES = ("agenda.add", "agenda.change", "agenda.remove", "agenda.reorder", "agenda.move")


def _agenda_changes(meeting: Meeting) -> Any:
    return AuditEntry.objects.for_target(meeting).filter(action__in=AGENDA_CHANGES)


def _updated(meeting: Meeting) -> Any:
    """When the `Event` last changed: the meeting, or its agenda, which is not the meeting's row."""
    agenda = _agenda_changes(meeting).values_list("created_at", flat=True).first()
    return max(meeting.updated_at, agenda) if agenda is not None else meeting.updated_at


def _local(when: Any, zone: str) -> str:
    """A time in the meeting's own zone, with its offset (as Mobilizon sends them)."""
    return when.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()


def ours(meeting: Meeting) -> bool:
    """Whether the meeting's host is one of this server's organizations that is an actor."""
    host: Organization = meeting.organization
    return host.verified_at is not None and not host.remote_actor_url


def _meeting_of(source: Any) -> Meeting | None:
    """The meeting a notice is about, as it stands now (a change's notice carries the meeting
    as the service left it, its sequence counted by the database)."""
    if not isinstance(source, Meeting):
        return None
    return Meeting.objects.select_related("organization").filter(pk=source.pk).first()


# An invitation's `Create` of the meeting's `Event`, to each remote organization newly invited;
# a change's `Update` of the `Event` as it stands, once per change (its sequence); a
# cancellation's `Update`, `status` `CANCELLED`; to each remote organization the notice tells.
MEETINGS = publishing.declare(
    publishing.Travelling(
        name="meetings",
        of=_meeting_of,
        steps={
            "meeting.invited": publishing.Step("Create", once=True),
            "meeting.changed": publishing.Step(
                "Update", key=lambda meeting: f"update-{meeting.sequence}"
            ),
            "meeting.cancelled": publishing.Step("Update", key=lambda meeting: "cancel"),
        },
        document=event,
        context=context,
        ours=ours,
        public=public,
        saved={
            AuditEntry: lambda *saved: _agenda_changed(*saved),
            Meeting: lambda *saved: _meeting_saved(*saved),
        },
    )
)


def _meeting_saved(meeting: Meeting, created: bool, fields: Any) -> publishing.Saved | None:
    """A meeting saved (planned, changed, cancelled: its sequence raised each time), for its
    host's followers alone, in the save's transaction, whether anyone is invited or not. Public:
    the `Create` of its `Event` the first time it is public (planned so, or made so, or made so
    again after it was withdrawn), then the `Update` of each change (its sequence). Made not
    public while its followers have it: the `Delete` of it, to them only (its invitees that have
    not declined keep it, and get theirs from the notices: their servers are not sent the
    `Delete`, even when they follow the host too)."""
    if not ours(meeting):
        return None
    url = absolute_url(meeting.get_absolute_url())
    last = None if created else publishing.last_to_followers(meeting, url)
    shown = last is not None and last.activity_type != "Delete"
    if not public(meeting):
        if shown:
            publishing.withdraw_from_followers(
                MEETINGS,
                meeting,
                f"withdraw-{meeting.sequence}",
                url,
                "Event",
                keep=publishing.accepted_remotes(sorted(participants(meeting))),
            )
        return None
    if last is None:
        return publishing.Saved(meeting, "create", "Create", [], to_followers=True)
    if not shown:  # withdrawn, and public again: theirs anew
        return publishing.Saved(
            meeting, f"create-{meeting.sequence}", "Create", [], to_followers=True
        )
    if fields is not None and "sequence" not in fields:
        return None  # not a change the Event shows
    return publishing.Saved(meeting, f"update-{meeting.sequence}", "Update", [], to_followers=True)


# What an agenda item's change may touch that the `Event` shows: its title (its description, its
# rapporteur and its slot are the meeting's page's, not the `Event`'s).
EVENT_ITEM_FIELDS = {"title"}


def _agenda_changed(entry: AuditEntry, created: bool, fields: Any) -> list[publishing.Saved]:
    """The meeting's agenda changed alone (an item added, changed, removed, moved up or down or to
    a later meeting: not the meeting's row, so no notice "meeting.changed"): the `Update` of its
    `Event`, to each remote organization invited that has not declined, in the change's
    transaction, once per change (its audit entry). An item moved to a later meeting changes both
    `Event`s: each is sent. An item changed in nothing the `Event` shows (its rapporteur, say:
    the entry names what changed) sends nothing."""
    if not created or entry.action not in AGENDA_CHANGES or not entry.target_id.isdigit():
        return []
    if entry.target_type_id != ContentType.objects.get_for_model(Meeting).pk:
        return []
    changed = entry.data.get("fields")
    shown = not isinstance(changed, list) or bool(EVENT_ITEM_FIELDS & set(changed))
    if entry.action == "agenda.change" and not shown:
        return []
    pks = [int(entry.target_id)]
    moved_to = entry.data.get("to_id") if entry.action == "agenda.move" else None
    if isinstance(moved_to, int) and not isinstance(moved_to, bool):
        pks.append(moved_to)
    steps = []
    for meeting in Meeting.objects.select_related("organization").filter(pk__in=pks):
        if not ours(meeting):
            continue
        remotes = publishing.accepted_remotes(sorted(participants(meeting)))
        if not remotes and not public(meeting):
            continue  # nobody to tell: the Event is not even built
        steps.append(
            publishing.Saved(
                meeting,
                f"agenda-{entry.pk}",
                "Update",
                remotes,
                to_followers=True,
                published=entry.created_at.isoformat(),
            )
        )
    return steps


def minutes_note(minutes: Minutes) -> dict[str, Any]:
    """Minutes submitted for approval as a `Note` in reply to the meeting's `Event`: each agenda
    item's title and minutes, in the meeting's language (the original, which is approved), with
    the deadline for approving them."""
    meeting = minutes.meeting
    language = meeting.language or "und"
    items = (
        AgendaItem.objects.filter(meeting=meeting).exclude(minutes="").order_by("position", "pk")
    )
    html = "".join(
        f"<h2>{escape(item.title)}</h2>{render_markdown(item.minutes)}" for item in items
    )
    with translation.override(language):
        name = _("Minutes: %(title)s") % {"title": meeting.title}
    url = absolute_url(minutes.get_absolute_url())
    # Each item by its address, which a participant's correction names (`correction`, below).
    named = [
        {"id": item_url(url, item.pk), "type": "Note", "name": item.title}
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk")
    ]
    document: dict[str, Any] = {
        "id": url,
        "type": "Note",
        "attributedTo": documents.actor_url(meeting.organization),
        "inReplyTo": absolute_url(meeting.get_absolute_url()),
        "name": name,
        "content": html,
        "contentMap": {language: html},
        "mediaType": "text/html",
        "url": url,
        "published": (minutes.submitted_at or minutes.updated_at).isoformat(),
        "agendaItems": named,
    }
    if minutes.approval_deadline is not None:
        document["approvalDeadline"] = minutes.approval_deadline.isoformat()
    if minutes.status == Minutes.Status.FROZEN and minutes.frozen_at is not None:
        document["frozenAt"] = document["updated"] = minutes.frozen_at.isoformat()
    return document


def item_url(minutes_url: str, pk: int) -> str:
    """The address of one agenda item in the minutes' `Note`: the minutes' own, its anchor."""
    return f"{minutes_url}#item-{pk}"


def _submitted(meeting: Meeting) -> str:
    """Minutes are submitted once (a change after it is sent by _minutes_changed)."""
    submitted = meeting.minutes.submitted_at
    return f"minutes-{int(submitted.timestamp()) if submitted else 0}"


# Minutes submitted for approval: their `Create`, to each remote organization that took part
# (the notice tells those that accepted), which approves them with an `Accept`. Under the
# meeting's ids, as a step of its life.
MINUTES = publishing.declare(
    publishing.Travelling(
        name="meetings",
        of=lambda source: source.meeting if isinstance(source, Minutes) else None,
        steps={"minutes.submitted": publishing.Step("Create", key=_submitted)},
        document=lambda meeting: minutes_note(meeting.minutes),
        context=context,
        ours=ours,
        saved={
            AgendaItem: lambda *saved: _minutes_changed(*saved),
            Minutes: lambda *saved: _minutes_frozen(*saved),
        },
    )
)


def _minutes_frozen(minutes: Minutes, created: bool, fields: Any) -> publishing.Saved | None:
    """Minutes frozen (the last approval, or the deadline): the `Update` of their `Note`, with
    `frozenAt`, to each remote organization that took part, in the freezing's transaction, once."""
    if created or minutes.status != Minutes.Status.FROZEN or not fields or "status" not in fields:
        return None
    # As it stands now (the meeting the freezing holds may carry its minutes as they were).
    meeting = Meeting.objects.select_related("organization").get(pk=minutes.meeting_id)
    if not ours(meeting):
        return None
    remotes = publishing.accepted_remotes(minutes_attended(meeting))
    if not remotes:
        return None
    return publishing.Saved(meeting, "minutes-frozen", "Update", remotes)


def _minutes_changed(item: AgendaItem, created: bool, fields: Any) -> publishing.Saved | None:
    """An item's minutes changed after the minutes were submitted (their review reopens, the
    approvals given go): the `Update` of the minutes' `Note`, to each remote participant, in the
    same transaction, so that what it approves is what it has."""
    if created or not fields or "minutes" not in fields:
        return None
    minutes = Minutes.objects.filter(
        meeting_id=item.meeting_id, status=Minutes.Status.SUBMITTED
    ).first()
    if minutes is None or not ours(minutes.meeting):
        return None
    meeting = minutes.meeting
    return publishing.Saved(
        meeting,
        f"minutes-{item.pk}-{item.updated_at.timestamp()}",
        "Update",
        publishing.accepted_remotes(minutes_attended(meeting)),
        published=item.updated_at.isoformat(),
    )


# Acting on the answers of remote organizations (acting.py) ------------------------------------

ANSWER_TYPES = ("Accept", "TentativeAccept", "Reject", "Join", "Leave")


def _meeting(remote: Remote, pk: int) -> Meeting:
    """The meeting as the remote organization may see it: unknown and not visible answer the
    same (its host's block of the sender: acting.act)."""
    try:
        meeting = meeting_get(viewer=remote, pk=pk)
    except Http404:
        raise receiving.Refusal(
            404, "unknown_meeting", _("There is no such meeting for this organization.")
        ) from None
    return meeting


def answer(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Any]:
    """`Accept` (or `TentativeAccept`: an invitation here has no tentative answer, so it is taken
    as an acceptance, and recorded as tentative) or `Reject` of the `Event` of a meeting of this
    server, by a remote organization invited to it: invitation_accept or invitation_decline, with
    its `content` as the note. Its delegates are named on its own server (it has no people here)."""
    kind = activity["type"]
    if kind not in ANSWER_TYPES:
        return "", None
    meeting = _meeting(remote, pk)
    note = activity.get("content") or activity.get("summary") or ""
    note = str(note)[:NOTE_LENGTH] if isinstance(note, str) else ""
    if kind in ("Reject", "Leave"):  # Mobilizon leaves an event it joined, or will not go
        declined = invitation_decline(
            actor=remote, meeting=meeting, organization=organization, note=note
        )
        return "meeting_declined", declined
    accepted = invitation_accept(
        actor=remote, meeting=meeting, organization=organization, delegates=[], note=note
    )
    outcome = "meeting_accepted_tentatively" if kind == "TentativeAccept" else "meeting_accepted"
    return outcome, accepted


def approve_minutes(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Any]:
    """An `Accept` of the minutes of a meeting of this server (their URL here): minutes_approve
    for the remote organization, which took part in it. Any other answer is recorded only: a
    participant objects by proposing a correction (`correction`)."""
    if activity["type"] != "Accept":
        return "", None
    meeting = _meeting(remote, pk)
    return "minutes_approved", minutes_approve(
        actor=remote, meeting=meeting, organization=organization
    )


# A remote participant's correction of this server's minutes -------------------------------------

# The length of a proposed text and of its reason, as a local form would take them.
CORRECTION_LENGTH = 20000


def _minutes_pk(url: Any) -> int | None:
    from .acting import minutes_pk  # acting imports this module

    return minutes_pk(url if isinstance(url, str) else None)


def _text(value: Any) -> str:
    return value[:CORRECTION_LENGTH] if isinstance(value, str) else ""


def correction(
    remote: Remote, organization: Organization, activity: dict[str, Any]
) -> tuple[str, Any] | None:
    """The `Create` of a `Note` in reply to the minutes' `Note` of a meeting of this server,
    carrying `correction` (`item`: the item's address in the minutes, `item_url`; `text`: the
    text it proposes, Markdown) and its reason (`source`, or the `content` as text): the same
    correction_propose as a local participant's, as the remote organization (it must have
    attended, the minutes be submitted and not frozen; the host is told by its notice, the
    audit records it). Its `Note` (its id) proposes once: sent again in another `Create`, it
    is recorded only. None for anything else (another module's)."""
    raw = activity.get("object")
    if activity["type"] != "Create" or not isinstance(raw, dict) or raw.get("type") != "Note":
        return None
    given = raw.get("correction")
    pk = _minutes_pk(documents.id_of(raw.get("inReplyTo")))
    if pk is None or not isinstance(given, dict):
        return None
    note = receiving.own_object(remote, raw)
    meeting = _meeting(remote, pk)
    if ReceivedActivity.objects.filter(
        actor=remote.actor_url, outcome=CORRECTION_PROPOSED, payload__object__id=note["id"]
    ).exists():
        return "", None  # the same Note again, in another Create: proposed once
    item_pk = _item_pk(
        given.get("item"), absolute_url(reverse("minutes_detail", args=[meeting.pk]))
    )
    item = AgendaItem.objects.filter(pk=item_pk, meeting=meeting).first() if item_pk else None
    if item is None:
        raise receiving.Refusal(
            422,
            "unknown_item",
            _("A correction names an item of these minutes, by its address in them."),
        )
    source = note.get("source")
    reason = (
        source["content"]
        if isinstance(source, dict) and isinstance(source.get("content"), str)
        else receiving.text_of_html(note["content"] if isinstance(note.get("content"), str) else "")
    )
    return CORRECTION_PROPOSED, correction_propose(
        actor=remote,
        meeting=meeting,
        organization=organization,
        item=item,
        text=_text(given.get("text")),
        reason=_text(reason),
    )


def _item_pk(value: Any, minutes_url: str) -> int | None:
    """The item an address in the minutes names (`item_url`), None for any other."""
    if not isinstance(value, str) or not value.startswith(f"{minutes_url}#item-"):
        return None
    number = value.removeprefix(f"{minutes_url}#item-")
    return int(number) if number.isdigit() and len(number) < 12 else None


CORRECTION_PROPOSED = "minutes_correction_proposed"


# Answers to corrections proposed by remote participants, declared (publishing.Direct): under
# the meeting's name, SITE_URL/meetings/<meeting>#correction-<pk>-answer-to-<actor> (as merged).
CORRECTION_ANSWERS = publishing.declare_direct(
    publishing.Direct(MEETINGS.name, context=lambda: documents.AS_CONTEXT)
)


def corrections_channel(notice: Notice, organization_ids: Sequence[int]) -> None:
    """The channel of notices that tells a remote participant the host's answer to the
    correction it proposed (`minutes.correction_answered`): the `Accept` or the `Reject` (its
    reason as `content`) of its `Note`, to its own inbox alone, once. An accepted correction's
    text reaches every participant as the `Update` of the minutes (`_minutes_changed`)."""
    found = notice.source
    if notice.kind != "minutes.correction_answered" or not isinstance(found, MinutesCorrection):
        return
    remotes = publishing.accepted_remotes(organization_ids)
    meeting = Meeting.objects.select_related("organization").get(pk=found.minutes.meeting_id)
    if not remotes or not ours(meeting):
        return
    proposed = (
        ReceivedActivity.objects.filter(
            outcome=CORRECTION_PROPOSED, result_id=found.pk, actor__in=[r.actor for r in remotes]
        )
        .order_by("pk")
        .first()
    )
    note = proposed.payload.get("object") if proposed is not None else None
    if proposed is None or not isinstance(note, dict) or not isinstance(note.get("id"), str):
        return  # proposed here, or its activity pruned: nothing of it to answer
    accepted = found.status == MinutesCorrection.Status.ACCEPTED
    kind = "Accept" if accepted else "Reject"
    published = (found.answered_at or timezone.now()).isoformat()

    fields: dict[str, Any] = {"object": note["id"]}
    if found.answer:
        fields["content"] = found.answer
    CORRECTION_ANSWERS.send_each(
        meeting.organization,
        [remote for remote in remotes if remote.actor == proposed.actor],
        meeting.pk,
        lambda remote: f"correction-{found.pk}-answer-to-{remote.actor}",
        kind,
        fields,
        published=published,
    )
