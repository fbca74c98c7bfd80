"""Receiving remote appeals: what an accepted remote organization publishes about its own appeals
becomes an `Appeal` of that organization here (its `Organization` row the issuer), made and changed
through the appeals services, so that addressees, inboxes, notices, audit and the pages work as
for a local appeal. Called by acting.py, in the transaction in which the inbox records the
activity: a refusal (`ActRefused`) records nothing and changes nothing.

| activity | object | what it does here |
| --- | --- | --- |
| `Create` | an `Article` (the appeal) | appeal_create, then appeal_send to the organizations of this server it names (`to`, `cc`): they are its addressees; public (`to`/`cc` the public) if it is, else seen by them alone |
| `Create` again, another id | the same `Article` | the organizations it names that were not yet addressees become ones (appeal_add_addressees); nothing else |
| `Create` | a `Note` in reply to a received `Article` of the same organization | appeal_post_update |
| `Update` | the `Article`, `status` resolved (with `outcome`, `outcomeReport`) or closed; `contentMap` languages it had none in | appeal_resolve, appeal_close; its new translations kept; any other change is not taken (a sent appeal is not edited). Before its `Create`: kept, applied when the `Create` comes |
| `Delete` | the `Article` (its id or a `Tombstone`) | appeal_close: withdrawn by its issuer |

The issuer acts through the system (`System(reason="federation")`): a remote organization issues
nothing by its own rules (core/actors.py, `Remote`); who it was is audited
(`federation.remote_act`, as the remote actor). `ReceivedObject` maps each remote object URL of
the sending actor to the appeal (and the update) it became, once: every lookup is by the sender
and the URL, so that an organization cannot take the URL of another's (two organizations of one
server name their objects alike)."""

import datetime
import html
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Appeal, Situation, SupportForm
from internationale.appeals.services import (
    appeal_add_addressees,
    appeal_close,
    appeal_create,
    appeal_post_update,
    appeal_resolve,
    appeal_send,
    appeal_send_finish,
)
from internationale.core.actors import Remote, System
from internationale.core.audit import audit
from internationale.core.models import Urgency, Visibility
from internationale.organizations.models import Employer, Organization, Presence, Relation
from internationale.organizations.reference import normalize_language
from internationale.organizations.selectors import organization_list
from internationale.translation.services import versions_given

from . import blocks, documents
from .models import ReceivedActivity, ReceivedObject, RemoteOrganization

TYPES = ("Create", "Update", "Delete")
ARTICLE_TYPES = ("Article",)
SYSTEM = System(reason="federation")
TITLE_LENGTH = 200
TEXT_LENGTH = 50_000
# An update's text and an outcome report: as long as the appeals' forms and API take them.
UPDATE_LENGTH = 20_000
# The most versions in other languages kept of one received text.
MAX_VERSIONS = 20
# The outcome of an `Update` of an appeal whose `Create` has not come yet: applied when it comes,
# if it comes within FEDERATION_EARLY_UPDATE_DAYS (then dropped: pruning.early_to_drop).
EARLY = "update_early"
# The outcome of a `Delete` of an object not received (yet): its tombstone. A `Create` of that
# object coming later (deliveries cross, or the `Create` waits for a retry) makes nothing. Kept
# as long as received activities are (FEDERATION_PRUNE_RECEIVED_DAYS, 30), longer than a
# delivery is retried (FEDERATION_GIVE_UP_DAYS, 7).
TOMBSTONE = "delete_early"
# What a `Create` of an object its actor had already deleted does.
DELETED_BEFORE = "deleted_before"


