"""Positions, consensus, adoption and signatures.

The initiator calls positions on the current version (once enough participants support the
draft); each participant (the initiator included) states its position on that version, and may
change it until the deadline. A statement is adopted when every participant has answered (or the
deadline has passed and the statement's rule says silence counts as standing aside), nobody
blocks, and at least `min_agree` agree. Adoption freezes it: the version called becomes the
adopted one, the statement takes the visibility its initiator chose, and the organizations that
agreed become its signatories. Afterwards other verified organizations may add their signature,
which the initiator may decline.

Every write takes the statement's row first (select_for_update): positions, adoption and
signatures on one statement happen one after the other, and the unique constraints on positions
and signatures keep one row per organization whatever happens.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from django_tasks import task

from internationale.core.actors import ActorLike, System, is_system, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.core.text import sort_key
from internationale.core.visibility import Access
from internationale.organizations.models import Organization

from . import public_page, translations
from .models import Participant, Position, Signature, Statement, Version
from .services import HORIZON

MAX_TEXT = 10_000
AGREEING = (Position.Stance.AGREE, Position.Stance.RESERVATIONS)


def _locked(statement: Statement) -> Statement:
    """The statement's row, held until the transaction ends."""
    return (
        Statement.objects.select_for_update(of=("self",))
        .select_related("organization", "positions_version", "current_version")
        .get(pk=statement.pk)
    )


def participants_of(statement: Statement) -> list[Organization]:
    """The organizations taking part: the initiator first, then the invited, by name."""
    invited = Organization.objects.filter(
        pk__in=Participant.objects.filter(statement=statement).values("organization_id")
    ).order_by("name")
    return [statement.organization, *invited]


def _speaks_for(actor: ActorLike, organization: Organization) -> bool:
    return is_system(actor) or role_in(actor, organization) in SPEAKING_ROLES


def _frozen(statement: Statement) -> None:
    if statement.is_frozen:
        raise ValidationError(
            _("This statement is adopted or withdrawn: it no longer changes."),
            code="statement_frozen",
        )


# Calling positions -------------------------------------------------------------------------------


def supporters_count(statement: Statement) -> int:
    return Participant.objects.filter(statement=statement, supported_at__isnull=False).count()


def positions_call(
    *,
    actor: ActorLike,
    statement: Statement,
    positions_until: datetime.datetime | None = None,
) -> Statement:
    """Call positions on the current version: every participant is asked to state its own.
    Needs `min_supporters` supporters; `positions_until`, if given, is the new deadline. Called
    again on the same version, it only moves the deadline (and asks again)."""
    require(
        actor,
        "statements.call_positions",
        statement,
        _("Only an admin or secretary of the initiator can call positions."),
    )
    now = timezone.now()
    if positions_until is not None:
        if timezone.is_naive(positions_until):
            raise TypeError("deadlines are aware datetimes")
        if positions_until <= now:
            raise ValidationError(
                {
                    "positions_until": ValidationError(
                        _("The deadline must be in the future."), code="past"
                    )
                }
            )
        if positions_until > now + HORIZON:
            raise ValidationError(
                {
                    "positions_until": ValidationError(
                        _("The deadline is more than two years ahead: check the year."),
                        code="too_far",
                    )
                }
            )
    with transaction.atomic():
        locked = _locked(statement)
        _frozen(locked)
        if locked.current_version_id is None:
            raise ValidationError(_("This statement has no text yet."), code="no_version")
        supporters = supporters_count(locked)
        missing = locked.min_supporters - supporters
        if missing > 0:
            raise ValidationError(
                ngettext(
                    "Positions can be called once %(needed)s organizations support the draft: "
                    "%(missing)s more is needed.",
                    "Positions can be called once %(needed)s organizations support the draft: "
                    "%(missing)s more are needed.",
                    missing,
                )
                % {"needed": locked.min_supporters, "missing": missing},
                code="too_few_supporters",
            )
        deadline = positions_until or locked.positions_until
        if deadline <= now:
            raise ValidationError(
                {
                    "positions_until": ValidationError(
                        _("The deadline for positions has passed: give a new one."),
                        code="past",
                    )
                }
            )
        locked.status = Statement.Status.POSITIONS
        locked.positions_version = locked.current_version
        locked.positions_until = deadline
        if locked.amendments_until > deadline:
            # Positions close the amendments on this version no later than they close.
            locked.amendments_until = deadline
        locked.save(
            update_fields=[
                "status",
                "positions_version",
                "positions_until",
                "amendments_until",
                "updated_at",
            ]
        )
        version = locked.current_version
        assert version is not None
        audit(
            actor=actor,
            action="statement.positions_call",
            target=locked,
            organization=locked.organization,
            title=locked.title,
            version=version.number,
        )
        # About the version: each version called reaches the inboxes again (an inbox entry is
        # unique per organization, source and kind).
        notice_send(
            kind="statement.positions_called",
            source=version,
            organizations=[o.pk for o in participants_of(locked)[1:]],
            params={"title": locked.title, "version": version.number},
            deadline=deadline,
            sender=locked.organization_id,
        )
    return locked


