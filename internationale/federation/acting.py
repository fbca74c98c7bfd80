"""Acting on what an accepted remote organization sends: its activities become the same services
calls as a local organization's answers (appeals/services.py), acting as that organization
(`core.actors.Remote`), so that the same rules, notices and audit apply. Called by the inbox in
the transaction that records the activity: a refusal records nothing and changes nothing.

| activity | object | service |
| --- | --- | --- |
| `Accept` | an appeal's id (its URL here) | appeal_acknowledge |
| `Accept`, `TentativeAccept`, `Reject`; Mobilizon's `Join`, `Leave` | a meeting's `Event` (its URL here); `content`: a note | invitation_accept (no delegates here), invitation_decline (meetings.py) |
| `Accept` | a meeting's minutes (their URL here) | minutes_approve (meetings.py) |
| `Create` | a `Note` in reply to a meeting's minutes (their URL here), with `correction` (`item`, `text`) and the reason as `content` | correction_propose (meetings.py) |
| `Accept`, `TentativeAccept`, `Reject` | advice's `Note` (its URL here); `answer`, `content`: the reason | advice_answer (advice.py) |
| `Reject` | an appeal's id; `content` (or `summary`): why | appeal_decline |
| `Announce` | an appeal's id; `target`: the actor of the organization it is passed to | appeal_pass |
| `Offer` | a `Pledge` (`forms`, `content`, `amount`, `currency`, `goods`, `public`, `endTime`); `target`: the appeal's id | pledge_create |
| `Undo` | an `Offer` acted on before (its id, or embedded) | pledge_withdraw |
| `Add` | a `Contribution` (`amount`, `currency`, `goods`, `reference`); `target`: the `Offer` of the pledge | contribution_declare (aid) |
| `Update` | its `Pledge` (the object of its `Offer`), `status` `fulfilled`, `evidence`, `evidenceLink` | pledge_fulfil |
| `Accept` | the id of an `Add` this server sent (aid declared to its appeal); `fulfilsPledge` | contribution_confirm (aid): the issuer confirmed receipt |
| `Vouch` | the actor of one of this server's organizations | vouch_add (organizations): see vouching.py |
| `Undo` | a `Vouch` it sent (its id, or embedded) | vouch_withdraw (organizations) |
| `Create`, `Update`, `Delete` | its own appeal (an `Article`), or a `Note` in reply to it | received as an appeal of it (receiving.py) |
| `Create`, `Update`, `Delete` | its own meeting (an `Event`) naming organizations here | received as a meeting it hosts (received_meetings.py) |
| `Create` | its advice (a `Note` with a `name`) to organizations here | received as advice it gives (received_advice.py) |
| `Accept`, `TentativeAccept`, `TentativeReject`, `Reject` | a statement's id (its URL here) | position_state (statements.py) |
| `Join` | a statement's id | signature_add (statements.py) |
| `Create`, `Update`, `Delete` | its own statement (an `Article` with `paragraphs`), or a `Note` with `amendment` in reply to a statement here | received as a statement of it, or amendment_propose (received_statements.py) |

An `Offer` of a `Note` (the fallback of software that knows no pledge) is recorded and left
alone; so is an `Announce` with no target (a boost), and an `Accept` or `Reject` of anything
else than an appeal of this server. The object is named by its id, never embedded: an embedded
object of this server would claim another origin than its sender (inbox.py)."""

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from internationale.aid.models import Contribution
from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals.models import Appeal, Pledge
from internationale.appeals.selectors import appeal_get
from internationale.appeals.services import (
    appeal_acknowledge,
    appeal_decline,
    appeal_pass,
    pledge_create,
    pledge_fulfil,
    pledge_withdraw,
)
from internationale.cooperation.selectors import meeting_get
from internationale.core.actors import Remote
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.organizations.models import Organization, Vouch
from internationale.statements.amendments import amendment_get
from internationale.statements.selectors import statement_get
from internationale.statements.selectors_advice import advice_get

from . import (
    advice,
    answering,
    blocks,
    documents,
    meetings,
    received_advice,
    received_meetings,
    received_statements,
    receiving,
    remote_orgs,
    statements,
    vouching,
)
from .models import ReceivedActivity, RemoteOrganization

