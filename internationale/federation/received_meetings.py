"""Meetings of other servers received here: an accepted remote organization's invitation of this
server's organizations (the `Create` of an `Event` naming their actors, as this platform's
meetings.py sends it, or Mobilizon) becomes a meeting of that organization here (its
`Organization` row the host), made and changed through the cooperation services, so that the
invited organizations see it, answer it, and find it in their calendars as any other. Called by
acting.py, in the transaction in which the inbox records the activity: a refusal records nothing
and changes nothing.

| activity | object | what it does here |
| --- | --- | --- |
| `Create` | an `Event` naming organizations of this server (`to`, `cc`) | meeting_create as its host, its agenda's items (agenda_item_add), meeting_invite of those it names that relate to it (receiving.py: the others are dropped, silently) |
| `Create` again | the same `Event` | those it names not yet invited are invited; nothing else |
| `Update` | the `Event` | meeting_edit (title, description, times, zone, place, online link, languages); its agenda replaces the items when it differs |
| `Update` | the `Event`, `status` (or `ical:status`) `CANCELLED` | meeting_cancel, with its `cancelReason` |
| `Delete` | the `Event` (its id or a `Tombstone`) | the meeting removed (meeting_remove); not when addressed to neither the public nor any organization invited here (its host's followers alone: a public meeting made not public, which its invitees keep) |
| `Create`, `Update` | a `Note` in reply to the `Event`: its minutes | minutes_record of each item (those the agenda lacks added), minutes_submit the first time, to those that took part here; with `frozenAt` (its host froze them), minutes_frozen_by_host |
| `Create`, `Update` | minutes whose items the agenda lacks would take it past AGENDA_ITEMS | refused (422 `too_many_items`), nothing changed |
| `Create` | an `Event` whose `Delete` came first (receiving.TOMBSTONE) | nothing (`deleted_before`) |

A participant here approves the minutes on their page as for any meeting (minutes_approve): the
`Accept` of their `Note` goes to the host's inbox alone (`approval_saved`); the host freezes
them on its server (neither the last approval here nor the deadline does), and its `Update` of
the `Note` with `frozenAt` freezes them here.

The answers go back: an invited organization of this server accepts or declines on the
meeting's page as for any meeting (invitation_accept, invitation_decline), or answers "maybe"
(invitation_tentative, for a meeting of another server alone); the notice that tells
the host (`meeting.answered`) reaches this module through the channel of notices
(`answers_channel`, registered in apps.py), which sends the host's inbox, and nobody else's, the
`Accept`, `TentativeAccept` or `Reject` of its `Event` (its URL on the host's server), with the note as `content`: what this
platform's meetings.answer takes. An `Update` or `Delete` of an `Event` never received is
refused (404 `unknown_meeting`); one attributed to another actor than its sender too (403
`forged_origin`)."""

import datetime
import re
import string
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from internationale.addressing.routing import Criteria
from internationale.cooperation.agenda import agenda_item_add, agenda_item_remove
from internationale.cooperation.cancellation import meeting_cancel
from internationale.cooperation.minutes import (
    minutes_frozen_by_host,
    minutes_of,
    minutes_record,
    minutes_submit,
)
from internationale.cooperation.models import (
    AgendaItem,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
)
from internationale.cooperation.services import meeting_create, meeting_edit, meeting_invite
from internationale.core.actors import Remote
from internationale.core.audit import audit
from internationale.core.models import Notice
from internationale.core.zones import known_zones
from internationale.organizations.models import Organization
from internationale.translation.services import versions_given

from . import documents, publishing, receiving
from .meetings import ONLINE_LINK_NAME
from .models import OutgoingActivity, ReceivedContent, RemoteOrganization

SYSTEM = receiving.SYSTEM
EVENT_TYPES = ("Event",)
TITLE_LENGTH = 200
PLACE_LENGTH = 300
LINK_LENGTH = 500
NOTE_LENGTH = 2000


