"""The days of action called from an appeal, a statement or a campaign, on their pages. Their
templates `{% load days %}` and show them, so that none of these apps imports actions: a day
links to what it comes from (its `appeal`, `statement` and `campaign`), and this shows the link
back.

Only days called (not those being prepared, which are their callers' alone) that the reader may
read: the public ones, and the network's for a reader in the network; the same for everyone of
each kind, so the appeal's list is kept with the appeal's page parts (appeals/public_page.py),
whose version changes with every day saved that links to it (apps.py)."""

from typing import Any

from django import template

from internationale.appeals import public_page as appeal_pages
from internationale.core.actors import ANONYMOUS, actor_of
from internationale.core.predicates import in_network

from ..models import DayOfAction

register = template.Library()


def _in_network(context: template.Context) -> bool:
    request = context.get("request")
    return in_network(actor_of(request) if request is not None else ANONYMOUS)


def _days(network: bool, **link: int) -> list[DayOfAction]:
    levels = ["public", "network"] if network else ["public"]
    return list(
        DayOfAction.objects.filter(**link, visibility__in=levels)
        .exclude(status=DayOfAction.Status.DRAFT)
        .only("pk", "title", "language", "date", "status")
        .order_by("date", "pk")
    )


@register.inclusion_tag("actions/_days_from.html", takes_context=True)
def days_from_appeal(context: template.Context, appeal: Any) -> dict[str, Any]:
    network = _in_network(context)
    days = appeal_pages.part(
        appeal, "days_of_action", lambda: _days(network, appeal_id=appeal.pk), reader=network
    )
    return {"days": days}


@register.inclusion_tag("actions/_days_from.html", takes_context=True)
def days_from_statement(context: template.Context, statement: Any) -> dict[str, Any]:
    return {"days": _days(_in_network(context), statement_id=statement.pk)}


@register.inclusion_tag("actions/_days_from.html", takes_context=True)
def days_from_campaign(context: template.Context, campaign: Any) -> dict[str, Any]:
    """On the campaign's page, kept for signed-out readers under the campaign's version, which
    every day saved that links to it changes (apps.py)."""
    return {"days": _days(_in_network(context), campaign_id=campaign.pk)}
