"""Reads of material aid: totals per currency, never summed across currencies."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from internationale.appeals.models import Appeal, Pledge, SupportForm
from internationale.core.actors import ViewerLike
from internationale.core.predicates import organizations_of

from .models import Contribution


@dataclass
class AidTotal:
    pledged: Decimal = Decimal("0")
    received: Decimal = Decimal("0")


def totals_by_currency(*, appeal: Appeal, public_only: bool = False) -> dict[str, AidTotal]:
    """Money pledged (not withdrawn) and received (confirmed by the issuer), per currency.

    For the issuer's eyes, or with `public_only` for anyone: only what pledgers made public.
    """
    pledges = Pledge.objects.filter(
        appeal=appeal, supports__form=SupportForm.MATERIAL_AID, amount__isnull=False
    ).exclude(status=Pledge.Status.WITHDRAWN)
    received = Contribution.objects.filter(
        appeal=appeal, confirmed_at__isnull=False, amount__isnull=False
    )
    if public_only:
        pledges = pledges.filter(public=True)
        received = received.filter(pledge__public=True)
    totals: dict[str, AidTotal] = {}
    for currency, total in pledges.order_by().values_list("currency").annotate(Sum("amount")):
        totals.setdefault(currency, AidTotal()).pledged = total
    for currency, total in received.order_by().values_list("currency").annotate(Sum("amount")):
        totals.setdefault(currency, AidTotal()).received = total
    return dict(sorted(totals.items()))


def aid_totals(*, viewer: ViewerLike, appeal: Appeal) -> dict[str, AidTotal]:
    """What the viewer may know of the appeal's aid: all of it for the issuer, the public part
    for others. `appeal` comes from appeals.selectors.appeal_get, which checked it is visible."""
    return totals_by_currency(
        appeal=appeal, public_only=appeal.organization_id not in organizations_of(viewer)
    )


def contribution_list(*, viewer: ViewerLike, appeal: Appeal) -> QuerySet[Contribution]:
    """The issuer sees every contribution to its appeal; a giver, its own; nobody else any."""
    mine = organizations_of(viewer)
    qs = Contribution.objects.filter(appeal=appeal)
    if appeal.organization_id not in mine:
        qs = qs.filter(Q(organization_id__in=mine))
    return qs.select_related("organization", "pledge").order_by("created_at", "pk")


def contribution_get(*, viewer: ViewerLike, pk: int) -> Contribution:
    """A contribution the viewer may see (see contribution_list); 404 otherwise."""
    from django.http import Http404

    from internationale.appeals.selectors import appeal_get

    contribution = Contribution.objects.filter(pk=pk).only("appeal_id").first()
    if contribution is None:
        raise Http404
    appeal = appeal_get(viewer=viewer, pk=contribution.appeal_id)
    found = contribution_list(viewer=viewer, appeal=appeal).filter(pk=pk).first()
    if found is None:
        raise Http404
    found.appeal = appeal
    return found


def receipts_by_pledge(pledge_ids: Iterable[int]) -> dict[int, list[Contribution]]:
    """For each pledge that a confirmation of receipt fulfilled, its confirmed contributions: the
    evidence of that pledge. One query. Pledges fulfilled otherwise (with a text, a link or a
    file) are not in it. Callers show the contributions only to those who may see the pledge's
    amount ("appeals.see_pledge_amount")."""
    ids = list(pledge_ids)
    if not ids:
        return {}
    found: dict[int, list[Contribution]] = {}
    fulfilling: set[int] = set()
    for contribution in Contribution.objects.filter(
        pledge_id__in=ids, confirmed_at__isnull=False, pledge__status=Pledge.Status.FULFILLED
    ).order_by("confirmed_at", "pk"):
        found.setdefault(contribution.pledge_id, []).append(contribution)
        if contribution.fulfilled_pledge:
            fulfilling.add(contribution.pledge_id)
    return {pk: contributions for pk, contributions in found.items() if pk in fulfilling}


def attach_receipts(pledges: Iterable[Pledge]) -> None:
    """Set `receipts` on each pledge (see receipts_by_pledge; [] if fulfilled otherwise or not
    fulfilled), in one query for all."""
    pledges = list(pledges)
    receipts = receipts_by_pledge(p.pk for p in pledges if p.status == Pledge.Status.FULFILLED)
    for pledge in pledges:
        pledge.receipts = receipts.get(pledge.pk, [])  # type: ignore[attr-defined]


def fulfilled_by_receipt_count(*, appeal: Appeal) -> int:
    """How many of the appeal's pledges a confirmation of receipt fulfilled."""
    return (
        Contribution.objects.filter(
            appeal=appeal, fulfilled_pledge=True, pledge__status=Pledge.Status.FULFILLED
        )
        .values("pledge_id")
        .distinct()
        .count()
    )


def confirmed_money(pledge_ids: Iterable[int]) -> dict[int, Decimal]:
    """For each pledge, the money confirmed received against it in the pledge's own currency.
    One query."""
    return dict(
        Contribution.objects.filter(
            pledge_id__in=list(pledge_ids),
            confirmed_at__isnull=False,
            amount__isnull=False,
            currency=F("pledge__currency"),
        )
        .order_by()
        .values_list("pledge_id")
        .annotate(Sum("amount"))
    )


def covers(pledge: Pledge, received: Decimal) -> bool:
    """The automatic rule, written once: a pledge of money alone is covered when the aid confirmed
    in its own currency (`received`, see confirmed_money) adds up to the amount pledged. Other
    currencies never count; goods, the issuer judges. services.contribution_confirm fulfils a
    pledge by it; the confirm form proposes it (would_fulfil)."""
    if pledge.amount is None or not pledge.currency or pledge.goods:
        return False
    return received >= pledge.amount


def would_fulfil(contributions: Iterable[Contribution]) -> set[int]:
    """The unconfirmed contributions whose confirmation would fulfil their pledge by the automatic
    rule (see covers): what the confirm form proposes by default. The contributions come with
    their pledge (contribution_list selects it). One query."""
    waiting = [
        c
        for c in contributions
        if c.confirmed_at is None and c.pledge.status == Pledge.Status.PLEDGED
    ]
    if not waiting:
        return set()
    received = confirmed_money({c.pledge_id for c in waiting})

    def adds(c: Contribution) -> Decimal:
        # What confirming it would add: its money, if in the pledge's currency.
        if c.amount is not None and c.currency == c.pledge.currency:
            return c.amount
        return Decimal("0")

    return {
        c.pk for c in waiting if covers(c.pledge, received.get(c.pledge_id, Decimal("0")) + adds(c))
    }