# The agenda as meetings.py sends it: after the description, a heading ("Agenda", in the text's
# language) and a numbered list of the items' titles, closing the text. Found by looking back from
# the text's end (the last list, the last heading before it), never by a pattern that searches:
# the text is another server's, and a search can take hours on a crafted one.
AGENDA_ITEMS = 100
# The longest HTML of an event (or of its minutes) read: what is beyond it is not read, the
# description already cut at receiving.TEXT_LENGTH (an agenda of AGENDA_ITEMS titles fits after
# it).
HTML_LENGTH = 2 * receiving.TEXT_LENGTH
# An opening tag's attributes, bounded, so that a text of unclosed tags is read once.
ATTRIBUTES = r"(?:\s[^<>]{0,1000})?"
ITEM_OPENING = re.compile(rf"(?i)<li{ATTRIBUTES}>")
# Tags are found in the text with its ASCII letters lowered alone: its length the same, so that
# where a tag is found is where it is (str.lower lengthens some letters, as "İ").
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _opening_end(value: str, start: int, limit: int) -> int:
    """Where the opening tag at `start` ends (after its `>`), if before `limit`; else -1."""
    close = value.find(">", start, limit)
    return -1 if close < 0 else close + 1


def agenda_of(value: str, language: str) -> tuple[str, list[str]]:
    """An `Event`'s HTML parted into what comes before its agenda and the agenda's titles, in
    order; an event without one (Mobilizon's) is all description, with no item. A closing list
    under another heading is the description's."""
    value = value[:HTML_LENGTH]
    lower = value.translate(ASCII_LOWER)
    list_end = lower.rfind("</ol>")
    if list_end < 0 or value[list_end + len("</ol>") :].strip():
        return value, []
    list_start = lower.rfind("<ol", 0, list_end)
    heading_end = lower.rfind("</h2>", 0, list_start) if list_start >= 0 else -1
    heading_start = lower.rfind("<h2", 0, heading_end) if heading_end >= 0 else -1
    items_start = _opening_end(value, list_start, list_end) if heading_start >= 0 else -1
    text_start = _opening_end(value, heading_start, heading_end) if items_start >= 0 else -1
    if text_start < 0 or value[heading_end + len("</h2>") : list_start].strip():
        return value, []
    heading = receiving.text_of_html(value[text_start:heading_end])
    with translation.override(language):
        agenda = _("Agenda")
    if heading.casefold() not in {"agenda", agenda.casefold()}:
        return value, []
    titles = []
    for raw in ITEM_OPENING.split(value[items_start:list_end])[1:]:
        closing = raw.translate(ASCII_LOWER).find("</li>")
        raw = raw[:closing] if closing >= 0 else raw
        title = " ".join(receiving.text_of_html(raw).split())[:TITLE_LENGTH]
        if title:
            titles.append(title)
        if len(titles) == AGENDA_ITEMS:
            break
    return value[:heading_start], titles


def _markdown_of_html(value: str) -> str:
    """An event's HTML as Markdown: its headings and list items marked, the rest its words (the
    agenda this platform sends is a heading and a numbered list)."""
    value = re.sub(rf"(?i)<h[1-6]{ATTRIBUTES}>", "\n\n### ", value[:HTML_LENGTH])
    value = ITEM_OPENING.sub("\n1. ", value)
    value = re.sub(r"(?i)</li>", "\n", value)
    return receiving.text_of_html(value)


def _time(obj: dict[str, Any], name: str) -> Any:
    value = obj.get(name)
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise receiving.Refusal(
            422, "bad_time", _("An event has a start and an end, each a time with its offset.")
        )
    return when


