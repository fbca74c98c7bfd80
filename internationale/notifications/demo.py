"""The demo's inbox entries: relations waiting for an answer, and two notices."""

from typing import Any

from django.db import transaction

from internationale.core.models import Urgency
from internationale.core.notices import dispatch, notice_send
from internationale.organizations.demo import EMPLOYERS
from internationale.organizations.models import Relation


def quietly(**notice: Any) -> None:
    """Send a notice and put it in the inboxes at once, without e-mailing anyone."""
    with transaction.atomic():
        sent = notice_send(**notice)
        if sent is not None:
            dispatch(sent, only=["inbox"])


def create_inbox(orgs: dict[str, Any]) -> None:
    # As relation_propose does.
    for relation in Relation.objects.filter(
        status=Relation.Status.PROPOSED, proposer__in=orgs.values()
    ).select_related("proposer", "partner"):
        quietly(
            kind="relation.proposed",
            source=relation,
            organizations=[relation.partner],
            params={"org": relation.proposer.name},
        )
    meridian = [orgs[o] for site in EMPLOYERS[0][5] for o in site[3]]
    quietly(
        kind="notice",
        source=meridian[0],
        organizations=meridian,
        params={
            "title": "Meridian Freight: coordination call of the port unions before the "
            "contract talks"
        },
        summary="Proposed by KLWU and GTL: one call of all unions at Meridian Freight sites, "
        "to compare wages, safety records and the company's plans for automation.",
        urgency=Urgency.URGENT,
    )
    for organization in orgs.values():
        if organization.verified_at is not None:
            quietly(
                kind="notice",
                source=organization,
                organizations=[organization],
                params={"title": "Welcome to the demo network of Internationale"},
                summary="Everything here is invented. Try an appeal, a relation or a vouch; "
                "every demo person signs in with the same password.",
            )
