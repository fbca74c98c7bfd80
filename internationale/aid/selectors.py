"""Reads of material aid: totals per currency, never summed across currencies."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from internationale.appeals.models import Appeal, Pledge, SupportForm
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
        appeal=appeal, form=SupportForm.MATERIAL_AID, amount__isnull=False
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


def aid_totals(*, viewer: Any, appeal: Appeal) -> dict[str, AidTotal]:
    """What the viewer may know of the appeal's aid: all of it for the issuer, the public part
    for others. `appeal` comes from appeals.selectors.appeal_get, which checked it is visible."""
    return totals_by_currency(
        appeal=appeal, public_only=appeal.organization_id not in organizations_of(viewer)
    )


def contribution_list(*, viewer: Any, appeal: Appeal) -> QuerySet[Contribution]:
    """The issuer sees every contribution to its appeal; a giver, its own; nobody else any."""
    mine = organizations_of(viewer)
    qs = Contribution.objects.filter(appeal=appeal)
    if appeal.organization_id not in mine:
        qs = qs.filter(Q(organization_id__in=mine))
    return qs.select_related("organization", "pledge").order_by("created_at", "pk")


def contribution_get(*, viewer: Any, pk: int) -> Contribution:
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
