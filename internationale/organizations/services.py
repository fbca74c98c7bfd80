"""Writes on organizations. Each checks its rule, validates, writes in a transaction and audits."""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from internationale.accounts.models import User, hash_token
from internationale.accounts.services import tokens_revoke_all
from internationale.core.actors import ActorLike, Remote, as_actor, is_system, person, user_of
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.notices import notice_send
from internationale.core.predicates import forget_roles, is_operator, roles_of
from internationale.core.services import allowed, require

from .directory import filter_text_refreshed_once
from .models import (
    RELATION_VISIBILITIES,
    Employer,
    EmployerSite,
    ErasedSlug,
    Invitation,
    Membership,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    Relation,
    Vouch,
)
from .reference import normalize_language, sectors
from .selectors import similar_organizations

VOUCHES_TO_VERIFY = 2
# "addressed" means nothing for a presence: it concerns one organization.
PRESENCE_VISIBILITIES = ("public", "network", "private")


def _unique_slug(model: Any, base: str) -> str:
    base = slugify(base)[:70] or "organization"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists() or (
        model is Organization and ErasedSlug.objects.filter(slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _refuse_erased_slug(slug: str) -> None:
    """An erased profile's slug stays reserved for good (models.ErasedSlug)."""
    if ErasedSlug.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("This slug belonged to an erased organization: it cannot be used again.")},
            code="erased_slug",
        )