class Refusal(Exception):
    """A document that cannot be taken: acting.py answers it with its status and reason."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def ids_of(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [found for v in values if (found := documents.id_of(v))]


def audience_of(*documents_: dict[str, Any]) -> list[str]:
    """Everyone the activity and its object name (`to`, `cc`, `bto`, `bcc`, `audience`)."""
    named: list[str] = []
    for document in documents_:
        for name in ("to", "cc", "bto", "bcc", "audience"):
            named += ids_of(document.get(name))
    return list(dict.fromkeys(named))


def _is_public(named: list[str]) -> bool:
    return any(url in (documents.PUBLIC, "as:Public", "Public") for url in named)


def _local_addressees(named: list[str]) -> list[Organization]:
    """This server's listed organizations among those named (their actor URLs), read in one
    query however many are named (a document of the largest size names thousands)."""
    prefix = documents.actor_url_prefix()
    slugs = list(dict.fromkeys(url.removeprefix(prefix) for url in named if url.startswith(prefix)))
    if not slugs:
        return []
    # As documents.local_actor finds one: in the directory as the public sees it, of this server.
    listed = organization_list(viewer=AnonymousUser()).filter(slug__in=slugs)
    by_slug = {o.slug: o for o in listed if not o.remote_actor_url}
    return [organization for slug in slugs if (organization := by_slug.get(slug)) is not None]


def _relating(
    issuer: Organization, named: list[Organization], employer: Employer | None
) -> set[int]:
    """Of `named` (this server's organizations an appeal of the accepted remote organization
    `issuer` names), the ids of those it may address: all of them when this server's operators
    accepted it for the whole server (it relates to none of ours in particular); else the
    organization it relates to (that followed it, or whose admins asked for it), those in an
    accepted relation with it, and those that organize at the appeal's employer with a public
    presence there: a remote organization counts as unverified here, and must learn nothing of
    presences kept to the network or the addressed (the answer to its appeal would tell it)."""
    ids = {o.pk for o in named}
    entry = RemoteOrganization.objects.filter(organization=issuer).only("relates_to_id").first()
    if entry is None or not ids:
        return set()
    if entry.relates_to_id is None:
        return ids
    allowed = {entry.relates_to_id} & ids
    pairs = Relation.objects.filter(status=Relation.Status.ACCEPTED).filter(
        Q(proposer=issuer, partner_id__in=ids) | Q(partner=issuer, proposer_id__in=ids)
    )
    for proposer_id, partner_id in pairs.values_list("proposer_id", "partner_id"):
        allowed |= {proposer_id, partner_id} & ids
    if employer is not None:
        present = Presence.objects.filter(
            employer=employer, organization_id__in=ids, visibility=Visibility.PUBLIC
        ).values_list("organization_id", flat=True)
        allowed |= set(present)
    return allowed


def addressees_of(
    remote: Remote, issuer: Organization, named: list[str], employer: Employer | None
) -> tuple[list[Organization], dict[Organization, str], bool]:
    """This server's organizations the appeal named in `named` goes to: those that relate to its
    issuer (`_relating`) and did not block its sender (blocks.py: the inbox checks only the block
    of the organization whose inbox it is, and an activity to the shared inbox, or to another's,
    names anyone). With those it is dropped for, and why ("blocked", "unrelated"), and whether
    it named any organization here: one that names some, all dropped, is taken and goes nowhere,
    and its sender is told nothing (a refusal would tell it which of ours relate to it, which
    organize at an employer without saying so in public, which blocked it)."""
    here = _local_addressees(named)
    open_ = [o for o in here if blocks.blocking(remote.actor_url, o) is None]
    allowed = _relating(issuer, open_, employer)
    dropped = {o: "blocked" for o in here if o not in open_}
    dropped |= {o: "unrelated" for o in open_ if o.pk not in allowed}
    return [o for o in open_ if o.pk in allowed], dropped, bool(here)


def _audit_dropped(
    remote: Remote, dropped: dict[Organization, str], activity: dict[str, Any], url: str
) -> None:
    """One entry in the audit log of each organization here an appeal was dropped for, with why:
    its admins and the operators see who tried to reach it (the sender is told nothing)."""
    for organization, reason in dropped.items():
        audit(
            actor=remote,
            action="federation.appeal_dropped",
            target=organization,
            organization=organization,
            reason=reason,
            object=url,
            activity=str(activity.get("id") or ""),
        )


def text_of_html(value: str) -> str:
    """The words of an HTML text, its paragraphs and line breaks kept, as a Markdown text."""
    value = re.sub(r"(?i)<br\s*/?>", "\n", value)
    value = re.sub(r"(?i)</(p|div|h[1-6]|li|blockquote)>", "\n\n", value)
    text = nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def language_of(obj: dict[str, Any], fallback: list[str]) -> str:
    """The object's language: the first of its `contentMap` (the original, as this platform
    sends it), else the organization's first language; `und` (undetermined) if none is a tag."""
    contents = obj.get("contentMap")
    tags = list(contents) if isinstance(contents, dict) else []
    for tag in [*tags, *fallback, "und"]:
        try:
            return normalize_language(str(tag))
        except ValueError:
            continue
    return "und"


