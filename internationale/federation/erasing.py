"""An emergency erase reaches federation (ownership/erase.py sends `erasing` before it deletes):

- each remote organization an erased appeal was sent to (its accepted remote addressees, read
  before the erase takes them with the appeal) is sent the `Delete` of it, to its own inbox, as
  the deletion of an appeal is (publishing.send_delete_addressed): a `Tombstone` with the
  appeal's address and nothing else. A public appeal is not erased (publishing.appeal_deleted
  tells its followers of one deleted otherwise);
- the organization's activities that carry what the erase removes go, with their deliveries
  (those not yet sent are never sent): those naming an erased appeal (its `Create`, its updates,
  to its addressees or followers), and its answers that carry the confidential fields the erase
  blanks in the pledges it keeps (`Offer` and `Add` amounts, goods, the evidence of a fulfilled
  pledge's `Update`): found by queries, the address each is about (`OutgoingActivity.about`,
  indexed) and the answers' types, not by reading every payload (only those recorded without
  `about`: it is filled by migration 0028 for the SITE_URL `migrate` runs with);
- its answers to another server's content that is not public, sent or waiting, by their ids
  made from their rows (`_answers`): a `Reject` of a received appeal with its reason, an answer
  to an invitation to a received meeting with its note, its position (with its reservations)
  and amendments on a received statement, as they stand;
- the activities received about an erased appeal (a remote organization's `Offer` to it, with
  its amount) go too: found by the address each is about (`ReceivedActivity.about`, indexed).

The other contents that travel go the same way (`ERASED`): a meeting the organization hosts, its
minutes, a statement it initiated, advice it gave. Each remote organization it was given to is
told: read, before they go, from its own rows (a meeting's invitees that have not declined, its
minutes' participants, a statement's participants, advice's receiver: the activities sent are
pruned after 30 days, an erase may come years later), and from the activities sent about it still
kept; to its own inbox and carrying
nothing of it: a meeting's `Update` of its `Event` with the status `CANCELLED` (as a cancelled
meeting is told, meetings.py: Mobilizon and calendars take a `Delete` as a removal without
notice), the `Delete` of the others (a `Tombstone`, `formerType` `Article` or `Note`). Every
activity sent or received that names one goes (its `Create`, its updates, a remote
organization's acceptance of a meeting or its position on a statement, with their texts), with the
deliveries not yet made.

A meeting deleted otherwise, with an organization it names (its rows cascading: a delegation
visit's other side deleted), tells its remote participants the same cancellation, under the same
ids (meeting_deleting, meeting_deleted): read before its invitations go, sent once it commits, if
its host is still there to sign it.

What the remote servers received before stays on them: they are asked to delete the appeal, and
a server of this platform withdraws it (receiving.py)."""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from internationale.appeals.models import Appeal
from internationale.cooperation.agenda import participants
from internationale.cooperation.minutes import attended as minutes_attended
from internationale.cooperation.models import Meeting
from internationale.core.links import absolute_url
from internationale.organizations.models import Organization

from . import documents, meetings, publishing
from .models import (
    ActorKey,
    ErasedActor,
    ErasedActorKey,
    OutgoingActivity,
    ReceivedActivity,
)

APPEAL = "appeals.Appeal"
# The answers that carry what an erase blanks in the pledges it keeps (answering.py).
ANSWER_TYPES = ("Offer", "Add")


def _nobody(row: Any) -> list[int]:
    return []


def _meeting_participants(meeting: Meeting) -> set[int]:
    return participants(meeting)


def _minutes_participants(minutes: Any) -> list[int]:
    return minutes_attended(minutes.meeting)


def _statement_participants(statement: Any) -> list[int]:
    return list(statement.participants.values_list("organization_id", flat=True))


@dataclass(frozen=True)
class Erased:
    """A kind of content besides appeals that travels to remote organizations, as an erase
    tells them of it: its owner (the organization erased), its address, what it was
    (`formerType`), whether it is cancelled (an `Update`) rather than deleted, and the
    organizations its own rows say it was given to (`given`: a meeting's invitees that have not
    declined, its minutes' participants, a statement's participants, advice's receiver). Those
    among them that are accepted remote organizations are told whatever the activities sent
    still kept say: those are pruned after 30 days, the content's rows are not."""

    label: str
    owner: str
    path: Callable[[Any], str]
    former: str
    cancelled: bool = False
    given: Callable[[Any], Iterable[int]] = _nobody


