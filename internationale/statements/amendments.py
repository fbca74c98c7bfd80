"""Amendments and versions: participants propose changes to one paragraph of the current version;
the initiator accepts, rejects or merges them by hand, or revises the whole text. Every new
version, whichever way it comes, is made by `new_version`, under a lock on the statement, so that
two decisions cannot both make the same version.

Amendments to the same paragraph of the same version compete: when one is accepted or merged,
the others need rebasing (their proposer restates them against the new version). Open amendments
to other paragraphs are carried to the new version, their paragraph renumbered if a paragraph was
inserted or deleted before them, and stay decidable.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import Amendment, Participant, Statement, Version
from .services import clean_paragraphs

MAX_REASON = 5000
DECISIONS = ("accept", "reject", "merge")
# What an amendment still waiting for the initiator is.
PENDING = (Amendment.Status.OPEN, Amendment.Status.NEEDS_REBASE)


def _error(field: str | None, message: str, code: str) -> ValidationError:
    if field is None:
        return ValidationError(message, code=code)
    return ValidationError({field: ValidationError(message, code=code)})


def _locked(statement: Statement) -> Statement:
    """The statement, locked until the transaction ends. Its current version is read after the
    lock, by a query of its own: joined to the locking one, a version another transaction made
    while this one waited would not be seen (PostgreSQL re-reads only the locked row)."""
    return Statement.objects.select_for_update().get(pk=statement.pk)


def _participant_ids(statement: Statement) -> list[int]:
    return list(
        Participant.objects.filter(statement=statement).values_list("organization_id", flat=True)
    )


def _refuse_if_frozen(statement: Statement) -> None:
    if statement.is_frozen:
        raise _error(
            None,
            _("This statement is adopted or withdrawn: its text can no longer change."),
            "statement_frozen",
        )


def _refuse_if_closed(statement: Statement) -> None:
    """Amendments are proposed while the statement is drafted, until its deadline."""
    _refuse_if_frozen(statement)
    if statement.status == Statement.Status.POSITIONS:
        raise _error(
            None,
            _("Positions are called on this statement: amendments are closed."),
            "amendments_closed",
        )
    if timezone.now() > statement.amendments_until:
        raise _error(
            None,
            _("The deadline for amendments has passed."),
            "amendments_past_deadline",
        )


def _clean_reason(reason: str, field: str = "reason") -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise _error(field, _("Give a reason."), "reason_required")
    if len(cleaned) > MAX_REASON:
        raise _error(
            field,
            _("A reason has at most %(n)s characters.") % {"n": MAX_REASON},
            "reason_too_long",
        )
    return cleaned


def _clean_target(version: Version, kind: str, paragraph: int, text: str) -> tuple[int, str]:
    """The paragraph number and text of an amendment to `version`, checked."""
    if kind not in Amendment.Kind.values:
        raise _error("kind", _("Choose replace, insert after or delete."), "invalid_kind")
    count = len(version.paragraphs)
    lowest = 0 if kind == Amendment.Kind.INSERT_AFTER else 1
    if not isinstance(paragraph, int) or isinstance(paragraph, bool):
        raise _error("paragraph", _("Give the paragraph's number."), "invalid_paragraph")
    if not lowest <= paragraph <= count:
        raise _error(
            "paragraph",
            _("Version %(version)s has no paragraph %(paragraph)s (it has %(count)s).")
            % {"version": version.number, "paragraph": paragraph, "count": count},
            "no_such_paragraph",
        )
    if kind == Amendment.Kind.DELETE:
        if count == 1:
            raise _error(
                "kind",
                _("The only paragraph of a statement cannot be deleted."),
                "last_paragraph",
            )
        return paragraph, ""
    return paragraph, clean_paragraphs([text if isinstance(text, str) else ""], field="text")[0]


def _speaks_for(actor: ActorLike, organization_id: int, message: str) -> None:
    if role_in(actor, organization_id) not in SPEAKING_ROLES:
        raise PermissionDenied(message)


def _version_numbered(statement: Statement, number: int) -> Version:
    current = statement.current_version
    assert current is not None
    if number != current.number:
        raise _error(
            "version",
            _("This amendment is based on an outdated version: version %(current)s is current.")
            % {"current": current.number},
            "outdated_version",
        )
    return current


# New versions ------------------------------------------------------------------------------------


def new_version(
    statement: Statement,
    paragraphs: Sequence[str],
    note: str,
    actor: ActorLike,
    amendment: Amendment | None = None,
) -> Version:
    """The statement's next version, made current. Call inside a transaction holding the lock on
    the statement (`_locked`). If positions were called, the statement is drafted again: the
    positions stated on the earlier version stay as its history, and the initiator calls them
    again on the new one. Refused once the statement is adopted or withdrawn."""
    _refuse_if_frozen(statement)
    latest = statement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = Version.objects.create(
        statement=statement,
        number=latest + 1,
        title=statement.title,
        paragraphs=list(paragraphs),
        note=note,
        amendment=amendment,
        created_by=person(actor),
    )
    statement.current_version = version
    fields = ["current_version", "updated_at"]
    if statement.status == Statement.Status.POSITIONS:
        statement.status = Statement.Status.DRAFTING
        fields.append("status")
    statement.save(update_fields=fields)
    audit(
        actor=actor,
        action="statement.version",
        target=statement,
        organization=statement.organization,
        title=statement.title,
        number=version.number,
        note=note[:200],
    )
    notice_send(
        kind="statement.version",
        source=statement,
        organizations=_participant_ids(statement),
        params={"title": statement.title, "number": version.number},
        sender=statement.organization_id,
    )
    return version


def _apply(paragraphs: list[str], kind: str, number: int, text: str) -> list[str]:
    result = list(paragraphs)
    if kind == Amendment.Kind.REPLACE:
        result[number - 1] = text
    elif kind == Amendment.Kind.INSERT_AFTER:
        result.insert(number, text)
    else:
        del result[number - 1]
    return result


def _renumbered(kind: str, changed: int, other: Amendment) -> int:
    """The paragraph number of `other`, an amendment to another paragraph, after `kind` was
    applied at paragraph `changed`."""
    number = other.paragraph
    if kind == Amendment.Kind.INSERT_AFTER and number > changed:
        return number + 1
    if kind == Amendment.Kind.DELETE and number > changed:
        return number - 1
    return number


# Proposing ---------------------------------------------------------------------------------------


def amendment_propose(
    *,
    actor: ActorLike,
    statement: Statement,
    organization: Organization,
    version: int,
    paragraph: int,
    kind: str,
    text: str = "",
    reason: str,
    submission_key: str | None = None,
) -> Amendment:
    """An amendment by `organization`, an invited participant the actor speaks for, to one
    paragraph of the current version (`version` is its number: an outdated one is refused).
    Its initiator is told."""
    content = submitted(locals())
    require(
        actor,
        "statements.propose_amendment",
        statement,
        _("Only an admin or secretary of an invited organization can propose amendments."),
    )
    _speaks_for(
        actor,
        organization.pk,
        _("Only an admin or secretary of this organization can propose amendments for it."),
    )
    if not Participant.objects.filter(statement=statement, organization=organization).exists():
        raise _error(
            "organization",
            _("This organization does not take part in the statement."),
            "not_a_participant",
        )
    cleaned_reason = _clean_reason(reason)

    @transaction.atomic
    def create() -> Amendment:
        locked = _locked(statement)
        _refuse_if_closed(locked)
        base = _version_numbered(locked, version)
        number, cleaned_text = _clean_target(base, kind, paragraph, text)
        amendment = Amendment.objects.create(
            statement=locked,
            version=base,
            paragraph=number,
            kind=kind,
            text=cleaned_text,
            reason=cleaned_reason,
            organization=organization,
            created_by=person(actor),
        )
        audit(
            actor=actor,
            action="amendment.propose",
            target=amendment,
            organization=organization,
            title=locked.title,
            paragraph=number,
            version=base.number,
        )
        notice_send(
            kind="amendment.proposed",
            source=amendment,
            organizations=[locked.organization_id],
            params={"organization": organization.name, "title": locked.title, "paragraph": number},
            sender=organization.pk,
        )
        return amendment

    amendment, _new = once(
        user=person(actor),
        scope="statements.amendment_propose",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Amendment.objects.get(pk=pk),
    )
    return amendment


# Deciding ----------------------------------------------------------------------------------------


def competing(amendment: Amendment) -> QuerySet[Amendment]:
    """The other open amendments to the same paragraph of the same version."""
    return Amendment.objects.filter(
        statement_id=amendment.statement_id,
        version_id=amendment.version_id,
        paragraph=amendment.paragraph,
        status=Amendment.Status.OPEN,
    ).exclude(pk=amendment.pk)


def amendment_decide(
    *,
    actor: ActorLike,
    amendment: Amendment,
    decision: str,
    reason: str = "",
    text: str = "",
) -> Amendment:
    """The initiator's decision on an open amendment: accept it, reject it (with a reason), or
    merge it by hand (`text`: the paragraph as the initiator writes it). Accepting or merging
    makes the next version; competing amendments then need rebasing, and the other open ones are
    carried to the new version. The proposer is told."""
    statement = amendment.statement
    require(
        actor,
        "statements.decide_amendment",
        statement,
        _("Only an admin or secretary of the initiator can decide on amendments."),
    )
    if decision not in DECISIONS:
        raise _error("decision", _("Choose accept, reject or merge."), "invalid_decision")
    decision_reason = _clean_reason(reason) if decision == "reject" else (reason or "").strip()
    if len(decision_reason) > MAX_REASON:
        decision_reason = _clean_reason(decision_reason)
    merged = (
        clean_paragraphs([text if isinstance(text, str) else ""], field="text")[0]
        if (decision == "merge")
        else ""
    )
    with transaction.atomic():
        locked = _locked(statement)
        _refuse_if_frozen(locked)
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if current.status != Amendment.Status.OPEN:
            raise _error(
                None,
                _("This amendment is no longer open: it is %(status)s.")
                % {"status": current.get_status_display().lower()},
                "not_open",
            )
        now = timezone.now()
        current.decided_at = now
        current.decided_by = person(actor)
        current.decision_reason = decision_reason
        if decision == "reject":
            current.status = Amendment.Status.REJECTED
            current.save()
        else:
            _make_version(actor, locked, current, decision, merged)
        amendment_decided(actor, locked, current)
    return current


def amendment_decided(actor: ActorLike, statement: Statement, amendment: Amendment) -> None:
    """The decision on `amendment` (of `statement`, decided by `actor`: its initiator here, or
    the initiator's server for a statement received) audited and told to its proposer."""
    audit(
        actor=actor,
        action="amendment.decide",
        target=amendment,
        organization=statement.organization,
        title=statement.title,
        decision=amendment.status,
        paragraph=amendment.paragraph,
    )
    notice_send(
        kind="amendment.decided",
        source=amendment,
        organizations=[amendment.organization_id],
        params={"title": statement.title, "decision": amendment.status},
        sender=statement.organization_id,
    )


def _make_version(
    actor: ActorLike, statement: Statement, amendment: Amendment, decision: str, merged: str
) -> None:
    base = statement.current_version
    assert base is not None
    if amendment.version_id != base.pk:
        # Carried amendments always point at the current version; this one was left behind.
        raise _error(
            None,
            _("This amendment is based on an outdated version: version %(current)s is current.")
            % {"current": base.number},
            "outdated_version",
        )
    kind = amendment.kind
    text = amendment.text
    if decision == "merge":
        # Merging a deletion by hand keeps the paragraph, in the initiator's words.
        kind = Amendment.Kind.REPLACE if kind == Amendment.Kind.DELETE else kind
        text = merged
    paragraphs = _apply(list(base.paragraphs), kind, amendment.paragraph, text)
    if not paragraphs:
        raise _error(None, _("A statement needs at least one paragraph."), "last_paragraph")
    if decision == "merge":
        amendment.status = Amendment.Status.MERGED
        note = _("Amendment %(n)s merged by hand") % {"n": amendment.pk}
    else:
        amendment.status = Amendment.Status.ACCEPTED
        note = _("Amendment %(n)s accepted") % {"n": amendment.pk}
    rivals = list(competing(amendment).select_for_update())
    others = list(
        Amendment.objects.select_for_update()
        .filter(statement=statement, version=base, status=Amendment.Status.OPEN)
        .exclude(pk__in=[amendment.pk, *[r.pk for r in rivals]])
    )
    version = new_version(statement, paragraphs, note, actor, amendment=amendment)
    amendment.result_version = version
    amendment.save()
    for rival in rivals:
        rival.status = Amendment.Status.NEEDS_REBASE
        rival.save(update_fields=["status", "updated_at"])
    for other in others:
        other.paragraph = _renumbered(kind, amendment.paragraph, other)
        other.version = version
        other.save(update_fields=["paragraph", "version", "updated_at"])
    if rivals:
        notice_send(
            kind="amendment.needs_rebase",
            source=statement,
            organizations=[r.organization_id for r in rivals],
            params={"title": statement.title, "number": version.number},
            sender=statement.organization_id,
        )


# The proposer's own ------------------------------------------------------------------------------


def amendment_rebase(
    *,
    actor: ActorLike,
    amendment: Amendment,
    paragraph: int,
    text: str = "",
    kind: str | None = None,
    reason: str | None = None,
) -> Amendment:
    """Restate an amendment that needs rebasing against the current version (its paragraph there,
    its text, and if given a new kind and reason): it is open again."""
    _speaks_for(
        actor,
        amendment.organization_id,
        _("Only an admin or secretary of the proposing organization can rebase its amendment."),
    )
    new_kind = kind or amendment.kind
    new_reason = _clean_reason(reason) if reason is not None else amendment.reason
    with transaction.atomic():
        locked = _locked(amendment.statement)
        _refuse_if_closed(locked)
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if current.status != Amendment.Status.NEEDS_REBASE:
            raise _error(
                None, _("Only an amendment that needs rebasing can be rebased."), "not_rebasable"
            )
        base = locked.current_version
        assert base is not None
        number, cleaned_text = _clean_target(base, new_kind, paragraph, text)
        current.version = base
        current.paragraph = number
        current.kind = new_kind
        current.text = cleaned_text
        current.reason = new_reason
        current.status = Amendment.Status.OPEN
        current.save()
        audit(
            actor=actor,
            action="amendment.rebase",
            target=current,
            organization=current.organization,
            title=locked.title,
            version=base.number,
            paragraph=number,
        )
        notice_send(
            kind="amendment.proposed",
            source=current,
            organizations=[locked.organization_id],
            params={
                "organization": current.organization.name,
                "title": locked.title,
                "paragraph": number,
            },
            sender=current.organization_id,
        )
    return current


def amendment_withdraw(*, actor: ActorLike, amendment: Amendment) -> Amendment:
    """The proposer withdraws an amendment still waiting for a decision."""
    _speaks_for(
        actor,
        amendment.organization_id,
        _("Only an admin or secretary of the proposing organization can withdraw its amendment."),
    )
    with transaction.atomic():
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if current.status not in PENDING:
            raise _error(
                None,
                _("This amendment is already decided or withdrawn."),
                "not_open",
            )
        current.status = Amendment.Status.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action="amendment.withdraw",
            target=current,
            organization=current.organization,
            title=amendment.statement.title,
        )
    return current