def _clean_languages(languages: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for raw in languages:
        try:
            tag = normalize_language(raw)
        except ValueError:
            raise ValidationError(
                {"languages": _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": raw}},
                code="invalid_language",
            ) from None
        if tag not in tags:
            tags.append(tag)
    return tags


def _clean_sectors(codes: Iterable[str]) -> list[str]:
    known = sectors()
    cleaned: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if code not in known:
            raise ValidationError(
                {"sectors": _("“%(code)s” is not an ISIC Rev.4 section (A to U).") % {"code": raw}},
                code="invalid_sector",
            )
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _set_languages_and_sectors(
    org: Organization, languages: list[str], sector_codes: list[str]
) -> None:
    with filter_text_refreshed_once(org):  # the words of the directory's filters
        org.languages.all().delete()
        OrganizationLanguage.objects.bulk_create(
            [OrganizationLanguage(organization=org, tag=tag) for tag in languages]
        )
        org.sectors.all().delete()
        OrganizationSector.objects.bulk_create(
            [OrganizationSector(organization=org, code=code) for code in sector_codes]
        )


@idempotent("organizations.organization_create", lambda pk: Organization.objects.get(pk=pk))
def organization_create(
    *,
    actor: ActorLike,
    name: str,
    country: str,
    kind: str,
    languages: Iterable[str] = (),
    sectors: Iterable[str] = (),
    verified: bool = False,
    admin: User | None = None,
    similar_confirmed: bool = False,
    submission_key: str | None = None,
    **fields: Any,
) -> Organization:
    """Create an organization. Anyone signed in may register one (it starts unverified and its
    creator becomes its admin); only an operator may create it verified or for someone else.

    A name that an organization of the same country already has, up to case, accents,
    punctuation and spaces, is refused until the person confirms (`similar_confirmed`) that theirs
    is another organization: the error names the similar ones they may see. The system (command
    line, demo) is not asked."""
    require(
        actor, "organizations.create_organization", None, _("Sign in to register an organization.")
    )
    if verified or admin is not None:
        require(
            actor,
            "organizations.create_verified_organization",
            None,
            _("Only a server operator can do this."),
        )
    languages = _clean_languages(languages)
    sector_codes = _clean_sectors(sectors)
    org = Organization(name=name.strip(), country=country.upper(), kind=kind, **fields)
    org.slug = fields.get("slug") or _unique_slug(Organization, org.short_name or org.name)
    _refuse_erased_slug(org.slug)
    if verified:
        org.verified_at = timezone.now()
    org.full_clean()
    if not (similar_confirmed or is_system(actor)):
        _refuse_similar(actor, org)
    with transaction.atomic():
        org.save()
        _set_languages_and_sectors(org, languages, sector_codes)
        first_admin = admin if admin is not None else person(actor)
        if first_admin is not None and admin is None and is_operator(first_admin):
            first_admin = None
        if first_admin is not None:
            Membership.objects.create(
                user=first_admin, organization=org, role=Membership.Role.ADMIN
            )
            forget_roles(actor)
        audit(
            actor=actor,
            target=org,
            organization=org,
            action="organization.create",
            name=org.name,
            verified=verified,
        )
    return org


def _refuse_similar(actor: ActorLike, org: Organization) -> None:
    similar = similar_organizations(viewer=actor, name=org.name, country=str(org.country))
    if similar:
        raise ValidationError(
            {
                "name": ValidationError(
                    _(
                        "An organization with a similar name is already registered in this "
                        "country: %(names)s. If yours is another organization, confirm it and "
                        "register again."
                    )
                    % {"names": ", ".join(o.name for o in similar)},
                    code="similar_name",
                )
            }
        )


def organization_update(
    *,
    actor: ActorLike,
    organization: Organization,
    languages: Iterable[str] | None = None,
    sectors: Iterable[str] | None = None,
    **fields: Any,
) -> Organization:
    require(actor, "organizations.edit_organization", organization)
    lang_tags = _clean_languages(languages) if languages is not None else None
    sector_codes = _clean_sectors(sectors) if sectors is not None else None
    # The slug is in every address of the organization: only an operator changes it.
    read_only = {"verified_at", "id", "pk"}
    if not allowed(actor, "organizations.change_slug", organization):
        read_only.add("slug")
    for name, value in fields.items():
        if name in read_only:
            raise ValidationError({name: _("This field cannot be changed here.")}, code="read_only")
        setattr(organization, name, value)
    if "slug" in fields:
        _refuse_erased_slug(organization.slug)
    organization.full_clean()
    changed = sorted(fields) + [
        name
        for name, value in (("languages", lang_tags), ("sectors", sector_codes))
        if value is not None
    ]
    with transaction.atomic():
        organization.save()
        audit(
            actor=actor,
            target=organization,
            organization=organization,
            action="organization.update",
            fields=changed,
        )
        if lang_tags is not None or sector_codes is not None:
            _set_languages_and_sectors(
                organization,
                lang_tags
                if lang_tags is not None
                else list(organization.languages.values_list("tag", flat=True)),
                sector_codes
                if sector_codes is not None
                else list(organization.sectors.values_list("code", flat=True)),
            )
    return organization


# Membership and roles ---------------------------------------------------------------------------


def _lock_admins(organization: Organization) -> int:
    """Count the admins, holding their rows so two demotions at once cannot remove the last one.

    The rows are fetched, not counted: `.count()` drops FOR UPDATE and would lock nothing. They are
    locked in one order, before any single membership, so two demotions wait instead of deadlocking.
    """
    return len(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def membership_add(
    *, actor: ActorLike, organization: Organization, user: User, role: str
) -> Membership:
    require(actor, "organizations.manage_members", organization)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organization=organization, role=role)
            audit(
                actor=actor,
                target=membership,
                organization=organization,
                action="membership.add",
                email=user.email,
                user=user.pk,
                role=role,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s is already a member of this organization.") % {"email": user.email},
            code="already_member",
        ) from None
    forget_roles(user)
    return membership


def membership_set_role(*, actor: ActorLike, membership: Membership, role: str) -> Membership:
    require(actor, "organizations.manage_members", membership.organization)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    with transaction.atomic():
        admins = _lock_admins(membership.organization)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Membership.Role.ADMIN and admins <= 1:
            raise ValidationError(
                _(
                    "An organization always keeps at least one admin. Make someone else admin first."
                ),
                code="last_admin",
            )
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit(
            actor=actor,
            target=membership,
            organization=membership.organization,
            action="membership.role",
            email=membership.user.email,
            user=membership.user_id,
            old=old,
            new=role,
        )
    forget_roles(membership.user)
    forget_roles(actor)
    return membership


def membership_remove(*, actor: ActorLike, membership: Membership) -> None:
    require(actor, "organizations.remove_member", membership)
    with transaction.atomic():
        admins = _lock_admins(membership.organization)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Membership.Role.ADMIN and admins <= 1:
            raise ValidationError(
                _(
                    "An organization always keeps at least one admin. Make someone else admin first."
                ),
                code="last_admin",
            )
        audit(
            actor=actor,
            target=membership,
            organization=membership.organization,
            action="membership.remove",
            email=membership.user.email,
            user=membership.user_id,
            role=membership.role,
        )
        membership.delete()
        # Its tokens end for good: they would not speak for the person if they joined again.
        tokens_revoke_all(
            actor=actor,
            user=membership.user,
            organization=membership.organization,
            reason="membership",
        )
    forget_roles(membership.user)
    forget_roles(actor)


# Invitations ------------------------------------------------------------------------------------


def _invitation_with_token(pk: str) -> tuple[Invitation, str]:
    invitation = Invitation.objects.get(pk=pk)
    return invitation, invitation_token(invitation)


@idempotent(
    "organizations.invitation_create", _invitation_with_token, identify=lambda pair: pair[0].pk
)
def invitation_create(
    *,
    actor: ActorLike,
    organization: Organization,
    email: str,
    role: str,
    submission_key: str | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the one-time token for its link.

    The server's own invitations (the command line) come from `System(reason=...)`."""
    require(actor, "organizations.manage_members", organization)
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already a member.")}, code="already_member"
        )
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=secrets.token_hex(32),  # replaced below, once the row has its id
        invited_by=person(actor),
        expires_at=timezone.now()
        + datetime.timedelta(days=settings.INTERNATIONALE_INVITATION_DAYS),
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        token = invitation_token(invitation)
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["token_hash"])
        audit(
            actor=actor,
            target=invitation,
            organization=organization,
            action="invitation.create",
            email=email,
            role=role,
        )
        from .tasks import send_invitation

        # Only the id goes into the task queue: the link is derived again when the mail is written.
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation, token


def invitation_token(invitation: Invitation) -> str:
    """The secret of an invitation's link: an HMAC of the row with the server's secret key, like
    Django's password-reset tokens. The database keeps only its hash, and the task queue only the
    invitation's id, so neither a copy of the database nor of the queue opens an invitation."""
    created = int(invitation.created_at.timestamp() * 1_000_000)
    return salted_hmac(
        "internationale.invitation",
        f"{invitation.pk}:{invitation.email}:{created}",
        algorithm="sha256",
    ).hexdigest()


def invitation_find(token: str) -> Invitation | None:
    """The invitation behind a link, if it can still be used."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return None
    if invitation.expires_at < timezone.now():
        return None
    return invitation


def invitation_accept(*, actor: ActorLike, token: str) -> Membership:
    user = user_of(actor)  # one's own invitation
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        )
        if (
            invitation is None
            or invitation.accepted_at
            or invitation.revoked_at
            or invitation.expires_at < timezone.now()
        ):
            raise ValidationError(
                _("This invitation has expired or was already used."), code="invitation_invalid"
            )
        if invitation.email.lower() != user.email.lower():
            raise ValidationError(
                _(
                    "This invitation was sent to another e-mail address. Sign in as %(email)s to accept it."
                )
                % {"email": invitation.email},
                code="invitation_other_email",
            )
        membership, _created = Membership.objects.get_or_create(
            user=user, organization=invitation.organization, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit(
            actor=actor,
            target=invitation,
            organization=invitation.organization,
            action="invitation.accept",
            email=user.email,
            role=membership.role,
        )
    forget_roles(actor)
    return membership


# Verification -----------------------------------------------------------------------------------


def organization_verify(*, actor: ActorLike, organization: Organization) -> Organization:
    require(actor, "organizations.verify_organization", organization)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.verified_at is None:
            organization.verified_at = timezone.now()
            organization.save(update_fields=["verified_at", "updated_at"])
            audit(
                actor=actor,
                target=organization,
                organization=organization,
                action="organization.verify",
                by="operator",
            )
    return organization


def organization_unverify(*, actor: ActorLike, organization: Organization) -> Organization:
    """Withdraw an organization's verification: it then sees only public content, and its vouches
    no longer count. For an operator, or the system at the command line
    (`internationale org unverify`)."""
    require(actor, "organizations.verify_organization", organization)
    with transaction.atomic():
        organization.verified_at = None
        organization.save(update_fields=["verified_at", "updated_at"])
        audit(
            actor=actor,
            target=organization,
            organization=organization,
            action="organization.unverify",
        )
    return organization


def _voucher_for(actor: ActorLike, voucher: Organization | None) -> Organization:
    who = as_actor(actor)
    if isinstance(who, Remote):  # an accepted remote organization vouches for itself alone
        if voucher is not None and voucher.pk != who.organization_id:
            raise PermissionDenied(_("A remote organization vouches in its own name only."))
        return Organization.objects.get(pk=who.organization_id)
    speaking = [
        oid
        for oid, (role, verified) in roles_of(actor).items()
        if role in ("admin", "secretary") and verified
    ]
    if voucher is None:
        if len(speaking) != 1:
            raise ValidationError(
                _("Choose the organization that vouches."), code="voucher_required"
            )
        return Organization.objects.get(pk=speaking[0])
    if voucher.pk not in speaking:
        raise PermissionDenied(
            _("Only an admin or secretary of a verified organization can vouch for it.")
        )
    return voucher


@idempotent("organizations.vouch_add", lambda pk: Vouch.objects.get(pk=pk))
def vouch_add(
    *,
    actor: ActorLike,
    organization: Organization,
    voucher: Organization | None = None,
    submission_key: str | None = None,
) -> Vouch:
    """Vouch for an organization; the second standing vouch from a verified organization verifies it."""
    require(
        actor,
        "organizations.vouch_for",
        organization,
        _("Only an admin or secretary of another, verified organization can vouch."),
    )
    voucher = _voucher_for(actor, voucher)
    try:
        with transaction.atomic():
            # Hold the organization's row: two vouches given at the same moment would otherwise
            # each count only itself, and neither would verify.
            locked = Organization.objects.select_for_update().get(pk=organization.pk)
            organization.verified_at = locked.verified_at
            vouch = Vouch.objects.create(
                organization=organization, voucher=voucher, vouched_by=person(actor)
            )
            audit(
                actor=actor,
                target=vouch,
                organization=organization,
                action="vouch.add",
                voucher=voucher.pk,
                voucher_name=voucher.name,
                org=organization.name,
            )
            audit(
                actor=actor,
                target=vouch,
                organization=voucher,
                action="vouch.give",
                vouched_for=organization.pk,
                org=organization.name,
            )
            standing = _standing_vouches(organization)
            if organization.verified_at is None and standing >= VOUCHES_TO_VERIFY:
                organization.verified_at = timezone.now()
                organization.save(update_fields=["verified_at", "updated_at"])
                audit(
                    actor=actor,
                    target=organization,
                    organization=organization,
                    action="organization.verify",
                    by="vouches",
                )
    except IntegrityError:
        raise ValidationError(
            _("%(voucher)s already vouches for this organization.") % {"voucher": voucher.name},
            code="already_vouched",
        ) from None
    return vouch


def _standing_vouches(organization: Organization) -> int:
    """How many of the organization's standing vouches count towards its verification
    (counted_vouches)."""
    standing_vouches = Vouch.objects.filter(
        organization=organization,
        withdrawn_at__isnull=True,
        voucher__verified_at__isnull=False,
    ).select_related("voucher")
    return counted_vouches(standing_vouches)


def counted_vouches(vouches: Iterable[Vouch]) -> int:
    """How many of `vouches` (standing ones, their voucher loaded) count towards verification.
    Two organizations, and two people: one person who speaks for two organizations does not
    verify anyone alone. A vouch of a remote organization (received through federation, no
    person here behind it) counts as the operator sets FEDERATION_REMOTE_VOUCHES: not at all
    ("off"), or as at most one of the two ("one"), however many remote organizations vouch.
    Also the count the organization's page shows, so that it says what verification uses."""
    local = [vouch for vouch in vouches if not vouch.voucher.remote_actor_url]
    remote = [vouch for vouch in vouches if vouch.voucher.remote_actor_url]
    counted = min(
        len({vouch.voucher_id for vouch in local}),
        len({vouch.vouched_by_id for vouch in local}),
    )
    if settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES == "one":
        counted += int(bool(remote))
    return counted


def vouch_withdraw(*, actor: ActorLike, vouch: Vouch) -> Vouch:
    """Withdraw a vouch. The organization stays verified: an operator decides on withdrawal."""
    require(
        actor,
        "organizations.withdraw_vouch",
        vouch,
        _("Only an admin or secretary of the vouching organization can withdraw it."),
    )
    with transaction.atomic():
        if vouch.withdrawn_at is None:
            vouch.withdrawn_at = timezone.now()
            vouch.save(update_fields=["withdrawn_at", "updated_at"])
            audit(
                actor=actor,
                target=vouch,
                organization=vouch.organization,
                action="vouch.withdraw",
                voucher=vouch.voucher_id,
                voucher_name=vouch.voucher.name,
            )
    return vouch


# Relations --------------------------------------------------------------------------------------


@idempotent("organizations.relation_propose", lambda pk: Relation.objects.get(pk=pk))
def relation_propose(
    *,
    actor: ActorLike,
    proposer: Organization,
    partner: Organization,
    kind: str,
    since: datetime.date | None = None,
    visibility: str = "network",
    note: str = "",
    submission_key: str | None = None,
) -> Relation:
    require(actor, "organizations.propose_relation", proposer)
    if visibility not in dict(RELATION_VISIBILITIES):
        raise ValidationError(
            {
                "visibility": _(
                    "A relation is public, network or addressed (the two organizations)."
                )
            },
            code="invalid_visibility",
        )
    if proposer.pk == partner.pk:
        raise ValidationError(
            {"partner": _("An organization cannot have a relation with itself.")}, code="self"
        )
    if partner.verified_at is None:
        raise ValidationError(
            {"partner": _("Relations are proposed to verified organizations only.")},
            code="partner_unverified",
        )
    if since is not None and since > timezone.localdate():
        raise ValidationError(
            {"since": _("A relation cannot start in the future.")}, code="since_in_future"
        )
    relation = Relation(
        proposer=proposer,
        partner=partner,
        kind=kind,
        since=since,
        visibility=visibility,
        note=note,
        proposed_by=person(actor),
    )
    relation.full_clean()
    duplicate = ValidationError(
        _("These organizations already have such a relation, or one is proposed."),
        code="duplicate_relation",
    )
    try:
        with transaction.atomic():
            # Both organizations' rows, in one order: two proposals between the same pair, in
            # either direction and at the same moment, are checked one after the other.
            list(
                Organization.objects.select_for_update()
                .filter(pk__in=[proposer.pk, partner.pk])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if Relation.objects.filter(
                proposer__in=[proposer, partner],
                partner__in=[proposer, partner],
                kind=kind,
                status__in=[Relation.Status.PROPOSED, Relation.Status.ACCEPTED],
            ).exists():
                raise duplicate
            relation.save()
            for org in (proposer, partner):
                audit(
                    actor=actor,
                    target=relation,
                    organization=org,
                    action="relation.propose",
                    proposer=proposer.name,
                    partner=partner.name,
                    kind=kind,
                )
            notice_send(
                kind="relation.proposed",
                source=relation,
                organizations=[partner],
                params={"org": proposer.name},
                sender=proposer,
            )
    except IntegrityError:
        raise duplicate from None
    return relation


def relation_decide(*, actor: ActorLike, relation: Relation, accept: bool) -> Relation:
    require(
        actor,
        "organizations.speak_for",
        relation.partner,
        _("Only an admin or secretary of the invited organization can answer."),
    )
    with transaction.atomic():
        relation = Relation.objects.select_for_update().get(pk=relation.pk)
        if relation.status != Relation.Status.PROPOSED:
            raise ValidationError(_("This relation was already answered."), code="already_decided")
        relation.status = Relation.Status.ACCEPTED if accept else Relation.Status.DECLINED
        relation.decided_at = timezone.now()
        relation.save(update_fields=["status", "decided_at", "updated_at"])
        for org in (relation.partner, relation.proposer):
            audit(
                actor=actor,
                target=relation,
                organization=org,
                action="relation.accept" if accept else "relation.decline",
                proposer=relation.proposer.name,
                partner=relation.partner.name,
                kind=relation.kind,
            )
    return relation


def relation_end(*, actor: ActorLike, relation: Relation) -> Relation:
    require(
        actor,
        "organizations.end_relation",
        relation,
        _("Only an admin or secretary of either organization can end this relation."),
    )
    with transaction.atomic():
        relation = (
            Relation.objects.select_for_update(of=("self",))
            .select_related("proposer", "partner")
            .get(pk=relation.pk)
        )
        if relation.status not in (Relation.Status.PROPOSED, Relation.Status.ACCEPTED):
            raise ValidationError(
                _("This relation has already ended or was declined."), code="already_ended"
            )
        relation.status = Relation.Status.ENDED
        relation.decided_at = timezone.now()
        relation.save(update_fields=["status", "decided_at", "updated_at"])
        for org in (relation.proposer, relation.partner):
            audit(
                actor=actor,
                target=relation,
                organization=org,
                action="relation.end",
                proposer=relation.proposer.name,
                partner=relation.partner.name,
                kind=relation.kind,
            )
    return relation


# Employers --------------------------------------------------------------------------------------


@idempotent("organizations.employer_create", lambda pk: Employer.objects.get(pk=pk))
def employer_create(
    *,
    actor: ActorLike,
    name: str,
    headquarters: str = "",
    website: str = "",
    description: str = "",
    submission_key: str | None = None,
) -> Employer:
    require(actor, "organizations.register_employer")
    if Employer.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError(
            {"name": _("An employer with this name is already in the directory.")},
            code="duplicate_employer",
        )
    employer = Employer(
        name=name.strip(),
        headquarters=headquarters.upper(),
        website=website,
        description=description,
        created_by=person(actor),
    )
    employer.slug = _unique_slug(Employer, name)
    employer.full_clean()
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        # The same employer added by someone else at the same moment took the slug.
        raise ValidationError(
            {"name": _("An employer with this name is already in the directory.")},
            code="duplicate_employer",
        ) from None
    return employer


@idempotent("organizations.site_add", lambda pk: EmployerSite.objects.get(pk=pk))
def site_add(
    *,
    actor: ActorLike,
    employer: Employer,
    name: str,
    country: str,
    city: str = "",
    submission_key: str | None = None,
) -> EmployerSite:
    require(actor, "organizations.register_employer")
    site = EmployerSite(employer=employer, name=name.strip(), country=country.upper(), city=city)
    site.full_clean()
    with transaction.atomic():
        # The employer's row is held, so two people adding the same site at once add it once.
        list(Employer.objects.select_for_update().filter(pk=employer.pk).values_list("pk"))
        if EmployerSite.objects.filter(
            employer=employer, name__iexact=site.name, country=site.country
        ).exists():
            raise ValidationError(
                {"name": _("This employer already has a site with this name in this country.")},
                code="duplicate_site",
            )
        site.save()
    return site


@idempotent("organizations.presence_add", lambda pk: Presence.objects.get(pk=pk))
def presence_add(
    *,
    actor: ActorLike,
    organization: Organization,
    employer: Employer,
    site: EmployerSite | None = None,
    visibility: str = "network",
    submission_key: str | None = None,
) -> Presence:
    require(actor, "organizations.record_presence", organization)
    if visibility not in PRESENCE_VISIBILITIES:
        raise ValidationError(
            {"visibility": _("A workplace is public, network or private.")},
            code="invalid_visibility",
        )
    if site is not None and site.employer_id != employer.pk:
        raise ValidationError(
            {"site": _("This site belongs to another employer.")}, code="wrong_site"
        )
    if Presence.objects.filter(organization=organization, employer=employer, site=site).exists():
        raise ValidationError(_("This presence is already recorded."), code="duplicate_presence")
    presence = Presence(
        organization=organization, employer=employer, site=site, visibility=visibility
    )
    presence.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            presence.save()
    except IntegrityError:
        raise ValidationError(
            _("This presence is already recorded."), code="duplicate_presence"
        ) from None
    return presence


def presence_remove(*, actor: ActorLike, presence: Presence) -> None:
    require(actor, "organizations.record_presence", presence.organization)
    presence.delete()