def _place(value: Any) -> str:
    """The place's name, and its address as Mobilizon gives it (`PostalAddress`)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return str(value or "")[:PLACE_LENGTH] if isinstance(value, str) else ""
    parts = [value.get("name")]
    address = value.get("address")
    if isinstance(address, dict):
        parts += [address.get(k) for k in ("streetAddress", "postalCode", "addressLocality")]
    elif isinstance(address, str):
        parts.append(address)
    named = [str(p).strip() for p in parts if isinstance(p, str) and p.strip()]
    return ", ".join(dict.fromkeys(named))[:PLACE_LENGTH]


def _online_link(obj: dict[str, Any]) -> str:
    """The attachment `Link` Mobilizon (and this platform) name "Website": the online address."""
    attachments = obj.get("attachment")
    for item in attachments if isinstance(attachments, list) else [attachments]:
        if (
            isinstance(item, dict)
            and item.get("type") == "Link"
            and item.get("name") == ONLINE_LINK_NAME
            and isinstance(item.get("href"), str)
            and item["href"].startswith(("https://", "http://"))
        ):
            return str(item["href"])[:LINK_LENGTH]
    return ""


def _cancelled(obj: dict[str, Any]) -> bool:
    return "CANCELLED" in (obj.get("status"), obj.get("ical:status"))


def _fields(
    obj: dict[str, Any], host: Organization
) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[str]]]:
    """What meeting_create (and meeting_edit) take of an `Event`, its versions in its other
    languages: {tag: {"title", "description"}}, and its agenda's titles by language (its own
    first)."""
    fallback = list(host.languages.values_list("tag", flat=True))
    language = receiving.language_of(obj, fallback)
    contents, names = obj.get("contentMap"), obj.get("nameMap")
    content = contents.get(language) if isinstance(contents, dict) else None
    content = content if isinstance(content, str) else obj.get("content")
    content, titles = agenda_of(content if isinstance(content, str) else "", language)
    agendas = {language: titles}
    description = _markdown_of_html(content)
    title = names.get(language) if isinstance(names, dict) else None
    title = title if isinstance(title, str) and title.strip() else obj.get("name")
    title = title.strip()[:TITLE_LENGTH] if isinstance(title, str) else ""
    if not title:
        raise receiving.Refusal(422, "no_text", _("An event has a name."))
    zone = obj.get("timezone")
    given = obj.get("languages")
    fields = {
        "title": title,
        "description": description[: receiving.TEXT_LENGTH],
        "start": _time(obj, "startTime"),
        "end": _time(obj, "endTime"),
        "time_zone": zone if isinstance(zone, str) and zone in known_zones() else "UTC",
        "place": _place(obj.get("location")),
        "online_link": _online_link(obj),
        "languages": [t for t in given if isinstance(t, str)][:20]
        if isinstance(given, list)
        else [language],
    }
    versions = {}
    for tag, texts in receiving.versions_of(obj, language, titled=True).items():
        other = contents.get(tag) if isinstance(contents, dict) else None
        if isinstance(other, str):
            other, agendas[tag] = agenda_of(other, tag)
        versions[tag] = {
            "title": texts["title"],
            "description": _markdown_of_html(other)[: receiving.TEXT_LENGTH]
            if isinstance(other, str)
            else texts["text"],
        }
    return fields | {"language": language}, versions, agendas


def _agenda_given(
    meeting: Meeting, agendas: dict[str, list[str]], versions: dict[str, Any]
) -> None:
    """The agenda the host sent becomes the meeting's items here, replacing those it had when
    they differ (their titles, in order); each item's title in the event's other languages goes
    with the meeting's versions (`versions`, changed in place) when it has as many items."""
    titles = next(iter(agendas.values()), [])
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    if [item.title for item in items] != titles:
        for item in items:
            agenda_item_remove(actor=SYSTEM, item=item)
        items = [
            agenda_item_add(actor=SYSTEM, meeting=meeting, title=title, language_confirmed=True)
            for title in titles
        ]
    for tag, texts in versions.items():
        translated = agendas.get(tag, [])
        if len(translated) == len(items):
            texts.update(
                {f"agenda.{i.pk}.title": t for i, t in zip(items, translated, strict=True)}
            )


def _kind(obj: dict[str, Any], invited: int) -> str:
    """The platform's `meetingKind` when it is one this server can host for another (a
    delegation visit names its sides, which an event does not carry); else bilateral when it
    invites one organization here, multilateral when more."""
    kind = obj.get("meetingKind")
    if kind in Meeting.Kind.values and kind != Meeting.Kind.DELEGATION:
        return str(kind)
    return Meeting.Kind.BILATERAL if invited == 1 else Meeting.Kind.MULTILATERAL


def _known(remote: Remote, url: str | None, host: Organization) -> ReceivedContent | None:
    if not url:
        return None
    return (
        ReceivedContent.objects.filter(actor=remote.actor_url, url=url, meeting__organization=host)
        .select_related("meeting", "meeting__organization")
        .first()
    )


