"""Notices: telling organizations that something concerns them, through every channel, once.

An app declares each kind of notice once, when it is ready (in its `notices.py`): a label that
says what it is without its content (what a confidential notice says in e-mails and webhooks), a
wording that gives its title from parameters in the active language, and sample parameters that
the tests word:

    register_kind(
        "appeal.update",
        label=gettext_lazy("An update to an appeal you answered"),
        wording=lambda p: _("Update: %(title)s") % {"title": p["title"]},
        sample={"title": "Lockout at the port of Busan"},
    )

A service sends one inside its own transaction:

    notice_send(kind="appeal.update", source=update, organizations=ids, params={...})

which records it (a `Notice` row: rolled back with the change, if the change is) and, once the
transaction commits, queues `notice_dispatch`. The dispatch hands the notice, batch by batch of
organizations, to every registered channel in turn (the inbox, then e-mail and webhooks; later
digests, ActivityPub), and marks it dispatched when all of them ran. The channels registered
`first` (the inbox: one insert per batch) run in `notice_dispatch` itself; the others follow in
`notice_dispatch_rest`, queued at a lower priority: when thousands of organizations are told at
once (an appeal sent to the whole network, in a hundred notices), every inbox is filled before
the first e-mail is written. Each channel is idempotent
per notice and organization: a dispatch that died half-way is run again (`notices_redispatch`,
on a schedule) and delivers nothing twice.

A notice may also be addressed to people one by one (`people=`: the volunteers of a language pair,
the person who asked for a translation): channels registered `to="people"` take those, batch by
batch of person ids, as the others take organizations (the personal inbox, then e-mail to each
person as they chose).

Core imports no app: channels register themselves (`register_channel`) from their app's
`ready()`. A channel reads what it needs of the source: its link (`get_absolute_url()`) and its
confidentiality (`source_confidential`: whatever is not public).
"""

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notice, Urgency
from .visibility import Shared, is_confidential

logger = logging.getLogger("internationale.notices")

Wording = Callable[[Mapping[str, Any]], str]
# What an e-mail of a notice carries beside its text: (file name, content, MIME type), made from
# the notice's source and whether it is confidential (then without its content); None for none.
Attachment = tuple[str, bytes, str]
Attacher = Callable[[models.Model, bool], Attachment | None]
Channel = Callable[[Notice, Sequence[int]], None]
# Whom a channel takes: organizations (their inbox, e-mail to their secretaries) or people.
ORGANIZATIONS = "organizations"
PEOPLE = "people"

# Organizations per step of a dispatch: each channel runs on one batch before the next batch.
BATCH = 500
# A notice not dispatched this long after it was recorded is dispatched again.
REDISPATCH_AFTER = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class NoticeKind:
    name: str
    label: Promise | str
    wording: Wording
    sample: Mapping[str, Any] = field(default_factory=dict)
    # What it is about, as the settings page groups the kinds ("Appeals", "Material aid").
    group: Promise | str = ""
    attachment: Attacher | None = None


_KINDS: dict[str, NoticeKind] = {}
_CHANNELS: dict[str, Channel] = {}
_FIRST: set[str] = set()
_TO: dict[str, str] = {}
# The priority of the slower channels' task: after every task of the default priority (0).
LATER = -10


def register_kind(
    name: str,
    *,
    label: Promise | str,
    wording: Wording,
    sample: Mapping[str, Any],
    group: Promise | str = "",
    attachment: Attacher | None = None,
) -> None:
    """Declare a kind of notice: what it is (`label`), how its title is worded from its
    parameters (`wording`, called in the reader's language), parameters to word in tests, what
    it is about (`group`: the heading it is listed under where people choose their e-mails),
    and what its e-mails attach (`attachment(source, confidential)`: a calendar event, say)."""
    _KINDS[name] = NoticeKind(
        name=name,
        label=label,
        wording=wording,
        sample=dict(sample),
        group=group,
        attachment=attachment,
    )


def registered_kinds() -> dict[str, NoticeKind]:
    return dict(_KINDS)


def word(kind: str, params: Mapping[str, Any], fallback: str = "") -> str:
    """The title of a notice of this kind with these values, in the active language; `fallback`
    if the kind is unknown or its values do not fit (an entry older than a change of wording)."""
    known = _KINDS.get(kind)
    if known is None:
        return fallback
    try:
        return str(known.wording(params))
    except (KeyError, TypeError, ValueError):
        logger.warning("notice %r does not fit its values", kind, exc_info=True)
        return fallback


def label(kind: str) -> str:
    """What a notice of this kind is, without its content, in the active language."""
    known = _KINDS.get(kind)
    return str(known.label) if known is not None else _("A new entry in your inbox")


def attaches(kind: str) -> bool:
    known = _KINDS.get(kind)
    return known is not None and known.attachment is not None


def attachment(kind: str, source: models.Model | None, confidential: bool) -> Attachment | None:
    """What an e-mail of a notice of this kind about `source` attaches, if anything."""
    known = _KINDS.get(kind)
    if known is None or known.attachment is None or source is None:
        return None
    return known.attachment(source, confidential)


