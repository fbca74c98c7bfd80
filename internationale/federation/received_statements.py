"""Statements of other servers received here, and what this server's organizations answer them:
the other half of statements.py, so that two servers of this platform deliberate one statement
both ways.

**Received** (from an accepted remote organization, in the inbox's transaction, through the
statements services, acting as the system for the initiator as receiving.py does for appeals).
The statement becomes a `Statement` of the remote organization (its `Organization` row the
initiator), in which the organizations of this server it names take part; its participants read
it on their statements pages, marked with its initiator's home server, and nobody here edits
it. `ReceivedStatement` maps the remote URL to it, once per sender.

| activity | object | what it does here |
| --- | --- | --- |
| `Create` | the statement's `Article` (it has `paragraphs`), addressed to organizations here | statement_create (initiator: the remote organization; visible to its participants here only, adopted or not), the organizations named that relate to its initiator invited (receiving.py's rule for appeals) |
| `Create` again | the same `Article`, to others here | statement_invite of those not taking part yet |
| `Update` | the `Article` drafted, its title, deadlines or `minAgree` changed | statement_change |
| `Update` | the `Article`: a new `version` | statement_revise (a version of the copy, its note naming the origin's number) |
| `Update` | `status` `positions` | positions_call, with the origin's deadline |
| `Update` | `status` `adopted` | the copy adopted on the version received, its signatories that took part signed (this server's participants that agreed here, the sender's server's participants), with their published reservations (those stated here; the sender's server's from its `reservations`) |
| `Update` | `status` `withdrawn` | statement_withdraw |
| `Create` | an `Article` whose `Delete` came first (receiving.TOMBSTONE) | nothing |
| `Delete` | the `Article` (id or `Tombstone`) | the copy deleted, audited (`federation.statement_deleted`), when nobody here wrote about it; withdrawn instead ("Deleted on its server.") when an organization of this server stated a position, commented, proposed an amendment or signed; one adopted or withdrawn already stays as it is |
| `Create` | a `Note` in reply to a statement of THIS server, with `amendment` (`kind`, `paragraph`, `text`, `version`) and the reason as `content` | amendment_propose as the remote participant (same rules, audit, notice) |

The copy's own consensus never adopts it: its initiator states no position here, and silence
does not count as standing aside; only the origin's `Update` adopts it.

**Sent** (a channel of notices, `answers_channel`, to the initiator's inbox alone: these are
answers of this server's organizations to another server's content, as answering.py's are to
its appeals, not content of this server that travels by `publishing.Travelling`):

| notice (on a received statement) | activity to its initiator's server |
| --- | --- |
| `statement.position_stated` | `Accept` (agree), `TentativeAccept` (with reservations), `TentativeReject` (stand aside), `Reject` (block), with `stance`, `content` (the reservations or reason), `version` (the origin's number), `publishReservations` |
| `statement.signed` | `Join` of the statement |
| `amendment.proposed` | `Create` of a `Note` in reply to the statement, with `amendment` |
| `amendment.decided` (on a statement of THIS server, proposed by a remote participant) | `Accept` (accepted; `status` `merged` when merged by hand) or `Reject` of the amendment's `Note`, the reason as `content` |

Received back, an `Accept`/`Reject` of the `Note` of an amendment proposed here is the
initiator's decision: the copy's amendment shows it (`decided`; the text it makes comes with the
statement's next version).

These are what statements.py and acting.py take inbound: a server of this platform counts them
in its consensus."""

import datetime
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from internationale.addressing.routing import Criteria
from internationale.core.actors import Remote
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.models import Notice
from internationale.core.notices import notice_send
from internationale.core.text import render_markdown
from internationale.organizations.models import Organization
from internationale.statements.amendments import (
    amendment_decided,
    amendment_propose,
    statement_revise,
)
from internationale.statements.consensus import participants_of, positions_call
from internationale.statements.drafting import statement_change, statement_withdraw
from internationale.statements.models import (
    Amendment,
    Comment,
    Participant,
    Position,
    Signature,
    Statement,
    Version,
)
from internationale.statements.services import statement_create, statement_invite
from internationale.translation.services import versions_given

from . import documents, publishing, receiving, statements
from .models import ReceivedActivity, ReceivedStatement, RemoteOrganization
from .remote import same_host