def _create(
    remote: Remote, host: Organization, activity: dict[str, Any], obj: dict[str, Any]
) -> tuple[str, Any]:
    named = receiving.audience_of(activity, obj)
    addressees, _dropped, named_here = receiving.addressees_of(remote, host, named, None)
    known = ReceivedContent.objects.filter(
        actor=remote.actor_url, url=obj["id"], meeting__isnull=False
    ).first()
    if known is not None:
        assert known.meeting is not None
        if known.meeting.organization_id != host.pk:
            raise receiving.Refusal(
                403, "forged_origin", _("This object is another organization's.")
            )
        invited = set(
            Invitation.objects.filter(meeting=known.meeting).values_list(
                "organization_id", flat=True
            )
        )
        new = [o.pk for o in addressees if o.pk not in invited]
        if not new:
            return "", None  # the same again: nothing changes
        meeting_invite(actor=SYSTEM, meeting=known.meeting, criteria=Criteria(add=new))
        return "meeting_invited", known.meeting
    if receiving.tombstoned(remote.actor_url, obj["id"]):
        return receiving.DELETED_BEFORE, None  # its Delete came first: it makes no meeting
    if not addressees and named_here:
        return "", None  # none of those it names here relates to its host: recorded only
    if not addressees:
        raise receiving.Refusal(
            422,
            "no_addressee",
            _("The event is not addressed to an organization of this server."),
        )
    if _cancelled(obj):
        return "", None  # cancelled before it came: nothing to invite to
    fields, versions, agendas = _fields(obj, host)
    meeting = meeting_create(
        actor=SYSTEM,
        organization=host,
        kind=_kind(obj, len(addressees)),
        visibility="addressed",
        **fields,
    )
    ReceivedContent.objects.create(url=obj["id"], actor=remote.actor_url, meeting=meeting)
    _agenda_given(meeting, agendas, versions)
    versions_given(meeting, versions)
    meeting_invite(actor=SYSTEM, meeting=meeting, criteria=Criteria(add=[o.pk for o in addressees]))
    return "meeting_received", meeting


def _update(remote: Remote, host: Organization, obj: dict[str, Any]) -> tuple[str, Any]:
    known = _known(remote, obj["id"], host)
    if known is None or known.meeting is None:
        raise receiving.Refusal(
            404, "unknown_meeting", _("There is no such meeting of this organization here.")
        )
    meeting = known.meeting
    if _cancelled(obj):
        if meeting.is_cancelled:
            return "", None
        reason = obj.get("cancelReason")
        meeting_cancel(
            actor=SYSTEM,
            meeting=meeting,
            reason=reason[:2000] if isinstance(reason, str) else "",
        )
        return "meeting_cancelled", meeting
    fields, versions, agendas = _fields(obj, host)
    fields.pop("language")
    changed = meeting_edit(actor=SYSTEM, meeting=meeting, **fields)
    _agenda_given(changed, agendas, versions)
    versions_given(changed, versions)
    return "meeting_changed", changed


def meeting_remove(*, meeting: Meeting, actor_url: str) -> None:
    """Its host deleted the meeting on its server: gone here too, with its invitations and
    answers; the audit keeps its title."""
    with transaction.atomic():
        audit(
            actor=Remote(organization_id=meeting.organization_id, actor_url=actor_url),
            action="federation.remote_act",
            target=meeting,
            organization=meeting.organization,
            type="Delete",
            outcome="meeting_removed",
            title=meeting.title,
        )
        meeting.delete()


def _withdrawn_from_followers(activity: dict[str, Any], meeting: Meeting) -> bool:
    """Whether a `Delete` is its host withdrawing a public meeting from its followers (made not
    public: meetings._meeting_saved), not removing it: addressed, and to neither the public nor
    any organization of this server invited to it. Its invitees here keep the meeting."""
    obj = activity.get("object")
    named = receiving.audience_of(activity, obj if isinstance(obj, dict) else {})
    if not named or {documents.PUBLIC, "as:Public", "Public"} & set(named):
        return False
    invited = Invitation.objects.filter(
        meeting=meeting, organization__remote_actor_url=""
    ).select_related("organization")
    actors = {documents.actor_url(invitation.organization) for invitation in invited}
    return bool(actors) and not actors & set(named)


def _delete(remote: Remote, host: Organization, activity: dict[str, Any]) -> tuple[str, Any]:
    known = _known(remote, documents.id_of(activity.get("object")), host)
    if known is None or known.meeting is None:
        return "", None
    if _withdrawn_from_followers(activity, known.meeting):
        return "", None  # withdrawn from the host's followers: its invitees here keep it
    meeting_remove(meeting=known.meeting, actor_url=remote.actor_url)
    return "meeting_removed", None


# Minutes of a received meeting -----------------------------------------------------------------

SECTION_HEADING = re.compile(rf"(?i)<h2{ATTRIBUTES}>")
MINUTES_TIME = datetime.timedelta(days=14)