# Stating a position ------------------------------------------------------------------------------


def _clean_position(stance: str, text: str) -> str:
    """The position's text, stripped; ValidationError when the stance needs one it lacks."""
    if stance not in Position.Stance.values:
        raise ValidationError(
            {"stance": ValidationError(_("Choose a position."), code="invalid_choice")}
        )
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("At most %(n)s characters.") % {"n": MAX_TEXT}, code="too_long"
                )
            }
        )
    if stance == Position.Stance.BLOCK and not text:
        raise ValidationError(
            {"text": ValidationError(_("A block needs a reason."), code="reason_required")}
        )
    if stance == Position.Stance.RESERVATIONS and not text:
        raise ValidationError(
            {"text": ValidationError(_("Write your reservations."), code="reservations_required")}
        )
    if stance == Position.Stance.AGREE:
        text = ""
    return text


def _called(statement: Statement, version: int | None) -> Version:
    """The version positions are called on, if the statement still takes positions on it."""
    _frozen(statement)
    called = statement.positions_version
    if statement.status != Statement.Status.POSITIONS or called is None:
        raise ValidationError(
            _("Positions are not called on this statement."), code="positions_not_called"
        )
    if version is not None and version != called.number:
        raise ValidationError(
            {
                "version": ValidationError(
                    _(
                        "Version %(read)s is outdated: positions are called on version "
                        "%(called)s. Read it and state your position again."
                    )
                    % {"read": version, "called": called.number},
                    code="outdated",
                )
            }
        )
    if timezone.now() > statement.positions_until:
        raise ValidationError(_("The deadline for positions has passed."), code="deadline_passed")
    return called


def position_state(
    *,
    actor: ActorLike,
    statement: Statement,
    organization: Organization,
    stance: str,
    text: str = "",
    publish_reservations: bool = False,
    version: int | None = None,
) -> Position:
    """State (or change, until the deadline) `organization`'s position on the version positions
    are called on. `version`: the number the form or client read; another one is outdated.
    Adopts the statement if this position completes the consensus."""
    require(
        actor,
        "statements.state_position",
        statement,
        _("Only an admin or secretary of a participating organization can state its position."),
    )
    if not _speaks_for(actor, organization):
        raise PermissionDenied(_("You do not speak for this organization."))
    text = _clean_position(stance, text)
    with transaction.atomic():
        locked = _locked(statement)
        if organization.pk not in {o.pk for o in participants_of(locked)}:
            raise ValidationError(
                {
                    "organization": ValidationError(
                        _("This organization does not take part in the statement."),
                        code="not_participant",
                    )
                }
            )
        called = _called(locked, version)
        fields = {
            "statement": locked,
            "stance": stance,
            "text": text,
            "publish_reservations": bool(publish_reservations)
            and stance == Position.Stance.RESERVATIONS,
            "stated_by": person(actor),
        }
        position = (
            Position.objects.select_for_update()
            .filter(version=called, organization=organization)
            .first()
        )
        changed = position is not None
        if position is None:
            try:
                with transaction.atomic():
                    position = Position.objects.create(
                        version=called, organization=organization, **fields
                    )
            except IntegrityError:
                position = Position.objects.select_for_update().get(
                    version=called, organization=organization
                )
                changed = True
        if changed:
            for name, value in fields.items():
                setattr(position, name, value)
            position.save()
        audit(
            actor=actor,
            action="statement.position",
            target=locked,
            organization=organization,
            title=locked.title,
            stance=stance,
            version=called.number,
        )
        notice_send(
            kind="statement.position_stated",
            source=position,
            organizations=[o.pk for o in participants_of(locked) if o.pk != organization.pk],
            params={
                "organization": organization.name,
                "title": locked.title,
                "stance": stance,
            },
            sender=organization.pk,
        )
        adopt_if_reached(locked)
    return position