ERASED = (
    Erased(
        "cooperation.Meeting",
        "organization",
        lambda m: m.get_absolute_url(),
        "Event",
        True,
        given=_meeting_participants,
    ),
    Erased(
        "cooperation.Minutes",
        "meeting__organization",
        lambda m: m.get_absolute_url(),
        "Note",
        given=_minutes_participants,
    ),
    Erased(
        "statements.Statement",
        "organization",
        lambda s: s.get_absolute_url(),
        "Article",
        given=_statement_participants,
    ),
    # Advice it gave a remote organization (its `Note`); either side's erase removes advice
    # (statements/owned.py), and advice only travels from this server's organizations.
    Erased(
        "statements.Advice",
        "sender",
        lambda a: reverse("advice_detail", args=[a.pk]),
        "Note",
        given=lambda advice: [advice.receiver_id],
    ),
)


def content_erasing(
    sender: type,
    organization: Organization,
    going: dict[str, set[Any]],
    keep_profile: bool = True,
    **kwargs: Any,
) -> None:
    """The erase of `going` (primary keys by model label), in its transaction. When the profile
    goes too, its address is kept as gone (ErasedActor), its key served there until what is sent
    is delivered (ErasedActorKey)."""
    if not keep_profile and ActorKey.objects.filter(organization=organization).exists():
        # Its slug changes once this returns: the `Delete`s below, and whatever else of it waits
        # to be delivered, are signed at its present address, whose key stays served there
        # (views.key) while the rest of it answers 410 Gone for good; the key is no longer served
        # there once all is delivered (pruning.py).
        erased, _created = ErasedActor.objects.get_or_create(
            slug=organization.slug, defaults={"organization": organization}
        )
        ErasedActorKey.objects.get_or_create(erased=erased)
    appeals = list(
        Appeal.objects.filter(pk__in=going.get(APPEAL, set()), organization=organization)
    )
    urls = [absolute_url(appeal.get_absolute_url()) for appeal in appeals]
    told = {appeal.pk: _remote_addressees(appeal) for appeal in appeals}
    others = _others(organization, going)
    other_urls = [url for _kind, _pk, url, _receivers in others]
    outgoing = OutgoingActivity.objects.filter(organization=organization)
    recipients = _recipients(outgoing, other_urls)
    _purge(outgoing, urls + other_urls)
    answered = _answers(organization)
    for start in range(0, len(answered), 500):
        outgoing.filter(activity_id__in=answered[start : start + 500]).delete()
    _purge_received(organization, urls + other_urls)
    deleted = timezone.now().isoformat()
    for appeal, url in zip(appeals, urls, strict=True):
        if told[appeal.pk]:
            publishing.send_delete_addressed(
                appeal_id=appeal.pk,
                organization_id=organization.pk,
                url=url,
                deleted=deleted,
                remotes=told[appeal.pk],
            )
    for kind, pk, url, receivers in others:
        remotes = recipients.get(url, set()) | receivers
        _tell(kind, pk, url, organization, sorted(remotes), deleted)


def _answers(organization: Organization) -> list[str]:
    """The ids of the organization's answers to remote organizations' content that is not
    public, made from their rows (publishing.Direct): its answers to a received appeal (a
    `Reject` with its reason, an `Accept`, an `Announce`: answering.RESPONSES) and to an
    invitation to a received meeting (with its note: received_meetings.answer_id). Their rows
    stay (another organization owns them too), their activities go, sent or waiting."""
    from internationale.appeals.models import Response
    from internationale.cooperation.models import Invitation
    from internationale.statements.models import Amendment, Position

    from . import answering, received_meetings, received_statements

    responses = Response.objects.filter(organization=organization).exclude(
        Q(appeal__visibility="public") | Q(appeal__organization__remote_actor_url="")
    )
    ids = [answering.RESPONSES.activity_id(pk, "") for pk in responses.values_list("pk", flat=True)]
    invitations = Invitation.objects.filter(organization=organization).exclude(
        Q(meeting__visibility="public") | Q(meeting__organization__remote_actor_url="")
    )
    ids += [received_meetings.answer_id(invitation) for invitation in invitations]
    # Its positions (with their reservations) and amendments on a received statement, as they
    # stand: they stay among the participants whatever the statement's visibility.
    sent = received_statements.ANSWERS_SENT
    on_received = Q(statement__received_as__isnull=False)
    ids += [
        sent.activity_id(organization.pk, received_statements.position_step(position))
        for position in Position.objects.filter(on_received, organization=organization)
    ]
    ids += [
        sent.activity_id(organization.pk, received_statements.amendment_step(amendment))
        for amendment in Amendment.objects.filter(
            version__statement__received_as__isnull=False, organization=organization
        )
    ]
    return ids