def _sections(html: str) -> list[tuple[str, str]]:
    """The minutes' HTML parted into its items: each heading's title and the HTML under it, up
    to the next heading (read once: each heading is looked for once), the first AGENDA_ITEMS
    and one more (enough to refuse more than a meeting has)."""
    sections = []
    for part in SECTION_HEADING.split(html[:HTML_LENGTH])[1:]:
        closing = part.translate(ASCII_LOWER).find("</h2>")
        if closing < 0:
            continue
        title = " ".join(receiving.text_of_html(part[:closing]).split())[:TITLE_LENGTH]
        if title:
            sections.append((title, part[closing + len("</h2>") :]))
        if len(sections) > AGENDA_ITEMS:
            break
    return sections


def _minutes(remote: Remote, host: Organization, obj: dict[str, Any]) -> tuple[str, Any] | None:
    """A `Note` in reply to a received meeting's `Event` (its `Create`, or its `Update` when
    changed): the minutes its host submitted for approval, as meetings.minutes_note sends them
    (each agenda item's title as a heading, then its minutes), recorded on the meeting's items
    (an item the agenda here lacks is added) and submitted to the participants here, with its
    `approvalDeadline` (else MINUTES_TIME); None for a `Note` about anything else."""
    known = _known(remote, documents.id_of(obj.get("inReplyTo")), host)
    if known is None or known.meeting is None:
        return None
    meeting = known.meeting
    if known.minutes_url and known.minutes_url != obj["id"]:
        raise receiving.Refusal(409, "other_minutes", _("This meeting has other minutes already."))
    current = minutes_of(meeting)
    if current.status == Minutes.Status.FROZEN:
        return "", None  # frozen here already: nothing changes
    contents = obj.get("contentMap")
    language = meeting.language or "und"
    html = contents.get(language) if isinstance(contents, dict) else None
    html = html if isinstance(html, str) else obj.get("content")
    sections = _sections(html if isinstance(html, str) else "")
    if not sections:
        raise receiving.Refusal(422, "no_text", _("The minutes have no item."))
    items = {i.title: i for i in AgendaItem.objects.filter(meeting=meeting).order_by("position")}
    unknown = {title for title, _text in sections if title not in items}
    if len(items) + len(unknown) > AGENDA_ITEMS:
        raise receiving.Refusal(
            422,
            "too_many_items",
            _("A meeting has at most %(count)d agenda items.") % {"count": AGENDA_ITEMS},
        )
    for title, text in sections[:AGENDA_ITEMS]:
        item = items.get(title) or agenda_item_add(
            actor=SYSTEM, meeting=meeting, title=title, language_confirmed=True
        )
        items[title] = item
        minutes_record(
            actor=SYSTEM,
            item=item,
            text=_markdown_of_html(text)[: receiving.TEXT_LENGTH],
            language_confirmed=True,
        )
    known.minutes_url = obj["id"]
    known.save(update_fields=["minutes_url"])
    if obj.get("frozenAt") and current.status == Minutes.Status.SUBMITTED:
        # Frozen by its host (the last approval there, or its deadline): frozen here too.
        minutes_frozen_by_host(actor=SYSTEM, meeting=meeting)
        return "minutes_frozen", meeting
    if current.status == Minutes.Status.DRAFT:
        deadline = obj.get("approvalDeadline")
        try:
            when = parse_datetime(deadline) if isinstance(deadline, str) else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is None or when <= timezone.now():
            when = timezone.now() + MINUTES_TIME
        minutes_submit(actor=SYSTEM, meeting=meeting, deadline=when)
        return "minutes_received", meeting
    return "minutes_changed", meeting


def approval_saved(sender: type, instance: MinutesApproval, created: bool, **kwargs: Any) -> None:
    """An organization of this server approved the minutes of a received meeting: the `Accept`
    of their `Note`, to the host's inbox alone (meetings.approve_minutes on its side), in the
    approval's transaction, once."""
    if not created or kwargs.get("raw"):
        return
    approver: Organization = instance.organization
    if approver.remote_actor_url:
        return  # a remote participant's own approval, received
    meeting = Meeting.objects.select_related("organization").get(pk=instance.minutes.meeting_id)
    received = ReceivedContent.objects.filter(meeting=meeting).exclude(minutes_url="").first()
    if received is None:
        return
    remotes = publishing.accepted_remotes([meeting.organization_id])
    entry = next((r for r in remotes if r.actor == received.actor), None)
    if entry is None:
        return
    MINUTES_APPROVALS.send(
        approver, entry, instance.pk, "", "Accept", {"object": received.minutes_url}
    )