PLEDGE_TYPES = ("Pledge", "int:Pledge")
CONTRIBUTION_TYPES = ("Contribution", "int:Contribution")


# What refuses an activity, with its status and reason: one class for what acting.py and
# receiving.py refuse.
ActRefused = receiving.Refusal


def _local_object(url: str | None) -> tuple[str, int] | None:
    """The name of the page of this server at `url` and the id it shows (`appeal_detail`, 12);
    None for any other URL."""
    site = settings.SITE_URL.rstrip("/")
    if not url or not url.startswith(site + "/"):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    pk = match.kwargs.get("pk")
    return (match.url_name or "", int(pk)) if isinstance(pk, int) else None


def _appeal_pk(url: str | None) -> int | None:
    """The id of the appeal whose URL on this server is `url`; None for any other URL."""
    return _local_named(url, "appeal_detail")


def statement_pk(url: str | None) -> int | None:
    return _local_named(url, "statement_detail")


def minutes_pk(url: str | None) -> int | None:
    """The id of the meeting whose minutes' URL on this server is `url`."""
    return _local_named(url, "minutes_detail")


def _local_named(url: str | None, url_name: str) -> int | None:
    """The id of the content whose page on this server (named `url_name`) is `url`; None for
    any other URL."""
    found = _local_object(url)
    return found[1] if found is not None and found[0] == url_name else None


def _appeal(remote: Remote, pk: int) -> Appeal:
    """The appeal as the remote organization may see it: unknown and not visible answer the
    same."""
    try:
        appeal = appeal_get(viewer=remote, pk=pk)
    except Http404:
        raise ActRefused(
            404, "unknown_appeal", _("There is no such appeal for this organization.")
        ) from None
    return appeal


def _passed_to(url: str | None) -> Organization:
    """The organization whose actor is `url`: one of this server's, or an accepted remote one."""
    prefix = documents.actor_url_prefix()
    found: Organization | None = None
    if url and url.startswith(prefix):
        try:
            found = documents.local_actor(url.removeprefix(prefix))
        except Http404:
            found = None
    elif url:
        entry = remote_orgs.accepted(url)
        found = entry.organization if entry is not None else None
    if found is None:
        raise ActRefused(
            422, "unknown_addressee", _("There is no such organization to pass the appeal to.")
        )
    return found


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ActRefused(422, "bad_amount", _("The amount is not a number.")) from None


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ActRefused(422, "bad_date", _("The date is not a date (YYYY-MM-DD).")) from None


def _offer(remote: Remote, organization: Organization, activity: dict[str, Any]) -> Any:
    offered = activity.get("object")
    if isinstance(offered, dict) and offered.get("type") == "Note":
        return "ignored", None  # the fallback of software that knows no pledge: left alone
    if not isinstance(offered, dict) or offered.get("type") not in PLEDGE_TYPES:
        raise ActRefused(422, "not_pledge", _("An Offer carries a Pledge (or a Note)."))
    pk = _appeal_pk(
        documents.id_of(activity.get("target")) or documents.id_of(offered.get("inReplyTo"))
    )
    if pk is None:
        raise ActRefused(404, "unknown_appeal", _("There is no such appeal for this organization."))
    forms = offered.get("forms")
    if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
        raise ActRefused(422, "forms_required", _("A pledge lists its forms of support."))
    pledge = pledge_create(
        actor=remote,
        appeal=_appeal(remote, pk),
        organization=organization,
        forms=forms,
        description=str(offered.get("content") or "")[:5000],
        due_date=_date(offered.get("endTime")),
        amount=_decimal(offered.get("amount")),
        currency=str(offered.get("currency") or "")[:3],
        goods=str(offered.get("goods") or "")[:500],
        public=offered.get("public") is True,
    )
    # Kept on the pledge, for what names it later: the received `Offer` is pruned after some days.
    pledge.remote_activity_id = str(activity.get("id") or "")[:500]
    Pledge.objects.filter(pk=pledge.pk).update(remote_activity_id=pledge.remote_activity_id)
    return "pledged", pledge