def _text(obj: dict[str, Any], language: str) -> str:
    """The object's text as Markdown: its `source` when given as Markdown (as this platform sends
    it), else the words of its HTML `content` in its language."""
    source = obj.get("source")
    if (
        isinstance(source, dict)
        and source.get("mediaType") == "text/markdown"
        and isinstance(source.get("content"), str)
    ):
        return source["content"][:TEXT_LENGTH].strip()
    contents = obj.get("contentMap")
    content = obj.get("content")
    if isinstance(contents, dict) and isinstance(contents.get(language), str):
        content = contents[language]
    return text_of_html(content if isinstance(content, str) else "")[:TEXT_LENGTH]


def versions_of(obj: Any, language: str, *, titled: bool) -> dict[str, dict[str, str]]:
    """The object's texts in the other languages of its `contentMap` (and, `titled`, its
    `nameMap`): its server's versions of it, by language (a BCP 47 tag in its standard form),
    MAX_VERSIONS at most. A language without text is left out; one without a title takes the
    first line of its text, as the original does."""
    contents, names = obj.get("contentMap"), obj.get("nameMap")
    if not isinstance(contents, dict):
        return {}
    names = names if isinstance(names, dict) else {}
    found: dict[str, dict[str, str]] = {}
    for tag, content in list(contents.items())[: MAX_VERSIONS + 1]:
        try:
            tag = normalize_language(str(tag))
        except ValueError:
            continue
        text = text_of_html(content)[:TEXT_LENGTH] if isinstance(content, str) else ""
        if tag == language or tag in found or not text:
            continue
        if not titled:
            found[tag] = {"text": text[:UPDATE_LENGTH].strip()}
            continue
        title = names.get(tag)
        title = title if isinstance(title, str) and title.strip() else text.split("\n", 1)[0]
        found[tag] = {"title": title.strip()[:TITLE_LENGTH], "text": text}
    return dict(list(found.items())[:MAX_VERSIONS])


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise Refusal(422, "bad_amount", _("The amount is not a number.")) from None


def _deadline(value: Any) -> datetime.datetime | None:
    """`endTime`, if it is a time with its zone still ahead: a deadline passed while the appeal
    travelled is no deadline."""
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed, but no date (month 13): no deadline either
        when = None
    if when is None or timezone.is_naive(when) or when <= timezone.now():
        return None
    return when


def _employer(value: Any) -> Employer | None:
    """An employer this server knows (by slug, else by name): none is made here."""
    if not isinstance(value, dict):
        return None
    slug, name = str(value.get("slug") or "-")[:80], str(value.get("name") or "")[:200]
    return Employer.objects.filter(slug=slug).first() or (
        Employer.objects.filter(name__iexact=name).first() if name else None
    )


