"""Relations brought from another server and waiting for their partner (`PendingRelation`, made
by the import of an archive): once the partner is on this server (a verified organization that
is the partner's actor on its old server: `_partner`; one that only says it moved here from it
is shown to them to check, `claimants`, as is one with its slug and country at another address,
`lookalikes`), its admins
propose the relation again, as any relation is proposed (organizations' relation_propose: the
partner accepts or declines it); or they dismiss it, when the partner will not come or the
relation is over. Either way it leaves the list."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.organizations.models import Organization, Relation
from internationale.organizations.services import relation_propose

from .models import PendingRelation

PERM = "ownership.manage_pending_relations"


def _locked(organization: Organization, pk: int) -> PendingRelation:
    pending = (
        PendingRelation.objects.select_for_update().filter(organization=organization, pk=pk).first()
    )
    if pending is None:
        raise ValidationError(
            _("This relation is no longer waiting: it was proposed or dismissed."),
            code="not_pending",
        )
    return pending


def _local_slug(actor: str) -> str | None:
    """The slug of an actor address of this server (federation's documents.slug_of, which this
    app may not import); None for another server's."""
    prefix = absolute_url(reverse("federation_actor", args=["-"]))[:-1]
    rest = actor.removeprefix(prefix) if actor.startswith(prefix) else ""
    return rest if rest and "/" not in rest else None


def partner_at(*, actor: str, slug: str, name: str, country: str) -> Organization | None:
    """The verified organization of this server that is the partner at `actor`, its address on
    the server the relation came from: a remote organization listed here (as its `Move`s keep
    it), or, when that address was this server's, this server's organization there (an erased
    one's slug is never taken again). Not one that merely has its slug elsewhere: anyone may
    register a slug (lookalikes); nor one that only says it moved here from it (claimants).
    Without an address (an archive of before actors were recorded, format version 1): its slug,
    name and country. Both the import (importing.py) and the proposal of a pending relation
    match by it."""
    verified = Organization.objects.filter(verified_at__isnull=False)
    if actor:
        local = _local_slug(actor)
        if local is not None:
            return verified.filter(slug=local, remote_actor_url="").first()
        return verified.filter(remote_actor_url=actor).order_by("pk").first()
    return verified.filter(slug=slug, name=name, country=country).first()


def _partner(pending: PendingRelation) -> Organization | None:
    return partner_at(
        actor=pending.partner_actor,
        slug=pending.partner_slug,
        name=pending.partner_name,
        country=pending.partner_country,
    )


def claimants(pending: PendingRelation) -> list[Organization]:
    """The verified organizations of this server that say they moved here from the partner's
    actor (their also-known-as, federation/moving.py): what any admin may record, so they are
    shown to the admins to check, never proposed to."""
    if not pending.partner_actor or _partner(pending) is not None:
        return []
    aliases = apps.get_model("federation", "ActorAlias")._default_manager.filter(
        direction="moved_from", url=pending.partner_actor
    )
    return list(
        Organization.objects.filter(
            verified_at__isnull=False, pk__in=aliases.values("organization_id")
        ).order_by("name")
    )


def lookalikes(pending: PendingRelation) -> list[Organization]:
    """The organizations of this server with the partner's slug and country but at another
    address than the partner's: perhaps the partner, perhaps another that took its slug. Shown
    to the admins to check with the partner, never proposed to (an import used to propose the
    relation to them). For an archive without addresses (version 1), those whose name differs
    or that are not verified."""
    if _partner(pending) is not None:
        return []
    return list(
        Organization.objects.filter(
            slug=pending.partner_slug, country=pending.partner_country
        ).order_by("name")
    )


def pending_relation_propose(*, actor: ActorLike, organization: Organization, pk: int) -> Relation:
    """Propose the relation to its partner, now on this server; it leaves the list."""
    require(actor, PERM, organization)
    with transaction.atomic():
        pending = _locked(organization, pk)
        partner = _partner(pending)
        if partner is None:
            raise ValidationError(
                _(
                    "%(name)s is not on this server yet (no verified organization at the address "
                    "%(slug)s): propose the relation once it is, or dismiss it."
                )
                % {"name": pending.partner_name, "slug": pending.partner_slug},
                code="partner_absent",
            )
        relation = relation_propose(
            actor=actor,
            proposer=organization,
            partner=partner,
            kind=pending.kind,
            since=pending.since,
            note=pending.note,
        )
        pending.delete()
        audit(
            actor=actor,
            action="ownership.pending_relation_propose",
            target=relation,
            organization=organization,
            partner=partner.name,
        )
    return relation


def pending_relation_dismiss(*, actor: ActorLike, organization: Organization, pk: int) -> None:
    """Take the relation off the list, proposing nothing."""
    require(actor, PERM, organization)
    with transaction.atomic():
        pending = _locked(organization, pk)
        name = pending.partner_name
        pending.delete()
        audit(
            actor=actor,
            action="ownership.pending_relation_dismiss",
            target=organization,
            organization=organization,
            partner=name,
        )