def register_channel(
    name: str, channel: Channel, *, first: bool = False, to: str = ORGANIZATIONS
) -> None:
    """Add a way notices reach organizations: `channel(notice, organization_ids)`, called for each
    batch of a notice's organizations, in the order channels were registered. It must be safe to
    call twice with the same notice and organizations. `first`: a quick channel (a few writes per
    batch), run as soon as the notice is dispatched, before the other channels of any notice.
    `to=PEOPLE`: a channel that reaches people one by one, `channel(notice, person_ids)`, called
    for each batch of the notice's people instead."""
    if to not in (ORGANIZATIONS, PEOPLE):
        raise ValueError(f"A channel reaches organizations or people, not {to!r}.")
    _CHANNELS[name] = channel
    _TO[name] = to
    if first:
        _FIRST.add(name)
    else:
        _FIRST.discard(name)


def registered_channels() -> list[str]:
    return list(_CHANNELS)


def source_confidential(source: models.Model) -> bool:
    """Whether a notice about `source` travels without its content: whatever is not public, by
    its audience; a source with no declared audience is not public."""
    return is_confidential(source) if isinstance(source, Shared) else True


def notice_send(
    *,
    kind: str,
    source: models.Model,
    organizations: Iterable[Any] = (),
    people: Iterable[Any] = (),
    params: Mapping[str, Any] | None = None,
    summary: str = "",
    urgency: int = Urgency.ROUTINE,
    deadline: datetime.datetime | None = None,
    sender: Any = None,
    inbox_now: bool = False,
) -> Notice | None:
    """Record a notice about `source` to `organizations` and to `people` (objects or ids, each in
    their own inbox), from `sender` (the
    organization whose act it tells of; None: the platform itself), to be dispatched once
    the current transaction commits. Call it inside the service's transaction, so that the notice
    exists if and only if the change does. Returns the notice, or None when there is no one to
    tell.

    `inbox_now`: for a background task that tells a batch of organizations, the quick channels
    (the inbox) run at once, in its transaction, and only the others are queued: one task less
    per batch. Not for a web request, which would wait for them."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of notice: {kind!r}. Register it with register_kind.")
    ids = list(dict.fromkeys(o if isinstance(o, int) else o.pk for o in organizations))
    person_ids = list(dict.fromkeys(p if isinstance(p, int) else p.pk for p in people))
    if not ids and not person_ids:
        return None
    notice = Notice.objects.create(
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        params=dict(params or {}),
        summary=summary,
        organization_ids=ids,
        person_ids=person_ids,
        sender_id=getattr(sender, "pk", sender),
        urgency=urgency,
        deadline=deadline,
    )
    if inbox_now:
        _dispatch_first(notice)
    else:
        transaction.on_commit(lambda: notice_dispatch.enqueue(notice.pk))
    return notice


def dispatch(notice: Notice, *, only: Sequence[str] | None = None) -> None:
    """Hand `notice` to every channel (or to the channels named in `only`, the others being
    skipped for good), batch by batch, then mark it dispatched."""
    _run(notice, list(only if only is not None else _CHANNELS))
    Notice.objects.filter(pk=notice.pk).update(dispatched_at=timezone.now())
    notice.dispatched_at = timezone.now()


def _run(notice: Notice, names: Sequence[str]) -> None:
    if not names or notice.source is None:  # a source deleted since has nothing to tell
        return
    for to, ids in ((ORGANIZATIONS, notice.organization_ids), (PEOPLE, notice.person_ids or [])):
        channels = [_CHANNELS[name] for name in names if _TO.get(name, ORGANIZATIONS) == to]
        if not channels:
            continue
        ids = list(ids)
        for start in range(0, len(ids), BATCH):
            for channel in channels:
                channel(notice, ids[start : start + BATCH])


@task()
def notice_dispatch(notice_id: int) -> int:
    """Dispatch a notice not yet dispatched: its quick channels now, the others queued after every
    task of the default priority. Returns to how many organizations and people (0 if done)."""
    notice = Notice.objects.filter(pk=notice_id, dispatched_at__isnull=True).first()
    if notice is None:
        return 0
    _dispatch_first(notice)
    return len(notice.organization_ids) + len(notice.person_ids or [])


def _dispatch_first(notice: Notice) -> None:
    """The quick channels now, the others queued at a lower priority."""
    if not any(name not in _FIRST for name in _CHANNELS):
        dispatch(notice)
        return
    with transaction.atomic():
        _run(notice, [name for name in _CHANNELS if name in _FIRST])
        # In the same transaction (the task backend is the database): the rest is queued if and
        # only if the quick channels ran; a worker lost in between leaves the notice undispatched,
        # for `notices_redispatch`.
        notice_dispatch_rest.using(priority=LATER).enqueue(notice.pk)


@task()
def notice_dispatch_rest(notice_id: int) -> int:
    """The slower channels of a notice (e-mail, webhooks), then the notice marked dispatched."""
    notice = Notice.objects.filter(pk=notice_id, dispatched_at__isnull=True).first()
    if notice is None:
        return 0
    dispatch(notice, only=[name for name in _CHANNELS if name not in _FIRST])
    return len(notice.organization_ids) + len(notice.person_ids or [])


def undispatched_notices(now: datetime.datetime) -> models.QuerySet:
    """The oldest notices (a thousand at most) still not dispatched a while after they were
    recorded."""
    return (
        Notice.objects.filter(dispatched_at__isnull=True, created_at__lte=now - REDISPATCH_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )


@task()
def notices_redispatch() -> int:
    """The safety net behind a dispatch that failed or whose worker died: queue again every
    notice still not dispatched a while after it was recorded. Returns how many."""
    due = list(undispatched_notices(timezone.now()))
    for pk in due:
        notice_dispatch.enqueue(pk)
    return len(due)
