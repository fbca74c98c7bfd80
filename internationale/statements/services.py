"""Writes on statements: starting one and inviting its participants. Each checks its rule,
validates, writes in a transaction with its audit entry, and tells the organizations concerned
through a notice (core/notices.py). Amendments and versions, positions and signatures, translations
and advice have their own modules beside this one.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.routing import SEND_FIELDS, Candidate, Criteria, route
from internationale.addressing.services import addressees_record, fanout_on_commit
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.services import require
from internationale.organizations.models import Organization
from internationale.organizations.reference import normalize_language
from internationale.translation.detection import check_language

from .models import Participant, Statement, Version

# At most this many paragraphs, and this long each: a statement is read and amended paragraph by
# paragraph, not a book.
MAX_PARAGRAPHS = 400
MAX_PARAGRAPH = 10_000
# A deadline further ahead than this is a typing error.
HORIZON = datetime.timedelta(days=2 * 366)


def clean_paragraphs(paragraphs: Sequence[str], field: str = "paragraphs") -> list[str]:
    """The paragraphs stripped, none empty, within the limits; ValidationError on `field`
    otherwise."""
    if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
        raise ValidationError(
            {field: ValidationError(_("Give the paragraphs as a list of texts."), code="invalid")}
        )
    cleaned = [p.strip() for p in paragraphs]
    if not cleaned or any(not p for p in cleaned):
        raise ValidationError(
            {
                field: ValidationError(
                    _("Every paragraph needs text, and a statement needs at least one."),
                    code="empty_paragraph",
                )
            }
        )
    if len(cleaned) > MAX_PARAGRAPHS:
        raise ValidationError(
            {
                field: ValidationError(
                    _("A statement has at most %(n)s paragraphs.") % {"n": MAX_PARAGRAPHS},
                    code="too_many_paragraphs",
                )
            }
        )
    if any(len(p) > MAX_PARAGRAPH for p in cleaned):
        raise ValidationError(
            {
                field: ValidationError(
                    _("A paragraph has at most %(n)s characters.") % {"n": MAX_PARAGRAPH},
                    code="paragraph_too_long",
                )
            }
        )
    return cleaned


def split_paragraphs(text: str) -> list[str]:
    """A text as paragraphs: separated by blank lines, as Markdown writes them."""
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def _clean_deadlines(
    amendments_until: datetime.datetime, positions_until: datetime.datetime
) -> None:
    now = timezone.now()
    errors = {}
    for name, when in (
        ("amendments_until", amendments_until),
        ("positions_until", positions_until),
    ):
        if timezone.is_naive(when):
            raise TypeError("deadlines are aware datetimes")
        if when <= now:
            errors[name] = ValidationError(_("The deadline must be in the future."), code="past")
        elif when > now + HORIZON:
            errors[name] = ValidationError(
                _("The deadline is more than two years ahead: check the year."), code="too_far"
            )
    if not errors and positions_until < amendments_until:
        errors["positions_until"] = ValidationError(
            _("The deadline for positions cannot come before the one for amendments."),
            code="positions_before_amendments",
        )
    if errors:
        raise ValidationError(errors)


def _tell_invited(statement: Statement, organization_ids: Sequence[int]) -> None:
    """After commit: the invitations delivered in batches (tasks.deliver_invitations)."""
    from .tasks import deliver_invitations

    fanout_on_commit(
        task=deliver_invitations, target_id=statement.pk, organization_ids=organization_ids
    )


def statement_create(
    *,
    actor: ActorLike,
    organization: Organization,
    title: str,
    language: str,
    paragraphs: Sequence[str],
    amendments_until: datetime.datetime,
    positions_until: datetime.datetime,
    adopted_visibility: str = "public",
    min_agree: int = 2,
    min_supporters: int = 0,
    silence_stands_aside: bool = False,
    criteria: Criteria | None = None,
    language_confirmed: bool = False,
    submission_key: str | None = None,
) -> Statement:
    """A statement initiated by `organization`, its text version 1, and the organizations the
    criteria choose invited to take part (each with its reasons). A drafting language that
    detection contradicts in the text is refused until the author confirms it
    (`language_confirmed`, translation/detection.py)."""
    content = submitted(locals())
    require(
        actor,
        "statements.initiate_statement",
        organization,
        _("Only an admin or secretary of a verified organization can start a statement."),
    )
    try:
        tag = normalize_language(language or "")
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Give the drafting language as a language tag, such as en or pt-BR."),
                    code="invalid_language",
                )
            }
        ) from None
    cleaned = clean_paragraphs(paragraphs)
    check_language([title or "", *cleaned], tag, confirmed=language_confirmed)
    _clean_deadlines(amendments_until, positions_until)
    statement = Statement(
        organization=organization,
        created_by=person(actor),
        title=(title or "").strip(),
        language=tag,
        adopted_visibility=adopted_visibility,
        amendments_until=amendments_until,
        positions_until=positions_until,
        min_agree=min_agree,
        min_supporters=min_supporters,
        silence_stands_aside=silence_stands_aside,
    )
    statement.full_clean(exclude=["current_version", "positions_version"])
    candidates = (
        route(statement.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
        if criteria is not None
        else []
    )

    @transaction.atomic
    def create() -> Statement:
        statement.save()
        version = Version.objects.create(
            statement=statement,
            number=1,
            title=statement.title,
            paragraphs=cleaned,
            created_by=person(actor),
        )
        statement.current_version = version
        statement.save(update_fields=["current_version"])
        audit(
            actor=actor,
            action="statement.create",
            target=statement,
            organization=organization,
            title=statement.title,
        )
        if candidates:
            _record_invited(actor, statement, candidates)
        return statement

    created, _new = once(
        user=person(actor),
        scope="statements.statement_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Statement.objects.get(pk=pk),
    )
    return created


def _record_invited(
    actor: ActorLike, statement: Statement, candidates: Sequence[Candidate]
) -> list[int]:
    addressees_record(
        model=Participant, target=statement, candidates=candidates, ring=0, on_conflict="ignore"
    )
    ids = [c.organization_id for c in candidates]
    audit(
        actor=actor,
        action="statement.invite",
        target=statement,
        organization=statement.organization,
        title=statement.title,
        invited=len(ids),
    )
    _tell_invited(statement, ids)
    return ids


def statement_invite(*, actor: ActorLike, statement: Statement, criteria: Criteria) -> list[int]:
    """Invite the organizations the criteria choose to take part (as appeals are addressed:
    addressing/). Those already taking part keep their place; returns the ids of the
    organizations newly invited, or ValidationError when the criteria choose none."""
    require(
        actor,
        "statements.invite_to_statement",
        statement,
        _("Only an admin or secretary of the initiator can invite to the statement."),
    )
    if statement.is_frozen:
        raise ValidationError(
            _("This statement is adopted or withdrawn: nobody more can be invited."),
            code="statement_frozen",
        )
    candidates = route(statement.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
    with transaction.atomic():
        already = set(
            Participant.objects.filter(
                statement=statement,
                organization_id__in=[c.organization_id for c in candidates],
            ).values_list("organization_id", flat=True)
        )
        new = [c for c in candidates if c.organization_id not in already]
        if not new:
            raise ValidationError(
                _("These criteria choose no organization that does not take part already."),
                code="no_invitees",
            )
        return _record_invited(actor, statement, new)
