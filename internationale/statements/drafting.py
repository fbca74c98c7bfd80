"""Writes while a statement is drafted: changing its settings, withdrawing it, supporting it, and
commenting on its paragraphs. Each checks its rule, validates, writes in a transaction with its
audit entry, and tells the organizations concerned (core/notices.py). Starting a statement and
inviting to it are in services.py.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import reason_text, require
from internationale.organizations.models import Organization

from .models import ADOPTED_VISIBILITIES, Comment, Participant, Statement
from .services import _clean_deadlines

REASON_MAX = 5000
COMMENT_MAX = 5000
# The settings the initiator may change while drafting.
SETTINGS = (
    "title",
    "amendments_until",
    "positions_until",
    "min_agree",
    "min_supporters",
    "silence_stands_aside",
    "adopted_visibility",
)


def _invitee_ids(statement: Statement) -> QuerySet[Participant, int]:
    return Participant.objects.filter(statement=statement).values_list("organization_id", flat=True)


def _require_drafting(statement: Statement, message: str) -> None:
    if statement.status != Statement.Status.DRAFTING:
        raise ValidationError(message, code="not_drafting")


def _check_deadlines(current: Statement, changes: dict[str, Any], changed: list[str]) -> None:
    """The deadlines changed are checked as when starting; one left as it is may have passed
    (the amendments' while positions are awaited, say) without refusing the other changes."""
    moved = [name for name in ("amendments_until", "positions_until") if name in changed]
    if not moved:
        return
    try:
        _clean_deadlines(
            changes.get("amendments_until", current.amendments_until),
            changes.get("positions_until", current.positions_until),
        )
    except ValidationError as error:
        kept = {
            field: errors
            for field, errors in error.error_dict.items()
            if field in moved or errors[0].code == "positions_before_amendments"
        }
        if kept:
            raise ValidationError(kept) from None


def statement_change(*, actor: ActorLike, statement: Statement, **changes: Any) -> Statement:
    """Change the draft's settings (`SETTINGS`: title, deadlines, rules, visibility once adopted):
    for the initiator's speakers, while drafting only. Fields left out keep their value."""
    require(
        actor,
        "statements.change_statement",
        statement,
        _("Only an admin or secretary of the initiator can change the statement."),
    )
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not a setting: {sorted(unknown)}")
    with transaction.atomic():
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        _require_drafting(
            current,
            _("Positions are called, or the statement is adopted or withdrawn: its settings stay."),
        )
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()
        if changes.get("adopted_visibility") not in (
            None,
            *(value for value, _label in ADOPTED_VISIBILITIES),
        ):
            raise ValidationError(
                {
                    "adopted_visibility": ValidationError(
                        _("Choose participants, network or public."), code="invalid_choice"
                    )
                }
            )
        changed = [
            name for name in SETTINGS if name in changes and changes[name] != getattr(current, name)
        ]
        _check_deadlines(current, changes, changed)
        for name in changed:
            setattr(current, name, changes[name])
        current.full_clean(exclude=["current_version", "positions_version"])
        if not changed:
            return current
        current.save(update_fields=[*changed, "updated_at"])
        audit(
            actor=actor,
            action="statement.change",
            target=current,
            organization=current.organization,
            title=current.title,
            fields=changed,
        )
        notice_send(
            kind="statement.changed",
            source=current,
            organizations=_invitee_ids(current),
            params={"initiator": current.organization.name, "title": current.title},
            sender=current.organization,
        )
    return current


def statement_withdraw(*, actor: ActorLike, statement: Statement, reason: str = "") -> Statement:
    """Withdraw a statement not adopted: it is frozen, and the participants are told. For the
    initiator's speakers."""
    require(
        actor,
        "statements.change_statement",
        statement,
        _("Only an admin or secretary of the initiator can withdraw the statement."),
    )
    reason = reason_text(reason, REASON_MAX)
    with transaction.atomic():
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.is_frozen:
            raise ValidationError(
                _("This statement is adopted or withdrawn already."), code="statement_frozen"
            )
        current.status = Statement.Status.WITHDRAWN
        current.withdrawn_at = timezone.now()
        current.withdraw_reason = reason
        current.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
        audit(
            actor=actor,
            action="statement.withdraw",
            target=current,
            organization=current.organization,
            title=current.title,
        )
        notice_send(
            kind="statement.withdrawn",
            source=current,
            organizations=_invitee_ids(current),
            params={"initiator": current.organization.name, "title": current.title},
            summary=reason,
            sender=current.organization,
        )
    return current


def _participant_for(
    actor: ActorLike, statement: Statement, organization: Organization
) -> Participant:
    require(
        actor,
        "statements.support_statement",
        statement,
        _("Only an admin or secretary of an invited organization can support the statement."),
    )
    found = (
        Participant.objects.select_for_update()
        .filter(statement=statement, organization=organization)
        .first()
    )
    if found is None or not actor_speaks_for(actor, organization):
        raise ValidationError(
            {
                "organization": ValidationError(
                    _("Name an invited organization you speak for."), code="not_participant"
                )
            }
        )
    return found


def actor_speaks_for(actor: ActorLike, organization: Organization) -> bool:
    return role_in(actor, organization.pk) in SPEAKING_ROLES


def statement_support(
    *, actor: ActorLike, statement: Statement, organization: Organization
) -> Participant:
    """`organization`, invited, supports the draft being circulated for positions. Supporting
    again changes nothing. While drafting only."""
    with transaction.atomic():
        participant = _participant_for(actor, statement, organization)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        _require_drafting(current, _("Supporters gather while the statement is drafted only."))
        if participant.supported_at is not None:
            return participant
        participant.supported_at = timezone.now()
        participant.supported_by = person(actor)
        participant.save(update_fields=["supported_at", "supported_by"])
        audit(
            actor=actor,
            action="statement.support",
            target=current,
            organization=organization,
            title=current.title,
        )
    return participant


def statement_unsupport(
    *, actor: ActorLike, statement: Statement, organization: Organization
) -> Participant:
    """`organization` no longer supports the draft. While drafting only."""
    with transaction.atomic():
        participant = _participant_for(actor, statement, organization)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        _require_drafting(current, _("Supporters gather while the statement is drafted only."))
        if participant.supported_at is None:
            return participant
        participant.supported_at = None
        participant.supported_by = None
        participant.save(update_fields=["supported_at", "supported_by"])
        audit(
            actor=actor,
            action="statement.unsupport",
            target=current,
            organization=organization,
            title=current.title,
        )
    return participant


def supporters_count(statement: Statement) -> int:
    return Participant.objects.filter(statement=statement, supported_at__isnull=False).count()


def comment_add(
    *,
    actor: ActorLike,
    statement: Statement,
    organization: Organization,
    paragraph: int,
    text: str,
    submission_key: str | None = None,
) -> Comment:
    """A comment for `organization` (the initiator or an invited one the actor speaks for) on
    paragraph `paragraph` (from 1) of the current version. Refused on a frozen statement. The
    initiator is told (unless it comments itself)."""
    content = submitted(
        {"statement": statement.pk, "organization": organization.pk, "p": paragraph, "t": text}
    )
    require(
        actor,
        "statements.comment_statement",
        statement,
        _("Only an admin or secretary of a participant can comment."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the comment."), code="required")})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("A comment has at most %(max)s characters.") % {"max": COMMENT_MAX},
                    code="max_length",
                )
            }
        )
    participating = organization.pk == statement.organization_id or (
        Participant.objects.filter(statement=statement, organization=organization).exists()
    )
    if not participating or not actor_speaks_for(actor, organization):
        raise ValidationError(
            {
                "organization": ValidationError(
                    _("Name a participating organization you speak for."),
                    code="not_participant",
                )
            }
        )

    def create() -> Comment:
        with transaction.atomic():
            current = Statement.objects.select_for_update().get(pk=statement.pk)
            if current.is_frozen:
                raise ValidationError(
                    _("This statement is adopted or withdrawn: it takes no more comments."),
                    code="statement_frozen",
                )
            version = current.current_version
            count = len(version.paragraphs) if version else 0
            if version is None or not isinstance(paragraph, int) or not 1 <= paragraph <= count:
                raise ValidationError(
                    {
                        "paragraph": ValidationError(
                            _("The current version has no paragraph %(n)s.") % {"n": paragraph},
                            code="no_such_paragraph",
                        )
                    }
                )
            comment = Comment.objects.create(
                statement=current,
                version=version,
                paragraph=paragraph,
                organization=organization,
                author=person(actor),
                text=text,
            )
            audit(
                actor=actor,
                action="statement.comment",
                target=current,
                organization=organization,
                title=current.title,
                paragraph=paragraph,
            )
            if organization.pk != current.organization_id:
                notice_send(
                    kind="statement.commented",
                    source=current,
                    organizations=[current.organization_id],
                    params={
                        "organization": organization.name,
                        "title": current.title,
                        "paragraph": paragraph,
                    },
                    summary=text[:300],
                    sender=organization,
                )
            return comment

    created, _new = once(
        user=person(actor),
        scope="statements.comment_add",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Comment.objects.get(pk=pk),
    )
    return created