def _place(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    return str(value or "")[:200]


def appeal_fields(obj: dict[str, Any], issuer: Organization) -> dict[str, Any]:
    """What appeal_create takes of an `Article`: the properties of the platform's context when
    given (this platform's servers send them all), else what any software's article says (its
    name, its content) and the issuer's country, asking for propaganda (spreading the word)."""
    fallback = list(issuer.languages.values_list("tag", flat=True))
    language = language_of(obj, fallback)
    text = _text(obj, language)
    names = obj.get("nameMap")
    title = names.get(language) if isinstance(names, dict) else None
    title = title if isinstance(title, str) else obj.get("name")
    if not isinstance(title, str) or not title.strip():
        title = text.split("\n", 1)[0]
    title = title.strip()[:TITLE_LENGTH]
    if not title or not text:
        raise Refusal(422, "no_text", _("An appeal has a title and a text."))
    forms = obj.get("forms")
    asked = ([f for f in forms if f in SupportForm.values] if isinstance(forms, list) else []) or [
        SupportForm.PROPAGANDA
    ]
    situation = obj.get("situation")
    urgency = obj.get("urgency")
    given = obj.get("aidGoal")
    goal: dict[str, Any] = given if isinstance(given, dict) else {}
    return {
        "title": title,
        "text": text,
        "language": language,
        "situation": situation if situation in Situation.values else Situation.OTHER,
        "urgency": urgency if urgency in Urgency.values else Urgency.ROUTINE,
        "country": str(obj.get("country") or issuer.country or "").upper()[:2],
        "place": _place(obj.get("location")),
        "employer": _employer(obj.get("employer")),
        "asks_propaganda": SupportForm.PROPAGANDA in asked,
        "propaganda_details": str(obj.get("propagandaDetails") or "")[:5000],
        "asks_sympathy": SupportForm.SYMPATHY in asked,
        "sympathy_target": str(obj.get("sympathyTarget") or "")[:200],
        "sympathy_address": str(obj.get("sympathyAddress") or "")[:2000],
        "asks_material_aid": SupportForm.MATERIAL_AID in asked,
        "aid_goal_amount": _decimal(goal.get("amount")),
        "aid_goal_currency": str(goal.get("currency") or "")[:3],
        "aid_goods": str(goal.get("goods") or "")[:5000],
        "deadline": _deadline(obj.get("endTime")),
    }


def own_object(remote: Remote, obj: Any) -> dict[str, Any]:
    """The object the activity embeds, attributed to its sender (an organization publishes its
    own appeals only)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise Refusal(422, "no_object", _("The activity carries no object with an id."))
    attributed = ids_of(obj.get("attributedTo"))
    if attributed and remote.actor_url not in attributed:
        raise Refusal(
            403, "forged_origin", _("The object is attributed to another actor than its sender.")
        )
    return obj


def _received(remote: Remote, url: str | None, issuer: Organization) -> ReceivedObject | None:
    """The received appeal (not an update) whose remote URL is `url`, sent by `remote`, of
    `issuer`."""
    if not url:
        return None
    return (
        ReceivedObject.objects.filter(
            actor=remote.actor_url, url=url, update__isnull=True, appeal__organization=issuer
        )
        .select_related("appeal", "appeal__organization")
        .first()
    )


def _create_appeal(
    remote: Remote, issuer: Organization, activity: dict[str, Any], obj: dict[str, Any]
) -> tuple[str, Any]:
    named = audience_of(activity, obj)
    public = _is_public(named)
    known = (
        ReceivedObject.objects.filter(actor=remote.actor_url, url=obj["id"])
        .select_related("appeal", "appeal__employer")
        .first()
    )
    if known is not None:
        if known.appeal.organization_id != issuer.pk:
            raise Refusal(403, "forged_origin", _("This object is another organization's."))
        appeal = known.appeal
        addressees, dropped, _named_here = addressees_of(remote, issuer, named, appeal.employer)
        _audit_dropped(remote, dropped, activity, obj["id"])
        new = [o for o in addressees if not appeal.addressees.filter(organization=o).exists()]
        if not new or not appeal.is_live:
            return "", None  # the same again: nothing changes
        appeal_add_addressees(actor=SYSTEM, appeal=appeal, organizations=new)
        return "appeal_addressed", appeal
    if tombstoned(remote.actor_url, obj["id"]):
        return DELETED_BEFORE, None  # its Delete came first: it makes no appeal
    fields = appeal_fields(obj, issuer)
    addressees, dropped, named_here = addressees_of(remote, issuer, named, fields["employer"])
    _audit_dropped(remote, dropped, activity, obj["id"])
    if not public and not addressees and named_here:
        # None of those it names here takes it (none relates to its issuer, or each blocked its
        # sender): recorded only, answered as if it had reached them.
        return "", None
    if not public and not addressees:
        raise Refusal(
            422,
            "no_addressee",
            _("The appeal is neither public nor addressed to an organization of this server."),
        )
    appeal = appeal_create(
        actor=SYSTEM,
        organization=issuer,
        visibility="public" if public else "addressed",
        **fields,
    )
    if addressees:
        appeal_send(actor=SYSTEM, appeal=appeal, criteria=Criteria(add=[o.pk for o in addressees]))
        # At once, in this transaction (its task then finds nothing to do): the appeal is open
        # and its addressees told as soon as the activity is taken.
        appeal_send_finish(appeal_id=appeal.pk)
    else:
        # Public, addressed to none here: readable by all, in nobody's inbox. Opened as a send
        # would open it, without addressees to record.
        now = timezone.now()
        Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.DRAFT).update(
            status=Appeal.Status.OPEN, sent_at=now, updated_at=now
        )
    appeal.refresh_from_db()
    ReceivedObject.objects.create(url=obj["id"], actor=remote.actor_url, appeal=appeal)
    # Its other languages, as its server gave them: its translations here.
    versions_given(appeal, versions_of(obj, appeal.language, titled=True))
    _apply_early(remote, issuer, appeal, obj["id"])
    return "appeal_received", appeal


def _create_note(remote: Remote, issuer: Organization, obj: dict[str, Any]) -> tuple[str, Any]:
    """A `Note` in reply to a received appeal of the same organization: an update of it. Any
    other note is recorded only."""
    received = _received(remote, documents.id_of(obj.get("inReplyTo")), issuer)
    if received is None:
        return "", None
    if ReceivedObject.objects.filter(actor=remote.actor_url, url=obj["id"]).exists():
        return "", None  # the same update again
    language = language_of(obj, [received.appeal.language])
    text = _text(obj, language)[:UPDATE_LENGTH].strip()
    if not text:
        raise Refusal(422, "no_text", _("The update has no text."))
    update = appeal_post_update(actor=SYSTEM, appeal=received.appeal, text=text, language=language)
    versions_given(update, versions_of(obj, language, titled=False))
    ReceivedObject.objects.create(
        url=obj["id"], actor=remote.actor_url, appeal=received.appeal, update=update
    )
    return "appeal_updated", update


def _update(remote: Remote, issuer: Organization, obj: dict[str, Any]) -> tuple[str, Any]:
    """Its resolution or its closing, and its texts in languages it had none in yet (its
    translations made since); an edit of its text is not taken (a sent appeal is not edited: its
    issuer posts updates). Before its `Create` (deliveries cross, or the `Create` waits for a
    retry): kept as EARLY, and applied when the `Create` comes (`_apply_early`)."""
    if obj.get("type") not in ARTICLE_TYPES:
        return "", None
    received = _received(remote, obj["id"], issuer)
    if received is None:
        return EARLY, None
    appeal, status = received.appeal, obj.get("status")
    translated = versions_given(appeal, versions_of(obj, appeal.language, titled=True))
    if status == Appeal.Status.RESOLVED and appeal.is_live:
        report = obj.get("outcomeReport")
        appeal_resolve(
            actor=SYSTEM,
            appeal=appeal,
            outcome=str(obj.get("outcome") or ""),
            report=report[:UPDATE_LENGTH] if isinstance(report, str) else "",
        )
        return "appeal_resolved", appeal
    if status == Appeal.Status.CLOSED and appeal.status != Appeal.Status.CLOSED:
        appeal_close(actor=SYSTEM, appeal=appeal)
        return "appeal_closed", appeal
    if translated:
        return "appeal_translated", appeal
    return "", None


def _first_code(error: ValidationError) -> str:
    """The code of the first of the service's errors."""
    items = (
        [e for errors in error.error_dict.values() for e in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return next((item.code for item in items if item.code), "invalid")


def early_updates(actor: str, url: str) -> QuerySet[ReceivedActivity]:
    """The `Update`s of `actor`'s object at `url` kept as EARLY, in the order they came, less
    than FEDERATION_EARLY_UPDATE_DAYS ago (older ones are dropped): found among its few waiting
    ones by a partial index (federation_received_early), not by reading every activity
    received."""
    since = timezone.now() - datetime.timedelta(
        days=settings.INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS
    )
    return ReceivedActivity.objects.filter(
        actor=actor,
        outcome=EARLY,
        activity_type="Update",
        payload__object__id=url,
        received_at__gte=since,
    ).order_by("received_at", "pk")


def tombstoned(actor: str, url: str) -> bool:
    """Whether `actor` deleted its object at `url` before it was received here (its `Delete`
    kept as TOMBSTONE): found among its few by a partial index (federation_received_tombstone)."""
    return ReceivedActivity.objects.filter(
        Q(payload__object=url) | Q(payload__object__id=url), actor=actor, outcome=TOMBSTONE
    ).exists()


def _apply_early(remote: Remote, issuer: Organization, appeal: Appeal, url: str) -> None:
    """The `Update`s of the appeal at `url` that came before its `Create` (kept as EARLY),
    applied now, in the order they came, each recorded with what it did; one the services
    refuse (a resolution without its outcome) is marked `refused` with the code, and the
    `Create` is taken all the same."""
    for row in early_updates(remote.actor_url, url):
        try:
            with transaction.atomic():  # a savepoint: one refused does not refuse the Create
                outcome, result = _update(remote, issuer, row.payload["object"])
        except (Refusal, ValidationError) as error:
            code = error.code if isinstance(error, Refusal) else _first_code(error)
            row.outcome, row.refusal = "refused", (code or "invalid")[:60]
            row.save(update_fields=["outcome", "refusal"])
            continue
        row.outcome = outcome if outcome != EARLY else ""
        row.result_id = getattr(result, "pk", None)
        row.save(update_fields=["outcome", "result_id"])
        if result is not None:
            audit(
                actor=remote,
                action="federation.remote_act",
                target=result,
                organization=issuer,
                type="Update",
                outcome=outcome,
                activity=row.activity_id,
            )


def _delete(remote: Remote, issuer: Organization, activity: dict[str, Any]) -> tuple[str, Any]:
    """Its issuer deleted the appeal: closed here, and marked withdrawn. The delete of anything
    else (a post, an object not received yet) is kept as its tombstone (TOMBSTONE); of the actor
    itself, recorded only."""
    url = documents.id_of(activity.get("object"))
    received = _received(remote, url, issuer)
    if received is None:
        if not url or url == remote.actor_url:
            return "", None
        # Deleted before it came (or something never sent here): its tombstone, so that its
        # `Create`, if it comes later, makes nothing.
        return TOMBSTONE, None
    if received.withdrawn_at is None:
        received.withdrawn_at = timezone.now()
        received.save(update_fields=["withdrawn_at"])
    appeal = received.appeal
    if appeal.status != Appeal.Status.CLOSED:
        appeal_close(actor=SYSTEM, appeal=appeal)
    return "appeal_withdrawn", appeal


def receive(remote: Remote, issuer: Organization, activity: dict[str, Any]) -> tuple[str, Any]:
    """Act on a `Create`, `Update` or `Delete` of the accepted remote organization `issuer`:
    (outcome, the row it made or changed), ("", None) when it is only recorded. Refusal, or the
    services' ValidationError, when it cannot be taken."""
    kind = activity["type"]
    if kind == "Delete":
        return _delete(remote, issuer, activity)
    raw = activity.get("object")
    if not isinstance(raw, dict) or raw.get("type") not in (*ARTICLE_TYPES, "Note"):
        return "", None  # not an appeal, nor an update of one: recorded only
    if "paragraphs" in raw:
        return "", None  # a statement's article (statements.py), not an appeal: recorded only
    obj = own_object(remote, raw)
    if kind == "Update":
        return _update(remote, issuer, obj)
    if obj["type"] == "Note":
        return _create_note(remote, issuer, obj)
    return _create_appeal(remote, issuer, activity, obj)


# What the other kinds of content received from remote organizations (meetings and advice:
# received_meetings.py, received_advice.py) read of their documents as appeals do.
text_of = _text