def _others(
    organization: Organization, going: dict[str, set[Any]]
) -> list[tuple[Erased, int, str, set[tuple[str, str]]]]:
    """(kind, primary key, address, (actor, inbox) of the accepted remote organizations its rows
    say it was given to) of the erased contents of the organization that travel, read before
    they go."""
    found = []
    for kind in ERASED:
        pks = going.get(kind.label)
        if not pks:
            continue
        model: type[Model] = apps.get_model(kind.label)
        rows = model._default_manager.filter(pk__in=pks, **{kind.owner: organization})
        for row in rows.order_by("pk"):
            given = sorted(kind.given(row))
            receivers = {(r.actor, r.inbox) for r in publishing.accepted_remotes(given)}
            found.append((kind, row.pk, absolute_url(kind.path(row)), receivers))
    return found


def _recipients(
    rows: QuerySet[OutgoingActivity], urls: list[str]
) -> dict[str, set[tuple[str, str]]]:
    """(actor, inbox) of each remote organization sent, alone, an activity whose object is one of
    `urls` (its `Create`, an `Update`): those an erase tells. Found by what each is about
    (`OutgoingActivity.about`, indexed), and those recorded without it (_unrecorded); only those
    are read."""
    told: dict[str, set[tuple[str, str]]] = {}
    if not urls:
        return told
    sent = rows.exclude(inbox="")
    read = [sent.filter(about="")]  # recorded without it (_unrecorded)
    for start in range(0, len(urls), 500):
        read.append(sent.filter(about__in=urls[start : start + 500]))
    wanted = set(urls)
    for some in read:
        for inbox, payload in some.values_list("inbox", "payload").iterator(chunk_size=2000):
            obj = payload.get("object") if isinstance(payload, dict) else None
            to = payload.get("to") if isinstance(payload, dict) else None
            if not isinstance(obj, dict) or obj.get("id") not in wanted or not isinstance(to, list):
                continue
            for actor in to:
                if isinstance(actor, str) and actor != documents.PUBLIC:
                    told.setdefault(obj["id"], set()).add((actor, inbox))
    return told


def _tell(
    kind: Erased,
    pk: int,
    url: str,
    organization: Organization,
    remotes: list[tuple[str, str]],
    deleted: str,
) -> None:
    """Record and queue, to each remote organization of `remotes` (actor, inbox) alone, the
    cancellation of an erased meeting or the `Delete` of another erased content: its address,
    nothing of what it said."""
    actor = documents.actor_url(organization)
    if kind.cancelled:
        obj = {
            "id": url,
            "type": "Event",
            "attributedTo": actor,
            "url": url,
            "updated": deleted,
            "status": "CANCELLED",
            "ical:status": "CANCELLED",
        }
        context: Any = meetings.context()
        verb = "Update"
    else:
        obj = {"id": url, "type": "Tombstone", "formerType": kind.former, "deleted": deleted}
        context = documents.AS_CONTEXT
        verb = "Delete"

    def told(activity_id: str, remote: publishing.Recipient) -> dict[str, Any]:
        return {
            "@context": context,
            "id": activity_id,
            "type": verb,
            "actor": actor,
            "published": deleted,
            "to": [remote.actor],
            "object": obj,
        }

    publishing.send_to_each(
        organization.pk,
        [publishing.Addressed(*remote) for remote in remotes],
        lambda remote: publishing.content_activity_id(kind.label, pk, f"erased-to-{remote.actor}"),
        verb,
        activity=told,
    )