# Revising ----------------------------------------------------------------------------------------


def statement_revise(
    *,
    actor: ActorLike,
    statement: Statement,
    paragraphs: Sequence[str],
    note: str,
    title: str = "",
) -> Version:
    """The initiator rewrites the whole text (after a block, for instance): the next version,
    with a note saying why, and its own title when `title` is given (the statement's until
    then). Open amendments need rebasing against it."""
    require(
        actor,
        "statements.change_statement",
        statement,
        _("Only an admin or secretary of the initiator can revise the statement."),
    )
    cleaned = clean_paragraphs(paragraphs)
    cleaned_note = _clean_reason(note, field="note")
    cleaned_title = (title or "").strip()
    if len(cleaned_title) > Statement._meta.get_field("title").max_length:  # type: ignore[operator]
        raise _error("title", _("The title is too long."), "too_long")
    with transaction.atomic():
        locked = _locked(statement)
        _refuse_if_frozen(locked)
        if cleaned_title and cleaned_title != locked.title:
            locked.title = cleaned_title
            locked.save(update_fields=["title", "updated_at"])
        current = locked.current_version
        if current is not None and list(current.paragraphs) == cleaned:
            raise _error(
                "paragraphs",
                _("The text is the same as version %(n)s's.") % {"n": current.number},
                "unchanged",
            )
        version = new_version(locked, cleaned, cleaned_note, actor)
        waiting = list(
            Amendment.objects.filter(statement=locked, status=Amendment.Status.OPEN).values_list(
                "organization_id", flat=True
            )
        )
        Amendment.objects.filter(statement=locked, status=Amendment.Status.OPEN).update(
            status=Amendment.Status.NEEDS_REBASE, updated_at=timezone.now()
        )
        if waiting:
            notice_send(
                kind="amendment.needs_rebase",
                source=locked,
                organizations=waiting,
                params={"title": locked.title, "number": version.number},
                sender=locked.organization_id,
            )
    statement.refresh_from_db()
    return version


