"""The demo's material aid: what was pledged to the Buenos Aires strike, given and confirmed."""

from typing import Any

from internationale.appeals.demo import APPEAL_TITLES
from internationale.appeals.models import Pledge, SupportForm
from internationale.organizations.demo import speaker

from .services import contribution_confirm, contribution_declare


def create_aid(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    """Each money pledge to the Buenos Aires strike, declared sent by the giver and confirmed
    received by the strikers (which fulfils it)."""
    slugs = {org.pk: slug for slug, org in orgs.items()}
    pledges = Pledge.objects.filter(
        appeal__organization=orgs["sittba"],
        appeal__title=APPEAL_TITLES["buenos_aires"],
        supports__form=SupportForm.MATERIAL_AID,
    ).order_by("id")
    for pledge in pledges:
        slug = slugs[pledge.organization_id]
        contribution = contribution_declare(
            actor=speaker(slug, people),
            pledge=pledge,
            amount=pledge.amount,
            currency=pledge.currency,
            reference=f"DEMO-{slug.upper()}",
        )
        contribution_confirm(actor=speaker("sittba", people), contribution=contribution)