SYSTEM = receiving.SYSTEM
AMENDMENT_KINDS = {choice.value for choice in Amendment.Kind}
# The activity that carries each position (statements.STANCES, the other way round).
ACTIVITY_OF: dict[str, str] = {str(stance): kind for kind, stance in statements.STANCES.items()}
MAX_PARAGRAPHS = 200
# The longest reservations of a signatory taken from its server.
RESERVATIONS_LENGTH = 5000
# A deadline its server gave already passed is given to the copy's services this far ahead (they
# take deadlines ahead only), then written as given (_as_given): passed there, passed here.
GRACE = datetime.timedelta(minutes=1)


def _context() -> list[Any]:
    return publishing.inline_context((*statements.STATEMENT_TERMS, "amendment"))


# What this server's organizations answer to received statements, declared (publishing.Direct):
# ids under SITE_URL/statement-answers/<the answering organization's pk>#<step>.
ANSWERS_SENT = publishing.declare_direct(publishing.Direct("statement-answers", context=_context))


# Received ----------------------------------------------------------------------------------------


def _received(remote: Remote, url: str | None, issuer: Organization) -> ReceivedStatement | None:
    """The received statement whose remote URL is `url`, sent by `remote`, of `issuer`."""
    if not url:
        return None
    return (
        ReceivedStatement.objects.filter(
            actor=remote.actor_url, url=url, statement__organization=issuer
        )
        .select_related("statement", "statement__organization")
        .first()
    )


def _number(value: Any, default: int = 0) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
    )


def _deadline(value: Any) -> datetime.datetime:
    """A deadline its server gave: a time with its zone, passed or not."""
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or timezone.is_naive(when):
        raise receiving.Refusal(
            422, "bad_deadline", _("A statement's deadlines are times with their zone.")
        )
    return when


def _ahead(when: datetime.datetime) -> datetime.datetime:
    """What the services are given for a deadline: they take deadlines ahead only."""
    return max(when, timezone.now() + GRACE)


def _as_given(statement: Statement, **given: datetime.datetime) -> None:
    """The deadlines its server gave that had passed (or all but passed) there, written as given
    once the services took them a moment ahead: passed there, they are passed here."""
    floor = timezone.now() + GRACE
    passed = {
        field: when
        for field, when in given.items()
        if when <= floor and getattr(statement, field) != when
    }
    if passed:
        Statement.objects.filter(pk=statement.pk).update(**passed)
        for field, when in passed.items():
            setattr(statement, field, when)


def _paragraphs(obj: dict[str, Any]) -> list[str]:
    given = obj.get("paragraphs")
    if (
        not isinstance(given, list)
        or not given
        or len(given) > MAX_PARAGRAPHS
        or not all(isinstance(p, str) and p.strip() for p in given)
    ):
        raise receiving.Refusal(422, "no_text", _("A statement has its paragraphs, each a text."))
    return [p[: receiving.TEXT_LENGTH] for p in given]


def _title(obj: dict[str, Any], language: str, paragraphs: list[str]) -> str:
    names = obj.get("nameMap")
    title = names.get(language) if isinstance(names, dict) else None
    title = title if isinstance(title, str) and title.strip() else obj.get("name")
    if not isinstance(title, str) or not title.strip():
        title = paragraphs[0].split("\n", 1)[0]
    return title.strip()[: receiving.TITLE_LENGTH]


def _translations(statement: Statement, obj: dict[str, Any]) -> None:
    """The adopted text's other languages, as its server gave them (`contentMap`, `nameMap`):
    the copy's versions in those languages, one paragraph per paragraph of its HTML."""
    for language, texts in receiving.versions_of(obj, statement.language, titled=True).items():
        parts = [p.strip() for p in texts["text"].split("\n\n") if p.strip()]
        given = {"title": texts["title"]}
        given.update({f"paragraph.{n}": p for n, p in enumerate(parts, start=1)})
        versions_given(statement, {language: given})