# Consensus ---------------------------------------------------------------------------------------


@dataclass
class Consensus:
    """Who answered what on the version called, who is silent, and what adoption needs."""

    version: Version | None
    participants: list[Organization]
    positions: list[Position] = field(default_factory=list)
    silent: list[Organization] = field(default_factory=list)
    agreements: int = 0
    blocks: list[Position] = field(default_factory=list)
    deadline_passed: bool = False
    # What adoption still needs, worded for the page ([] once it would follow).
    missing: list[str] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return self.version is not None and not self.missing


def consensus_of(statement: Statement, now: datetime.datetime | None = None) -> Consensus:
    """The positions on the version called, and whether adoption would follow."""
    participants = participants_of(statement)
    version = statement.positions_version
    if version is None or statement.status not in (
        Statement.Status.POSITIONS,
        Statement.Status.ADOPTED,
    ):
        return Consensus(
            version=None,
            participants=participants,
            missing=[_("Positions are not called yet.")],
        )
    now = now or timezone.now()
    positions = list(
        Position.objects.filter(version=version).select_related("organization", "stated_by")
    )
    for position in positions:  # all on the one version read already: not read again each
        position.version = version
    by_org = {p.organization_id: p for p in positions}
    ordered = [by_org[o.pk] for o in participants if o.pk in by_org]
    silent = [o for o in participants if o.pk not in by_org]
    result = Consensus(
        version=version,
        participants=participants,
        positions=ordered,
        silent=silent,
        agreements=sum(p.stance in AGREEING for p in ordered),
        blocks=[p for p in ordered if p.stance == Position.Stance.BLOCK],
        deadline_passed=now > statement.positions_until,
    )
    if statement.status == Statement.Status.ADOPTED:
        return result
    if silent and not (result.deadline_passed and statement.silence_stands_aside):
        result.missing.append(
            ngettext(
                "%(n)s participant has not answered yet.",
                "%(n)s participants have not answered yet.",
                len(silent),
            )
            % {"n": len(silent)}
        )
    if result.blocks:
        result.missing.append(
            ngettext(
                "%(n)s participant blocks.",
                "%(n)s participants block.",
                len(result.blocks),
            )
            % {"n": len(result.blocks)}
        )
    if result.agreements < statement.min_agree:
        short = statement.min_agree - result.agreements
        result.missing.append(
            ngettext(
                "%(needed)s agreements are needed: %(n)s more.",
                "%(needed)s agreements are needed: %(n)s more.",
                short,
            )
            % {"needed": statement.min_agree, "n": short}
        )
    return result