def _remote_addressees(appeal: Appeal) -> list[tuple[str, str]]:
    """(actor, inbox) of the accepted remote organizations a sent appeal of this server went to."""
    if appeal.sent_at is None or not publishing.ours(appeal):
        return []
    return [(remote.actor, remote.inbox) for remote in publishing.remote_addressees(appeal)]


def _purge(rows: QuerySet[OutgoingActivity], urls: list[str]) -> None:
    """Delete the activities sent about one of `urls` (their `about`, recorded when they were:
    an erased appeal's `Create`, its updates' `Note`s, a meeting's invitations, ...), and the
    answers that carry a pledge's or an aid's confidential fields, their deliveries with them:
    found by queries (the index on `about`), not by reading every payload; only those recorded
    without `about` are read (_unrecorded)."""
    for start in range(0, len(urls), 500):
        rows.filter(about__in=urls[start : start + 500]).delete()
    doomed = list(_unrecorded(rows, urls))
    for start in range(0, len(doomed), 500):
        OutgoingActivity.objects.filter(pk__in=doomed[start : start + 500]).delete()
    rows.filter(
        Q(activity_type__in=ANSWER_TYPES)
        | Q(activity_type="Update", payload__object__type="Pledge")
    ).delete()


def _unrecorded(rows: QuerySet[OutgoingActivity], urls: list[str]) -> Iterator[int]:
    """The activities among `rows` recorded without what they are about (`about` empty) whose
    payload names one of `urls`: read, since `about` may be missing where it should not be
    (migration 0028 filled it only for the addresses under the SITE_URL `migrate` ran with).
    Few: most activities are about nothing of this server (an `Accept` of a `Follow`...), and
    all are pruned after 30 days."""
    if not urls:
        return
    # Quoted, so that /appeals/1/ does not name /appeals/12/; with an anchor (an update's note).
    names = [json.dumps(url)[:-1] for url in urls]
    read = rows.filter(about="").values_list("pk", "payload").iterator(chunk_size=2000)
    for pk, payload in read:
        text = json.dumps(payload)
        if any(name + '"' in text or name + "#" in text for name in names):
            yield pk


def _purge_received(organization: Organization, urls: list[str]) -> None:
    """Delete the activities received about one of `urls` (their `about`, recorded when they
    came: a pledge to an erased appeal, the acceptance of an erased meeting, ...), found by the
    index, not by reading every payload."""
    mine = ReceivedActivity.objects.filter(Q(organization=organization) | Q(organization=None))
    for start in range(0, len(urls), 500):
        mine.filter(about__in=urls[start : start + 500]).delete()


# Where meeting_deleting leaves, on the meeting being deleted, its remote participants.
REMOTE_PARTICIPANTS = "_federation_remote_participants"


def meeting_deleting(sender: type, instance: Meeting, **kwargs: Any) -> None:
    """A meeting about to be deleted otherwise than by its host's erase (with an organization
    it names, its rows cascading): the accepted remote organizations invited that have not
    declined, (actor, inbox) read while its invitations are still there, for meeting_deleted to
    tell them. A meeting already cancelled was told so (meetings.py)."""
    if instance.is_cancelled or not meetings.ours(instance):
        return
    remotes = publishing.accepted_remotes(sorted(participants(instance)))
    setattr(instance, REMOTE_PARTICIPANTS, [(r.actor, r.inbox) for r in remotes])


def meeting_deleted(sender: type, instance: Meeting, **kwargs: Any) -> None:
    """A meeting deleted: its remote participants are sent its cancellation, as an erase tells
    them (`_tell`, under the same ids: told once), once the deletion commits. Its host must still
    be there to say so: a host deleted outright takes its actor and its keys with it."""
    remotes: list[tuple[str, str]] = getattr(instance, REMOTE_PARTICIPANTS, [])
    if not remotes:
        return
    pk, host_id = instance.pk, instance.organization_id
    url = absolute_url(instance.get_absolute_url())
    deleted = timezone.now().isoformat()

    def tell() -> None:
        host = Organization.objects.filter(pk=host_id).first()
        if host is not None and not host.remote_actor_url:
            _tell(ERASED[0], pk, url, host, remotes, deleted)

    transaction.on_commit(tell)