def _signatories(
    received: ReceivedStatement, obj: dict[str, Any], statement: Statement
) -> list[Organization]:
    """The organizations among the `signatories` its server lists that this server knows took
    part: its own participants of the copy that agreed here (with reservations or not) on the
    version positions were called on, and the accepted remote organizations of the sender's own
    server that take part (its initiator among them). Any other name is left out: a server
    speaks for its own organizations only, not for those here that never agreed."""
    named = [url for url in receiving.ids_of(obj.get("signatories")) if isinstance(url, str)]
    taking_part = {organization.pk for organization in participants_of(statement)}
    version_id = statement.positions_version_id or statement.current_version_id
    agreed = Position.objects.filter(
        statement=statement,
        version_id=version_id or 0,  # none yet: nobody agreed
        stance__in=[Position.Stance.AGREE, Position.Stance.RESERVATIONS],
    ).values("organization_id")
    prefix = documents.actor_url_prefix()
    slugs = [url.removeprefix(prefix) for url in named if url.startswith(prefix)]
    known = list(
        Organization.objects.filter(slug__in=slugs, remote_actor_url="", pk__in=taking_part).filter(
            pk__in=agreed
        )
    )
    known += [
        entry.organization
        for entry in RemoteOrganization.objects.filter(
            actor__in=named, status=RemoteOrganization.Status.ACCEPTED
        ).select_related("organization")
        if entry.organization is not None
        and entry.organization.pk in taking_part
        and same_host(entry.actor, received.actor)
    ]
    return known


def _reservations(
    statement: Statement, obj: dict[str, Any], signatories: list[Organization]
) -> dict[int, str]:
    """The published reservations of each signatory, by its id: this server's organizations',
    from the positions they stated here (published, as a local adoption takes them); remote
    ones', from the `reservations` its server sent (by actor)."""
    version_id = statement.positions_version_id or statement.current_version_id
    stated = dict(
        Position.objects.filter(
            statement=statement,
            version_id=version_id or 0,
            stance__in=[Position.Stance.AGREE, Position.Stance.RESERVATIONS],
            publish_reservations=True,
        ).values_list("organization_id", "text")
    )
    given = obj.get("reservations")
    given = given if isinstance(given, dict) else {}
    found: dict[int, str] = {}
    for organization in signatories:
        if organization.remote_actor_url:
            text = given.get(organization.remote_actor_url)
            text = (
                receiving.text_of_html(text)[:RESERVATIONS_LENGTH] if isinstance(text, str) else ""
            )
        else:
            text = stated.get(organization.pk, "")
        if text:
            found[organization.pk] = text
    return found


def _adopt(received: ReceivedStatement, obj: dict[str, Any]) -> Statement:
    """The copy adopted on its current version, as its server decided (its consensus is
    theirs): frozen, readable by its participants here, its signatories known here signed, its
    participants told."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update(of=("self",)).get(pk=received.statement_id)
        version = statement.current_version
        assert version is not None
        signatories = _signatories(received, obj, statement)  # by the positions stated here
        reservations = _reservations(statement, obj, signatories)
        statement.status = Statement.Status.ADOPTED
        statement.adopted_at = timezone.now()
        statement.visibility = statement.adopted_visibility
        statement.positions_version = version
        statement.save(
            update_fields=["status", "adopted_at", "visibility", "positions_version", "updated_at"]
        )
        Version.objects.filter(pk=version.pk).update(is_adopted=True)
        Signature.objects.bulk_create(
            [
                Signature(
                    statement=statement,
                    organization=organization,
                    source=Signature.Source.ADOPTION,
                    reservations=reservations.get(organization.pk, ""),
                    country=str(organization.country or ""),
                )
                for organization in signatories
            ],
            ignore_conflicts=True,
        )
        audit(
            actor=SYSTEM,
            action="statement.adopt",
            target=statement,
            organization=statement.organization,
            title=statement.title,
            version=version.number,
            agreements=statement.signatures.count(),
        )
        notice_send(
            kind="statement.adopted",
            source=statement,
            organizations=[o.pk for o in participants_of(statement)],
            params={"title": statement.title},
        )
    _translations(statement, obj)
    return statement


def _settings(received: ReceivedStatement, obj: dict[str, Any]) -> bool:
    """The draft's settings its server changed (title, deadlines, agreements needed), taken
    through statement_change while both are drafted; a deadline already passed there is
    passed here too. Whether any changed."""
    statement = received.statement
    drafting = Statement.Status.DRAFTING
    if statement.status != drafting or obj.get("status") != drafting:
        return False
    changes: dict[str, Any] = {}
    names = obj.get("nameMap")
    title = names.get(statement.language) if isinstance(names, dict) else None
    title = title if isinstance(title, str) and title.strip() else obj.get("name")
    if isinstance(title, str) and title.strip():
        changes["title"] = title.strip()[: receiving.TITLE_LENGTH]
    now = timezone.now()
    passed: dict[str, datetime.datetime] = {}
    for field, term in (
        ("amendments_until", "amendmentsUntil"),
        ("positions_until", "positionsUntil"),
    ):
        if term not in obj:
            continue
        when = _deadline(obj[term])
        if when > now + GRACE:
            changes[field] = when
        elif getattr(statement, field) != when:
            passed[field] = when
    if (agree := _number(obj.get("minAgree"))) >= 1:
        changes["min_agree"] = agree
    changed = {name: value for name, value in changes.items() if getattr(statement, name) != value}
    if not changed and not passed:
        return False
    if changed:
        statement_change(actor=SYSTEM, statement=statement, **changed)
        statement.refresh_from_db()
    _as_given(statement, **passed)
    return True


def _call(statement: Statement, until: datetime.datetime) -> None:
    """Positions called on the copy's current version, until the deadline its server gave."""
    positions_call(actor=SYSTEM, statement=statement, positions_until=_ahead(until))
    statement.refresh_from_db()
    _as_given(
        statement,
        positions_until=until,
        amendments_until=min(statement.amendments_until, until),
    )