def receive(remote: Remote, host: Organization, activity: dict[str, Any]) -> tuple[str, Any] | None:
    """Act on a `Create`, `Update` or `Delete` of an `Event` of the accepted remote organization
    `host`: (outcome, the meeting), ("", None) when it is only recorded; None when the activity
    is about anything else (receiving.py's then). Refusal, or the services' ValidationError."""
    kind = activity["type"]
    if kind == "Delete":
        url = documents.id_of(activity.get("object"))
        if not ReceivedContent.objects.filter(
            actor=remote.actor_url, url=url or "-", meeting__isnull=False
        ).exists():
            return None
        return _delete(remote, host, activity)
    raw = activity.get("object")
    if isinstance(raw, dict) and raw.get("type") == "Note" and kind in ("Create", "Update"):
        if _known(remote, documents.id_of(raw.get("inReplyTo")), host) is None:
            return None  # not about a meeting received here: advice, or a message
        return _minutes(remote, host, receiving.own_object(remote, raw))
    if not isinstance(raw, dict) or raw.get("type") not in EVENT_TYPES:
        return None
    obj = receiving.own_object(remote, raw)
    if kind == "Update":
        return _update(remote, host, obj)
    if kind == "Create":
        return _create(remote, host, activity, obj)
    return None


# The answers of this server's organizations, sent back ------------------------------------------


# Answers to received meetings, declared (publishing.Direct): ids under
# SITE_URL/meetings/invitations/<pk>#<status>-<when>.
ANSWERS_SENT = publishing.declare_direct(publishing.Direct("meetings/invitations"))

# Approvals of received minutes by this server's organizations, declared: ids under
# SITE_URL/meetings/minutes/approvals/<pk>.
MINUTES_APPROVALS = publishing.declare_direct(publishing.Direct("meetings/minutes/approvals"))


def answer_step(invitation: Invitation) -> str:
    """One answer of one invitation, the same every time it is made: recorded once."""
    stamp = invitation.answered_at.timestamp() if invitation.answered_at else 0
    return f"{invitation.status}-{stamp}"


def answer_id(invitation: Invitation) -> str:
    return ANSWERS_SENT.activity_id(invitation.pk, answer_step(invitation))


# An answer here, and the activity that carries it (the host's side, meetings.answer, takes a
# `TentativeAccept` as an acceptance recorded as tentative).
ANSWERS: dict[str, str] = {
    Invitation.Status.ACCEPTED: "Accept",
    Invitation.Status.TENTATIVE: "TentativeAccept",
    Invitation.Status.DECLINED: "Reject",
}


def send_answer(source: Any, remotes: list[RemoteOrganization]) -> list[OutgoingActivity]:
    """An organization of this server answered the invitation of a remote host: its `Accept`,
    `TentativeAccept` ("maybe") or `Reject` of the host's `Event`, to the host's inbox alone."""
    if not isinstance(source, Meeting):
        return []
    received = ReceivedContent.objects.filter(meeting=source).first()
    if received is None:
        return []
    entry = next((r for r in remotes if r.organization_id == source.organization_id), None)
    if entry is None or entry.actor != received.actor:
        return []
    answers = Invitation.objects.filter(
        meeting=source,
        organization__remote_actor_url="",
        status__in=list(ANSWERS),
    ).select_related("organization")
    sent = []
    for invitation in answers:
        kind = ANSWERS[invitation.status]
        fields: dict[str, Any] = {"object": received.url}
        if invitation.note:
            fields["content"] = invitation.note[:NOTE_LENGTH]
        step = answer_step(invitation)
        created = ANSWERS_SENT.send(
            invitation.organization, entry, invitation.pk, step, kind, fields
        )
        if created is not None:
            sent.append(created)
    return sent


def answers_channel(notice: Notice, organization_ids: Sequence[int]) -> None:
    """The channel of notices that sends the answers of this server's organizations to a received
    meeting's host (`meeting.answered`; each notice's batches, or a dispatch run again, record
    each answer once)."""
    if notice.kind != "meeting.answered" or notice.source is None:
        return
    remotes = publishing.accepted_remotes(organization_ids)
    if remotes:
        send_answer(notice.source, remotes)