def _offered_pledge(remote: Remote, offer_id: str | None) -> Pledge | None:
    """The pledge made by the remote organization's `Offer` whose id is `offer_id` (kept on it)."""
    if not offer_id:
        return None
    return Pledge.objects.filter(
        remote_activity_id=offer_id, organization_id=remote.organization_id
    ).first()


def _add(remote: Remote, activity: dict[str, Any]) -> Any:
    """Aid declared sent against a pledge (the issuer confirms it on this server)."""
    given = activity.get("object")
    if not isinstance(given, dict) or given.get("type") not in CONTRIBUTION_TYPES:
        return "", None  # an Add of something else: recorded only
    pledge = _offered_pledge(remote, documents.id_of(activity.get("target")))
    if pledge is None:
        raise ActRefused(404, "unknown_pledge", _("There is no such pledge of this organization."))
    return "aid_declared", contribution_declare(
        actor=remote,
        pledge=pledge,
        amount=_decimal(given.get("amount")),
        currency=str(given.get("currency") or "")[:3],
        goods=str(given.get("goods") or "")[:500],
        reference=str(given.get("reference") or "")[:200],
    )


def _confirmed(remote: Remote, activity: dict[str, Any]) -> Any:
    """The remote issuer confirmed receipt of aid declared here (the `Add` this server sent for
    it): confirmed on the contribution here, fulfilling the pledge if the issuer says so. None
    when the `Accept` is of anything else."""
    accepted = documents.id_of(activity.get("object"))
    if not accepted or not accepted.startswith(settings.SITE_URL.rstrip("/") + "/"):
        return None
    # Its aid declared to the sender's appeals, unconfirmed: the one whose `Add` is accepted,
    # found by the id kept on it when the `Add` was recorded (answering.py).
    contribution = (
        Contribution.objects.filter(
            remote_activity_id=accepted,
            appeal__organization_id=remote.organization_id,
            confirmed_at__isnull=True,
        )
        .select_related("appeal", "pledge")
        .first()
    )
    if contribution is None:
        return None
    fulfils = activity.get("fulfilsPledge")
    return "aid_confirmed", contribution_confirm(
        actor=remote,
        contribution=contribution,
        completes_pledge=fulfils if isinstance(fulfils, bool) else None,
    )


def _pledge_replied_to(remote: Remote, url: str | None) -> Pledge | None:
    """The pledge of one of this server's organizations to an appeal of the remote organization
    whose `Offer` (or the `Pledge` it carried, `<offer>#pledge`) is `url`, still waiting for the
    confirmation of aid declared against it: found among those few by the id its `Offer` was
    sent with (the same every time it is made), not by the `Offer` as recorded, which is pruned."""
    if not url or not url.startswith(settings.SITE_URL.rstrip("/") + "/"):
        return None
    offer_url = url.removesuffix("#pledge")
    pledges = (
        Pledge.objects.filter(
            appeal__organization_id=remote.organization_id,
            organization__remote_actor_url="",
            status=Pledge.Status.PLEDGED,
            contributions__confirmed_at__isnull=True,
        )
        .distinct()
        .select_related("appeal")
    )
    return next((p for p in pledges if answering.offer_id(p) == offer_url), None)


def _confirmed_by_note(remote: Remote, activity: dict[str, Any]) -> Any:
    """The fallback of `fulfilsPledge` for software that knows no pledge: a `Note` the issuer of
    the appeal sends in reply to the pledge (its `Pledge`, or its `Offer`) confirms receipt of
    the aid declared against it and not yet confirmed, and fulfils the pledge. None when the
    `Create` is of anything else; nothing done when no aid waits for its confirmation."""
    note = activity.get("object")
    if activity["type"] != "Create" or not isinstance(note, dict) or note.get("type") != "Note":
        return None
    pledge = _pledge_replied_to(remote, documents.id_of(note.get("inReplyTo")))
    if pledge is None:
        return None
    waiting = list(
        Contribution.objects.filter(pledge=pledge, confirmed_at__isnull=True).select_related(
            "appeal", "pledge"
        )
    )
    if not waiting or pledge.status != Pledge.Status.PLEDGED:
        return "", None
    for contribution in waiting:
        contribution_confirm(
            actor=remote,
            contribution=contribution,
            completes_pledge=contribution is waiting[-1],
        )
    return "aid_confirmed", waiting[-1]