def _follow(received: ReceivedStatement, obj: dict[str, Any]) -> tuple[str, Any]:
    """The copy brought to the step its server sent: a new version, positions called, adopted
    or withdrawn. ("", None) when nothing changes (the same again, or a step it already took)."""
    statement = received.statement
    if statement.is_frozen:
        return "", None
    outcome = "statement_changed" if _settings(received, obj) else ""
    status = obj.get("status")
    number = _number(obj.get("version"))
    if number > received.version:
        paragraphs = _paragraphs(obj)
        current = statement.current_version
        if current is None or list(current.paragraphs) != paragraphs:
            # The note in the statement's own language, whoever's request brought it.
            with translation.override(statement.language):
                note = _("Version %(n)s on its server.") % {"n": number}
            statement_revise(
                actor=SYSTEM,
                statement=statement,
                paragraphs=paragraphs,
                note=note,
                # Its own title, if its server names it (else the copy's stays).
                title=(
                    _title(obj, statement.language, paragraphs)
                    if obj.get("name") or obj.get("nameMap")
                    else ""
                ),
            )
            outcome = "statement_version"
        received.version = number
        received.save(update_fields=["version"])
        statement.refresh_from_db()
    called = _number(obj.get("positionsVersion"), default=-1)
    if status == Statement.Status.POSITIONS:
        until = _deadline(obj.get("positionsUntil"))
        if statement.status != Statement.Status.POSITIONS or received.positions_version != called:
            _call(statement, until)
            received.positions_version = called if called >= 0 else received.version
            received.save(update_fields=["positions_version"])
            outcome = "statement_positions_called"
        elif until != statement.positions_until:
            # Called again on the same version with another deadline: called again here, as
            # a call here on the same version (its participants asked again).
            _call(statement, until)
            outcome = "statement_positions_called"
    elif status == Statement.Status.ADOPTED:
        _adopt(received, obj)
        outcome = "statement_adopted"
    elif status == Statement.Status.WITHDRAWN:
        statement_withdraw(actor=SYSTEM, statement=statement)
        outcome = "statement_withdrawn"
    statement.refresh_from_db()
    return outcome, statement if outcome else None