def adopt_if_reached(statement: Statement, actor: "ActorLike | None" = None) -> bool:
    """Adopt the statement if the consensus is reached: frozen, the version called adopted, the
    visibility chosen for adoption, a signature for each organization that agreed. Returns
    whether it adopted it now."""
    with transaction.atomic():
        locked = _locked(statement)
        if locked.status != Statement.Status.POSITIONS:
            return False
        consensus = consensus_of(locked)
        if not consensus.reached:
            return False
        version = consensus.version
        assert version is not None
        now = timezone.now()
        locked.status = Statement.Status.ADOPTED
        locked.adopted_at = now
        locked.visibility = locked.adopted_visibility
        locked.current_version = version
        locked.save(
            update_fields=["status", "adopted_at", "visibility", "current_version", "updated_at"]
        )
        Version.objects.filter(pk=version.pk).update(is_adopted=True)
        Signature.objects.bulk_create(
            [
                Signature(
                    statement=locked,
                    organization=p.organization,
                    source=Signature.Source.ADOPTION,
                    reservations=p.text if p.publish_reservations else "",
                    country=str(p.organization.country or ""),
                    signed_by=p.stated_by,
                )
                for p in consensus.positions
                if p.stance in AGREEING
            ],
            ignore_conflicts=True,
        )
        # The version adopted and the signatures are written without signals: the public page
        # (public_page.py) changes with them.
        public_page.pages.changed(locked.pk)
        audit(
            actor=actor or System(reason="consensus reached"),
            action="statement.adopt",
            target=locked,
            organization=locked.organization,
            title=locked.title,
            version=version.number,
            agreements=consensus.agreements,
        )
        notice_send(
            kind="statement.adopted",
            source=locked,
            organizations=[o.pk for o in consensus.participants],
            params={"title": locked.title},
        )
        # In the languages of the organizations it was drafted with, made after the commit.
        translations.machine_versions_for(locked, [o.pk for o in consensus.participants])
    statement.refresh_from_db()
    return True


def statements_due(now: datetime.datetime) -> "QuerySet[Statement, int]":
    """The ids of a batch of statements whose deadline for positions has passed and whose rule
    counts silence as standing aside: the silence may complete their consensus. Those that
    stay open (a block, too few agreements) are looked at again until the initiator acts."""
    return (
        Statement.objects.filter(
            status=Statement.Status.POSITIONS,
            positions_until__lte=now,
            silence_stands_aside=True,
        )
        .order_by("positions_until", "pk")
        .values_list("pk", flat=True)[:200]
    )


@task()
def adopt_due_statements() -> int:
    """Adopt the statements whose deadline has passed with a consensus reached by silence. Safe
    to run twice: an adopted statement no longer waits for positions. Returns how many."""
    adopted = 0
    for pk in list(statements_due(timezone.now())):
        statement = Statement.objects.get(pk=pk)
        adopted += adopt_if_reached(statement, System(reason="deadline for positions"))
    return adopted


# Signatures --------------------------------------------------------------------------------------


def signature_list(access: Access[Statement]) -> QuerySet[Signature]:
    """The organizations that signed the statement, for whoever sees it."""
    return (
        Signature.objects.visible_to(access.viewer)
        .filter(statement=access.obj, status=Signature.Status.SIGNED)
        .select_related("organization")
        .order_by("country", "organization__name", "pk")
    )


@dataclass
class CountryGroup:
    code: str
    name: str
    signatures: list[Signature]


def by_country(signatures: list[Signature]) -> list[CountryGroup]:
    """Signatures grouped by country, the countries by their name in the reader's language."""
    groups: dict[str, list[Signature]] = {}
    for signature in signatures:
        groups.setdefault(signature.country, []).append(signature)
    result = [
        CountryGroup(code, str(countries.name(code)) if code else _("No country"), items)
        for code, items in groups.items()
    ]
    return sorted(result, key=lambda g: (not g.code, sort_key(g.name)))


def signing_organizations(actor: ActorLike) -> QuerySet[Organization]:
    """The verified organizations the actor speaks for: those it may sign for."""
    if not actor.is_authenticated:
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            memberships__user=person(actor),
            memberships__role__in=SPEAKING_ROLES,
            verified_at__isnull=False,
        )
        .order_by("name")
        .distinct()
    )


def may_sign_as(actor: ActorLike, statement: Statement) -> list[Organization]:
    """The verified organizations the actor speaks for that may still sign the statement."""
    if statement.status != Statement.Status.ADOPTED:
        return []
    taken = Signature.objects.filter(statement=statement).values("organization_id")
    return list(signing_organizations(actor).exclude(pk__in=taken))