# Reads -------------------------------------------------------------------------------------------


def version_list(*, viewer: ActorLike, statement: Statement) -> QuerySet[Version]:
    """The versions of the statement the viewer may read (participants: all), the latest first."""
    return (
        Version.objects.visible_to(viewer)
        .filter(statement=statement)
        .select_related("created_by", "amendment__organization")
        .order_by("-number")
    )


def amendment_list(*, viewer: ActorLike, statement: Statement) -> QuerySet[Amendment]:
    """The amendments to the statement the viewer may read (its participants), by paragraph."""
    return (
        Amendment.objects.visible_to(viewer)
        .filter(statement=statement)
        .select_related("organization", "version", "result_version")
        # The versions' numbers, not their whole text with every amendment.
        .defer("version__paragraphs", "result_version__paragraphs")
        .order_by("version__number", "paragraph", "id")
    )


def amendment_get(*, viewer: ActorLike, pk: int) -> Amendment:
    """An amendment the viewer may read; 404 otherwise, as if missing."""
    found = (
        Amendment.objects.visible_to(viewer)
        .select_related("statement__organization", "statement__current_version", "version")
        .select_related("organization", "result_version")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def by_paragraph(
    amendments: Sequence[Amendment],
) -> list[tuple[int, int, list[Amendment], bool]]:
    """The amendments grouped by (version number, paragraph), in order, each group with whether
    it holds competing ones: two or more still open."""
    groups: dict[tuple[int, int], list[Amendment]] = {}
    for amendment in amendments:
        groups.setdefault((amendment.version.number, amendment.paragraph), []).append(amendment)
    return [
        (v, p, items, sum(a.status == Amendment.Status.OPEN for a in items) > 1)
        for (v, p), items in groups.items()
    ]


def proposing_organizations(actor: ActorLike, statement: Statement) -> list[Organization]:
    """The invited organizations the actor speaks for: those it may propose amendments for."""
    ids = [
        org
        for org in Participant.objects.filter(statement=statement).values_list(
            "organization_id", flat=True
        )
        if role_in(actor, org) in SPEAKING_ROLES
    ]
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))