def _fulfilled(remote: Remote, activity: dict[str, Any]) -> Any:
    """Its pledge to an appeal of this server marked fulfilled on its server, with its evidence.
    None when the `Update` is of anything else than its pledge (an appeal of its own: receiving.py)."""
    obj = activity.get("object")
    if not isinstance(obj, dict) or obj.get("type") not in PLEDGE_TYPES:
        return None
    pledge = _offered_pledge(remote, documents.id_of(activity.get("target")))
    if pledge is None:
        raise ActRefused(404, "unknown_pledge", _("There is no such pledge of this organization."))
    if obj.get("status") != Pledge.Status.FULFILLED:
        return "", None  # any other change of a pledge is not taken: recorded only
    link = obj.get("evidenceLink")
    return "pledge_fulfilled", pledge_fulfil(
        actor=remote,
        pledge=pledge,
        evidence_text=str(obj.get("evidence") or "")[:5000],
        evidence_link=link[:500] if isinstance(link, str) else "",
    )


def _undo(remote: Remote, activity: dict[str, Any]) -> Any:
    undone = activity.get("object")
    offer_id = documents.id_of(undone)
    if (vouch := vouching.undone(remote, offer_id)) is not None:
        return vouch
    if isinstance(undone, dict) and undone.get("type") not in (None, "Offer"):
        return "", None  # an Undo of a Follow, say: inbox.py's
    found = _offered_pledge(remote, offer_id)
    if found is None:
        return "", None
    return "withdrawn", pledge_withdraw(actor=remote, pledge=found)


def _statement_position(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Any]:
    """Its position on a statement of this server (statements.py); an `Announce` of it is
    recorded only."""
    if activity["type"] not in statements.STANCES:
        return "", None
    return statements.position(remote, organization, activity, pk)


# What a remote organization answers besides appeals, by the name of the object's page here:
# `answer(remote, organization, activity, pk)`, (outcome, the row it made or changed).
ANSWERED: dict[str, Callable[[Remote, Organization, dict[str, Any], int], tuple[str, Any]]] = {
    "meeting_detail": meetings.answer,
    "minutes_detail": meetings.approve_minutes,
    "advice_detail": advice.answer,
    "statement_detail": _statement_position,
    # The initiator's decision on an amendment proposed from here to its statement.
    "amendment_detail": received_statements.decided,
}


def _answer(remote: Remote, organization: Organization, activity: dict[str, Any]) -> Any:
    kind = activity["type"]
    if kind == "Accept" and (confirmed := _confirmed(remote, activity)) is not None:
        return confirmed
    named = _local_object(documents.id_of(activity.get("object")))
    if named is not None and named[0] in ANSWERED:
        return ANSWERED[named[0]](remote, organization, activity, named[1])
    pk = named[1] if named is not None and named[0] == "appeal_detail" else None
    if pk is None or kind not in ("Accept", "Reject", "Announce"):
        return "", None  # about something else than an appeal here: recorded only
    if kind == "Announce" and not activity.get("target"):
        return "", None  # a boost, not a pass
    appeal = _appeal(remote, pk)
    if kind == "Accept":
        return "acknowledged", appeal_acknowledge(
            actor=remote, appeal=appeal, organization=organization
        )
    if kind == "Reject":
        reason = activity.get("content") or activity.get("summary") or ""
        return "declined", appeal_decline(
            actor=remote, appeal=appeal, organization=organization, reason=str(reason)[:2000]
        )
    to = _passed_to(documents.id_of(activity.get("target")))
    return "passed", appeal_pass(actor=remote, appeal=appeal, organization=organization, to=to)


