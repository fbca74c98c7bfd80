"""Aid's panels on the appeal pages. The appeal templates `{% load aid %}` and include them, so
that the appeals app imports nothing of aid: totals per currency, the aid sent and its confirm
forms, a fulfilled pledge's receipts, the button to declare aid sent, and the issuer's summary."""

from typing import Any

from django import template

from internationale.appeals.models import Appeal, Pledge
from internationale.core.actors import Actor, actor_of

from .. import selectors

register = template.Library()


def _viewer(context: template.Context) -> Actor:
    return actor_of(context["request"])


@register.inclusion_tag("aid/_totals.html", takes_context=True)
def aid_totals(context: template.Context, appeal: Appeal) -> dict[str, Any]:
    """Money pledged and received, per currency: all of it for the issuer, the public part for
    others. Nothing when there is none."""
    return {"aid": selectors.aid_totals(viewer=_viewer(context), appeal=appeal)}


@register.inclusion_tag("aid/_contributions.html", takes_context=True)
def aid_contributions(context: template.Context, appeal: Appeal) -> dict[str, Any]:
    """The aid sent against the appeal's pledges (the issuer sees it all, a giver its own), with
    a confirm form for those who may confirm receipt."""
    viewer = _viewer(context)
    contributions = list(selectors.contribution_list(viewer=viewer, appeal=appeal))
    can_confirm = viewer.has_perm("appeals.resolve_appeal", appeal)
    return {
        "contributions": contributions,
        "can_confirm": can_confirm,
        # Confirming these would fulfil their pledge: their "completes the pledge" box is ticked.
        "completing": selectors.would_fulfil(contributions) if can_confirm else set(),
    }


@register.inclusion_tag("aid/_receipts.html")
def aid_receipts(pledge: Pledge) -> dict[str, Any]:
    """That the issuer confirmed receipt of the aid that fulfilled the pledge and, to those who
    may see the pledge's amount, what it received. `receipts` and `can_see_evidence` were set on
    the pledge by the page (appeals.extensions, appeals.views.appeal_detail)."""
    return {"pledge": pledge, "receipts": getattr(pledge, "receipts", [])}


@register.inclusion_tag("aid/_declare_link.html")
def aid_declare_link(pledge: Pledge) -> dict[str, Any]:
    """The giver's button to declare aid sent, on a pledge of material aid."""
    return {"pledge": pledge, "material_aid": pledge.gives_material_aid}


@register.inclusion_tag("aid/_summary_totals.html", takes_context=True)
def aid_summary_totals(context: template.Context, appeal: Appeal) -> dict[str, Any]:
    """The issuer's summary: the money pledged and received, per currency, and a word when there
    is none. The summary is for the issuer's people, who see all of it."""
    return {"aid": selectors.aid_totals(viewer=_viewer(context), appeal=appeal)}


@register.inclusion_tag("aid/_fulfilled_by_receipt.html")
def aid_fulfilled_by_receipt(appeal: Appeal) -> dict[str, Any]:
    """The issuer's summary: how many pledges a confirmation of receipt fulfilled."""
    return {"appeal": appeal, "count": selectors.fulfilled_by_receipt_count(appeal=appeal)}
