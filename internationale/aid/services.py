"""Material aid handed over against a pledge: declared by the giver, confirmed by the issuer."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.appeals import public_page
from internationale.appeals.models import Pledge
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.money import normalize_currency
from internationale.core.services import require

from .models import Contribution
from .selectors import confirmed_money, covers
from .signals import contribution_confirmed


def contribution_declare(
    *,
    actor: ActorLike,
    pledge: Pledge,
    amount: Decimal | None = None,
    currency: str = "",
    goods: str = "",
    reference: str = "",
    submission_key: str | None = None,
) -> Contribution:
    """The giving organization says it has sent (part of) its material aid. It counts as received
    only once the issuing organization confirms it."""
    content = submitted(locals())
    require(
        actor,
        "aid.declare_contribution",
        pledge,
        _("Only an admin or secretary of the pledging organization can declare aid sent."),
    )
    if not pledge.gives_material_aid:
        raise ValidationError(
            _("Only a pledge of material aid is handed over as aid."), code="not_material_aid"
        )
    if pledge.status == Pledge.Status.WITHDRAWN:
        raise ValidationError(_("This pledge was withdrawn."), code="pledge_withdrawn")
    contribution = Contribution(
        pledge=pledge,
        appeal_id=pledge.appeal_id,
        organization_id=pledge.organization_id,
        amount=amount,
        currency=normalize_currency(currency),
        goods=goods,
        reference=reference,
        sent_by=person(actor),
    )
    contribution.full_clean()

    def create() -> Contribution:
        contribution.save()
        return contribution

    created, _new = once(
        user=person(actor),
        scope="aid.contribution_declare",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Contribution.objects.get(pk=pk),
    )
    return created


def _queue_confirmed_notice(contribution: Contribution) -> None:
    from .tasks import deliver_aid_confirmed

    transaction.on_commit(lambda: deliver_aid_confirmed.enqueue(contribution.pk))


def contribution_confirm(
    *, actor: ActorLike, contribution: Contribution, completes_pledge: bool | None = None
) -> Contribution:
    """The issuing organization confirms it received the aid. The confirmation fulfils the pledge
    when the issuer says it completes it (`completes_pledge=True`) or, by default (None), when the
    confirmed money in the pledge's currency covers the amount pledged; `False` leaves it pledged.
    A pledge already fulfilled or withdrawn stays as it is. The pledging organization hears of it
    in its inbox."""
    require(
        actor,
        "aid.confirm_receipt",
        contribution,
        _(
            "Only an admin or secretary of the organization that issued the appeal can confirm receipt."
        ),
    )
    now = timezone.now()
    with transaction.atomic():
        # Locked first: of two confirmations against one pledge at once, the second counts the
        # first's aid.
        pledge = Pledge.objects.select_for_update().get(pk=contribution.pledge_id)
        # Conditional: of two confirmations at once, one confirms.
        confirmed = Contribution.objects.filter(
            pk=contribution.pk, confirmed_at__isnull=True
        ).update(confirmed_at=now, confirmed_by=person(actor), updated_at=now)
        if not confirmed:
            raise ValidationError(_("This aid was already confirmed."), code="already_confirmed")
        contribution.confirmed_at, contribution.confirmed_by = now, person(actor)
        fulfils = pledge.status == Pledge.Status.PLEDGED and (
            covers(pledge, confirmed_money([pledge.pk]).get(pledge.pk, Decimal("0")))
            if completes_pledge is None
            else completes_pledge
        )
        if fulfils:
            Pledge.objects.filter(pk=pledge.pk, status=Pledge.Status.PLEDGED).update(
                status=Pledge.Status.FULFILLED, fulfilled_at=now, updated_at=now
            )
            Contribution.objects.filter(pk=contribution.pk).update(fulfilled_pledge=True)
            pledge.status, pledge.fulfilled_at = Pledge.Status.FULFILLED, now
            contribution.fulfilled_pledge = True
        contribution.pledge = pledge
        what = (
            f"{contribution.amount} {contribution.currency}"
            if contribution.amount is not None
            else contribution.goods[:100]
        )
        audit(
            actor=actor,
            target=contribution,
            organization=contribution.appeal.organization,
            action="aid.confirm",
            what=what,
            appeal=contribution.appeal_id,
            contribution=contribution.pk,
            giver=contribution.organization_id,
            pledge=pledge.pk,
            pledge_fulfilled=fulfils,
        )
        # Written by update(), which no signal follows: the public page shows the aid received.
        public_page.changed(contribution.appeal_id)
        _queue_confirmed_notice(contribution)
        contribution_confirmed.send(Contribution, contribution=contribution, actor=actor)
    return contribution