def _create(
    remote: Remote, issuer: Organization, activity: dict[str, Any], obj: dict[str, Any]
) -> tuple[str, Any]:
    named = receiving.audience_of(activity, obj)
    known = (
        ReceivedStatement.objects.filter(actor=remote.actor_url, url=obj["id"])
        .select_related("statement", "statement__organization")
        .first()
    )
    addressees, _dropped, named_here = receiving.addressees_of(remote, issuer, named, None)
    if known is not None:
        if known.statement.organization_id != issuer.pk:
            raise receiving.Refusal(
                403, "forged_origin", _("This object is another organization's.")
            )
        taking_part = set(
            Participant.objects.filter(statement=known.statement).values_list(
                "organization_id", flat=True
            )
        )
        new = [o.pk for o in addressees if o.pk not in taking_part]
        if known.statement.is_frozen:
            new = []  # adopted or withdrawn: nobody more takes part
        if new:
            statement_invite(actor=SYSTEM, statement=known.statement, criteria=Criteria(add=new))
        outcome, _changed = _follow(known, obj)
        return ("statement_invited" if new else outcome), known.statement
    if receiving.tombstoned(remote.actor_url, obj["id"]):
        return receiving.DELETED_BEFORE, None  # its Delete came first: it makes no statement
    if not addressees and named_here:
        return "", None  # none of those it names here relates to its initiator: recorded only
    if not addressees:
        raise receiving.Refusal(
            422,
            "no_addressee",
            _("The statement is not addressed to an organization of this server."),
        )
    paragraphs = _paragraphs(obj)
    language = receiving.language_of(obj, list(issuer.languages.values_list("tag", flat=True)))
    amendments_until = _deadline(obj.get("amendmentsUntil"))
    positions_until = max(_deadline(obj.get("positionsUntil")), amendments_until)
    statement = statement_create(
        actor=SYSTEM,
        organization=issuer,
        title=_title(obj, language, paragraphs),
        language=language,
        paragraphs=paragraphs,
        amendments_until=_ahead(amendments_until),
        positions_until=_ahead(positions_until),
        # Here, for its participants alone, adopted or not: its server publishes it.
        adopted_visibility="addressed",
        min_agree=max(1, _number(obj.get("minAgree"), default=2)),
        criteria=Criteria(add=[o.pk for o in addressees]),
        language_confirmed=True,
    )
    _as_given(statement, amendments_until=amendments_until, positions_until=positions_until)
    received = ReceivedStatement.objects.create(
        url=obj["id"],
        actor=remote.actor_url,
        statement=statement,
        version=_number(obj.get("version")),
    )
    _follow(received, obj)
    return "statement_received", statement


def _amendment(remote: Remote, organization: Organization, note: dict[str, Any]) -> tuple[str, Any]:
    """The remote participant's amendment to a statement of this server: amendment_propose as
    it."""
    pk = _statement_pk(documents.id_of(note.get("inReplyTo")))
    if pk is None:
        raise receiving.Refusal(
            404, "unknown_statement", _("There is no such statement for this organization.")
        )
    statement = statements.statement_for(remote, pk)
    given = note["amendment"]
    kind, paragraph = given.get("kind"), given.get("paragraph")
    if kind not in AMENDMENT_KINDS or not isinstance(paragraph, int) or isinstance(paragraph, bool):
        raise receiving.Refusal(
            422, "bad_amendment", _("An amendment names its kind and its paragraph.")
        )
    text = given.get("text")
    reason = note.get("source")
    reason = (
        reason["content"]
        if isinstance(reason, dict) and isinstance(reason.get("content"), str)
        else receiving.text_of_html(note["content"] if isinstance(note.get("content"), str) else "")
    )
    version = statements.version_number(given.get("version"))
    return "amendment_proposed", amendment_propose(
        actor=remote,
        statement=statement,
        organization=organization,
        version=version if version is not None else 0,
        paragraph=paragraph,
        kind=kind,
        text=text if isinstance(text, str) else "",
        reason=reason,
    )


# What this server's organizations write about a statement: when its initiator deletes it, a
# copy with any of these is withdrawn, not deleted (theirs, not the initiator's to take away).
WRITTEN_HERE = (Amendment, Comment, Position, Signature)


def _written_here(statement: Statement) -> bool:
    """Whether an organization of this server wrote anything about the statement: a position,
    a comment, an amendment or a signature."""
    return any(
        model._default_manager.filter(
            statement=statement, organization__remote_actor_url=""
        ).exists()
        for model in WRITTEN_HERE
    )