def signature_add(
    *,
    actor: ActorLike,
    statement: Statement,
    organization: Organization,
    submission_key: str | None = None,
) -> Signature:
    """`organization` signs the adopted statement; the initiator is told and may decline it."""
    content = submitted(locals())
    require(
        actor,
        "statements.sign_statement",
        statement,
        _("Only an admin or secretary of a verified organization can sign."),
    )
    if not _speaks_for(actor, organization):
        raise PermissionDenied(_("You do not speak for this organization."))
    if organization.verified_at is None:
        raise ValidationError(
            {
                "organization": ValidationError(
                    _("Only a verified organization can sign."), code="not_verified"
                )
            }
        )

    def create() -> Signature:
        with transaction.atomic():
            locked = _locked(statement)
            if locked.status != Statement.Status.ADOPTED:
                raise ValidationError(
                    _("Only an adopted statement can be signed."), code="not_adopted"
                )
            existing = Signature.objects.filter(statement=locked, organization=organization).first()
            if existing is not None:
                _refuse_again(existing)
            try:
                with transaction.atomic():
                    signature = Signature.objects.create(
                        statement=locked,
                        organization=organization,
                        source=Signature.Source.ADDED,
                        country=str(organization.country or ""),
                        signed_by=person(actor),
                    )
            except IntegrityError:
                _refuse_again(Signature.objects.get(statement=locked, organization=organization))
                raise
            audit(
                actor=actor,
                action="statement.sign",
                target=locked,
                organization=organization,
                title=locked.title,
                signatory=organization.name,
            )
            notice_send(
                kind="statement.signed",
                source=signature,
                organizations=[locked.organization_id],
                params={"organization": organization.name, "title": locked.title},
                sender=organization.pk,
            )
            # Readable in the new signatory's languages too, when a machine can make them.
            translations.machine_versions_for(locked, [organization.pk])
            return signature

    signature, _new = once(
        user=person(actor),
        scope="statements.signature_add",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Signature.objects.get(pk=pk),
    )
    return signature


def _refuse_again(existing: Signature) -> None:
    if existing.status == Signature.Status.DECLINED:
        raise ValidationError(
            {
                "organization": ValidationError(
                    _(
                        "The initiator declined this organization's signature: it cannot sign again."
                    ),
                    code="declined",
                )
            }
        )
    raise ValidationError(
        {
            "organization": ValidationError(
                _("This organization has already signed."), code="already_signed"
            )
        }
    )


def signature_get(*, statement: Statement, pk: int) -> Signature:
    """A signature of the statement, still listed; Http404 otherwise."""
    from django.http import Http404

    found = (
        Signature.objects.filter(statement=statement, pk=pk, status=Signature.Status.SIGNED)
        .select_related("organization")
        .first()
    )
    if found is None:
        raise Http404
    return found


def signature_decline(*, actor: ActorLike, signature: Signature, reason: str) -> Signature:
    """The initiator declines a signature added after adoption: no longer listed, and the
    organization cannot sign again. Those who agreed at adoption cannot be declined."""
    statement = signature.statement
    require(
        actor,
        "statements.decline_signature",
        statement,
        _("Only an admin or secretary of the initiator can decline a signature."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why you decline it."), code="reason_required")}
        )
    if len(reason) > MAX_TEXT:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("At most %(n)s characters.") % {"n": MAX_TEXT}, code="too_long"
                )
            }
        )
    with transaction.atomic():
        locked = _locked(statement)
        current = Signature.objects.select_for_update().get(pk=signature.pk)
        if current.status == Signature.Status.DECLINED:
            raise ValidationError(_("This signature is already declined."), code="declined")
        if current.source == Signature.Source.ADOPTION:
            raise ValidationError(
                _(
                    "This organization agreed to the statement when it was adopted: its "
                    "signature cannot be declined."
                ),
                code="adoption_signature",
            )
        current.status = Signature.Status.DECLINED
        current.declined_at = timezone.now()
        current.decline_reason = reason
        current.save(update_fields=["status", "declined_at", "decline_reason"])
        audit(
            actor=actor,
            action="statement.signature_decline",
            target=locked,
            organization=locked.organization,
            title=locked.title,
            signatory=signature.organization.name,
        )
        notice_send(
            kind="statement.signature_declined",
            source=current,
            organizations=[current.organization_id],
            params={"title": locked.title, "initiator": locked.organization.name},
            sender=locked.organization_id,
        )
    return current