def _join(remote: Remote, organization: Organization, activity: dict[str, Any]) -> Any:
    """It signs an adopted statement of this server; its `Join` or `Leave` of a meeting's `Event`
    (Mobilizon's answers) accepts or declines the invitation; anything else is recorded only."""
    named = _local_object(documents.id_of(activity.get("object")))
    if named is not None and named[0] == "meeting_detail":  # Mobilizon's answers (meetings.py)
        return meetings.answer(remote, organization, activity, named[1])
    if activity["type"] != "Join":
        return "", None
    pk = statement_pk(documents.id_of(activity.get("object")))
    if pk is None:
        return "", None
    return statements.sign(remote, organization, pk)


# Whose content a page of this server shows, by the page's name, as the remote organization may
# see it (Http404 otherwise): the organization whose block of the sender refuses an activity
# about it (`_concerned`).
OWNERS: dict[str, Callable[[Remote, int], Organization]] = {
    "appeal_detail": lambda remote, pk: appeal_get(viewer=remote, pk=pk).organization,
    "meeting_detail": lambda remote, pk: meeting_get(viewer=remote, pk=pk).organization,
    "minutes_detail": lambda remote, pk: meeting_get(viewer=remote, pk=pk).organization,
    "advice_detail": lambda remote, pk: advice_get(viewer=remote, pk=pk).sender,
    "statement_detail": lambda remote, pk: statement_get(viewer=remote, pk=pk).organization,
    "amendment_detail": lambda remote, pk: amendment_get(viewer=remote, pk=pk).organization,
}


def _owner_of(remote: Remote, url: str) -> Organization | None:
    """The organization of this server that `url` names something of, as the sender may see it:
    a pledge of the sender (by the `Offer` that made it: the appeal's issuer), a vouch of the
    sender (the organization it vouched for); on this server, a page of its content (OWNERS),
    its own actor (a vouch's object), aid declared here that the sender confirms (the `Add`:
    the pledging organization), a pledge of this server the sender replies to (the pledging
    organization)."""
    if (pledge := _offered_pledge(remote, url)) is not None:
        return pledge.appeal.organization
    vouch = Vouch.objects.filter(remote_activity_id=url, voucher_id=remote.organization_id)
    if (vouched := vouch.select_related("organization").first()) is not None:
        return vouched.organization
    if not url.startswith(settings.SITE_URL.rstrip("/") + "/"):
        return None
    named = _local_object(url)
    if named is not None and named[0] in OWNERS:
        try:
            return OWNERS[named[0]](remote, named[1])
        except Http404:
            return None
    prefix = documents.actor_url_prefix()
    if url.startswith(prefix):
        return Organization.objects.filter(
            slug=url.removeprefix(prefix), remote_actor_url=""
        ).first()
    aid = Contribution.objects.filter(
        remote_activity_id=url, appeal__organization_id=remote.organization_id
    ).select_related("pledge__organization")
    if (declared := aid.first()) is not None:
        return declared.pledge.organization
    if (replied := _pledge_replied_to(remote, url)) is not None:
        return replied.organization
    return None


def _concerned(remote: Remote, activity: dict[str, Any]) -> list[Organization]:
    """The organizations of this server whose content the activity names: the owner of each of
    its object, its target and what its object replies to. A handler acts on one of them (an
    `Offer` on its target, an `Add` on its target's pledge...), so the block check takes every
    one: a sender cannot slip past a block by naming someone else's content first. Empty for an
    activity about nothing of this server (a remote organization's own appeal names several of
    ours: receiving.py leaves out those that blocked it)."""
    obj = activity.get("object")
    named = [documents.id_of(obj), documents.id_of(activity.get("target"))]
    if isinstance(obj, dict):
        named.append(documents.id_of(obj.get("inReplyTo")))
    owners = (_owner_of(remote, url) for url in dict.fromkeys(named) if url)
    return list({owner.pk: owner for owner in owners if owner is not None}.values())


def _blocked_by(remote: Remote, activity: dict[str, Any]) -> list[Organization]:
    """The organizations whose content the activity names that blocked its sender. Refused
    (403 `blocked`) if a block of the whole server covers it (held.py acts on what the inbox
    took earlier); an organization's own block is not told (the caller records it)."""
    found = []
    for concerned in _concerned(remote, activity):
        block = blocks.blocking(remote.actor_url, concerned)
        if block is not None and block.organization_id is None:
            raise ActRefused(
                403, "blocked", _("This server does not take activities from this sender.")
            )
        if block is not None:
            found.append(concerned)
    return found