def _delete(remote: Remote, received: ReceivedStatement) -> tuple[str, Any]:
    """Its initiator deleted the statement. A copy nobody here wrote about is deleted, audited.
    One adopted, withdrawn, or about which an organization of this server wrote anything (a
    position, a comment, an amendment, a signature) is theirs too: kept, withdrawn with the
    reason that it was deleted on its server (one adopted or withdrawn already stays so), so that
    they still read it and what they wrote."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update(of=("self",)).get(pk=received.statement_id)
        if statement.is_frozen:
            return "", None
        if _written_here(statement):
            with translation.override(statement.language):
                reason = _("Deleted on its server.")
            withdrawn = statement_withdraw(actor=SYSTEM, statement=statement, reason=reason)
            return "statement_withdrawn", withdrawn
        audit(
            actor=remote,
            action="federation.statement_deleted",
            target=statement,
            organization=statement.organization,
            title=statement.title,
            url=received.url,
            participants=[o.pk for o in participants_of(statement)],
        )
        statement.delete()  # its mapping, versions, participants with it
    return "statement_deleted", None


# The decisions an initiator sends on an amendment proposed from here (send_decision, the other
# way): the status it took there, or the activity's own.
DECIDED = {"Accept": Amendment.Status.ACCEPTED, "Reject": Amendment.Status.REJECTED}
STILL_OPEN = (Amendment.Status.OPEN, Amendment.Status.NEEDS_REBASE)


def decided(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Any]:
    """The initiator's decision on an amendment an organization of this server proposed to its
    statement (its `Accept` or `Reject` of the amendment's `Note`, `status` `merged` for one
    merged by hand, `content` its reason): the copy's amendment shows it, audited, its proposer
    told. The text the decision makes comes with the statement's next version (its `Update`)."""
    amendment = (
        Amendment.objects.select_related("statement")
        .filter(pk=pk, statement__organization_id=remote.organization_id)
        .filter(statement__received_as__actor=remote.actor_url)
        .first()
    )
    if amendment is None:
        raise receiving.Refusal(
            404, "unknown_amendment", _("There is no such amendment for this organization.")
        )
    status = DECIDED.get(activity["type"])
    if status is None:
        return "", None
    if status == Amendment.Status.ACCEPTED and activity.get("status") == Amendment.Status.MERGED:
        status = Amendment.Status.MERGED
    reason = activity.get("content")
    statement = amendment.statement
    with transaction.atomic():
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if current.status not in STILL_OPEN:
            return "", None  # decided already (the same again)
        current.status = status
        current.decided_at = timezone.now()
        current.decision_reason = (
            receiving.text_of_html(reason)[:2000] if isinstance(reason, str) else ""
        )
        current.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
        amendment_decided(remote, statement, current)
    return "amendment_decided", current


def _statement_pk(url: str | None) -> int | None:
    from .acting import statement_pk as pk_of  # acting imports this module

    return pk_of(url)


def receive(
    remote: Remote, organization: Organization, activity: dict[str, Any]
) -> tuple[str, Any] | None:
    """Act on a `Create`, `Update` or `Delete` about a statement: one of the accepted remote
    organization's own (received here), or its amendment to one of this server's. None when
    the activity is about anything else (receiving.py's then)."""
    kind = activity["type"]
    raw = activity.get("object")
    if kind == "Delete":
        received = _received(remote, documents.id_of(raw), organization)
        if received is None:
            return None
        return _delete(remote, received)
    if not isinstance(raw, dict):
        return None
    if kind == "Create" and raw.get("type") == "Note" and isinstance(raw.get("amendment"), dict):
        return _amendment(remote, organization, receiving.own_object(remote, raw))
    if raw.get("type") not in receiving.ARTICLE_TYPES or not statements.is_statement(raw):
        return None
    obj = receiving.own_object(remote, raw)
    if kind == "Create":
        return _create(remote, organization, activity, obj)
    received = _received(remote, obj["id"], organization)
    if received is None:
        return "", None  # an Update of a statement never received here: recorded only
    return _follow(received, obj)


# Sent --------------------------------------------------------------------------------------------


def _origin(statement: Statement) -> tuple[ReceivedStatement, RemoteOrganization] | None:
    """Where a received statement came from: its record and its initiator's accepted entry."""
    received = ReceivedStatement.objects.filter(statement_id=statement.pk).first()
    if received is None:
        return None
    entry = RemoteOrganization.objects.filter(
        organization_id=statement.organization_id, status=RemoteOrganization.Status.ACCEPTED
    ).first()
    return (received, entry) if entry is not None else None


def _send(
    organization: Organization,
    entry: RemoteOrganization,
    step: str,
    kind: str,
    body: dict[str, Any],
    published: datetime.datetime,
) -> None:
    """Record (once: its id is made from `step`) and queue the activity of `organization` to
    the initiator's inbox alone."""
    ANSWERS_SENT.send(
        organization, entry, organization.pk, step, kind, body, published=published.isoformat()
    )