def act(received: ReceivedActivity, activity: dict[str, Any], entry: RemoteOrganization) -> None:
    """Turn the activity of the accepted remote organization `entry` into its services call,
    and record what it did on `received` (and in the audit, as the remote actor). ActRefused,
    with a status and a reason, when the service refuses it: the caller rolls back.

    The one block check of what is acted on: if any organization whose content the activity
    names (`_concerned`) blocked the sender (blocks.py), the activity is not acted on, recorded
    as "blocked" and audited in its log, and answered as delivered, as its own inbox would: an
    activity to the shared inbox, or to another organization's, may name anyone's content."""
    assert entry.organization is not None
    remote = Remote(organization_id=entry.organization.pk, actor_url=entry.actor)
    kind = activity["type"]
    if blocking := _blocked_by(remote, activity):
        received.outcome = "blocked"
        received.save(update_fields=["outcome"])
        blocks.dropped(actor=remote.actor_url, organizations=blocking, activity=activity)
        return
    try:
        if kind in ("Accept", "TentativeAccept", "TentativeReject", "Reject", "Announce"):
            outcome, result = _answer(remote, entry.organization, activity)
        elif kind in ("Join", "Leave"):
            outcome, result = _join(remote, entry.organization, activity)
        elif kind == "Offer":
            outcome, result = _offer(remote, entry.organization, activity)
        elif kind == "Undo":
            outcome, result = _undo(remote, activity)
        elif kind == "Add":
            outcome, result = _add(remote, activity)
        elif kind in vouching.VOUCH_TYPES:
            outcome, result = vouching.received(remote, entry, activity)
        elif kind in receiving.TYPES:  # its pledge fulfilled, or its own appeals (receiving.py)
            outcome, result = (
                _fulfilled(remote, activity)
                or _confirmed_by_note(remote, activity)
                or meetings.correction(remote, entry.organization, activity)
                or received_statements.receive(remote, entry.organization, activity)
                or received_meetings.receive(remote, entry.organization, activity)
                or received_advice.receive(remote, entry.organization, activity)
                or receiving.receive(remote, entry.organization, activity)
            )
        else:
            return
    except ValidationError as error:
        raise ActRefused(422, _code(error), " ".join(error.messages)) from None
    except PermissionDenied as error:
        raise ActRefused(403, "forbidden", str(error) or _("Not allowed.")) from None
    _done(received, remote, entry.organization, kind, (outcome, result))


def _done(
    received: ReceivedActivity,
    remote: Remote,
    organization: Organization,
    kind: str,
    done: tuple[str, Any],
) -> None:
    """What the activity did (its outcome, the row it made or changed), on `received` and in
    the audit (as the remote actor)."""
    outcome, result = done
    if not outcome:
        return
    _record(received, outcome, result)
    if result is not None:
        audit(
            actor=remote,
            action="federation.remote_act",
            target=result,
            organization=organization,
            type=kind,
            outcome=outcome,
            activity=received.activity_id,
        )


def _record(received: ReceivedActivity, outcome: str, result: Any) -> None:
    received.outcome = outcome
    received.result_id = getattr(result, "pk", None)
    if outcome in ABOUT_THE_APPEAL and not received.about:
        # Its `target` is the remote's own `Offer`: what it is about is the pledge's appeal, so
        # that an erase of the appeal finds it (erasing.py), amounts and evidence with it.
        received.about = absolute_url(result.appeal.get_absolute_url())
    received.save(update_fields=["outcome", "result_id", "about"])


# What is done on one of an appeal's pledges (a Pledge or a Contribution): the activity is about
# the appeal.
ABOUT_THE_APPEAL = ("aid_declared", "pledge_fulfilled")


def _code(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                return item.code or "invalid"
    for item in error.error_list:
        return item.code or "invalid"
    return "invalid"