def _digest(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def position_step(position: Position) -> str:
    """The step of the activity of a position as it stands (its id's, ANSWERS_SENT)."""
    return f"position-{position.pk}-{_digest(position.stance, position.text, position.stated_at)}"


def amendment_step(amendment: Amendment) -> str:
    """The step of the activity of an amendment as it stands (its id's, ANSWERS_SENT)."""
    return f"amendment-{amendment.pk}-{_digest(amendment.updated_at)}"


def send_position(position: Position, remotes: list[RemoteOrganization]) -> None:
    """A position of this server's organization on a received statement, to its server: the
    activity of its stance (each change of it again)."""
    statement = position.statement
    found = _origin(statement)
    organization = position.organization
    if found is None or organization.remote_actor_url:
        return
    received, entry = found
    if entry.organization_id not in {r.organization_id for r in remotes}:
        return
    body: dict[str, Any] = {
        "object": received.url,
        "stance": position.stance,
        "content": position.text,
        "publishReservations": position.publish_reservations,
    }
    if received.positions_version is not None:
        body["version"] = received.positions_version
    _send(
        organization,
        entry,
        position_step(position),
        ACTIVITY_OF[position.stance],
        body,
        position.stated_at,
    )


def send_signature(signature: Signature, remotes: list[RemoteOrganization]) -> None:
    """This server's organization signs a received adopted statement: its `Join`."""
    found = _origin(signature.statement)
    if found is None or signature.organization.remote_actor_url:
        return
    received, entry = found
    _send(
        signature.organization,
        entry,
        f"join-{signature.pk}",
        "Join",
        {"object": received.url},
        timezone.now(),
    )


def send_amendment(amendment: Amendment, remotes: list[RemoteOrganization]) -> None:
    """An amendment this server's organization proposes to a received statement: a `Note` in
    reply to it, carrying the change, to its server."""
    found = _origin(amendment.statement)
    if found is None or amendment.organization.remote_actor_url:
        return
    received, entry = found
    organization = amendment.organization
    url = absolute_url(amendment.get_absolute_url())
    note = {
        "id": url,
        "type": "Note",
        "attributedTo": documents.actor_url(organization),
        "inReplyTo": received.url,
        "to": [entry.actor],
        "content": str(render_markdown(amendment.reason)),
        "source": {"content": amendment.reason, "mediaType": "text/markdown"},
        "mediaType": "text/html",
        "url": url,
        "published": amendment.created_at.isoformat(),
        "amendment": {
            "kind": amendment.kind,
            "paragraph": amendment.paragraph,
            "text": amendment.text,
            "version": received.version,
        },
    }
    _send(
        organization,
        entry,
        amendment_step(amendment),
        "Create",
        {"object": note},
        amendment.created_at,
    )


def send_decision(amendment: Amendment, remotes: list[RemoteOrganization]) -> None:
    """The initiator's decision on an amendment a remote participant proposed to a statement of
    this server: `Accept` (accepted or merged, `status` says which) or `Reject` of its `Note`,
    with the reason as `content`, to the proposer's inbox alone. Its `Note`'s id is read from
    the activity that brought it, while received activities are kept
    (FEDERATION_PRUNE_RECEIVED_DAYS)."""
    statement = amendment.statement
    if statement.organization.remote_actor_url or amendment.status in STILL_OPEN:
        return  # a copy's amendments are decided on its server
    entry = next((r for r in remotes if r.organization_id == amendment.organization_id), None)
    if entry is None:
        return
    brought = ReceivedActivity.objects.filter(
        actor=entry.actor, outcome="amendment_proposed", result_id=amendment.pk
    ).first()
    note_id = documents.id_of(brought.payload.get("object")) if brought is not None else None
    if not note_id:
        return
    kind = "Reject" if amendment.status == Amendment.Status.REJECTED else "Accept"
    body = {
        "object": note_id,
        "inReplyTo": absolute_url(statement.get_absolute_url()),
        "status": amendment.status,
        "content": amendment.decision_reason,
    }
    decided_at = amendment.decided_at or timezone.now()
    _send(
        statement.organization,
        entry,
        f"amendment-decided-{amendment.pk}",
        kind,
        body,
        decided_at,
    )


ANSWERS: dict[str, Callable[[Any, list[RemoteOrganization]], None]] = {
    "amendment.decided": send_decision,
    "statement.position_stated": send_position,
    "statement.signed": send_signature,
    "amendment.proposed": send_amendment,
}


def answers_channel(notice: Notice, organization_ids: Sequence[int]) -> None:
    """The channel of notices that sends what an organization here answers to a received
    statement (each notice's batches, or a dispatch run again, record each activity once)."""
    send = ANSWERS.get(notice.kind)
    if send is None or notice.source is None:
        return
    remotes = publishing.accepted_remotes(organization_ids)
    if remotes:
        send(notice.source, remotes)
