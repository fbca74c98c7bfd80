"""The demo's inbox entries: relations waiting for an answer, and two notices."""

from typing import Any

from internationale.core.models import Urgency
from internationale.organizations.demo import EMPLOYERS
from internationale.organizations.models import Relation

from .services import inbox_deliver


def create_inbox(orgs: dict[str, Any]) -> None:
    # As relation_propose does, without e-mailing anyone.
    for relation in Relation.objects.filter(
        status=Relation.Status.PROPOSED, proposer__in=orgs.values()
    ).select_related("proposer", "partner"):
        inbox_deliver(
            organizations=[relation.partner],
            kind="relation.proposed",
            title_format="relation.proposed",
            title_params={"org": relation.proposer.name},
            confidential=relation.confidential,
            url=f"/organizations/{relation.partner.slug}/relations/",
            source=relation,
            notify=False,
        )
    meridian = [o for site in EMPLOYERS[0][5] for o in site[3]]
    inbox_deliver(
        organizations=[orgs[o] for o in meridian],
        kind="notice",
        key="demo:meridian-coordination",
        title="Meridian Freight: coordination call of the port unions before the contract talks",
        summary="Proposed by KLWU and GTL: one call of all unions at Meridian Freight sites, "
        "to compare wages, safety records and the company's plans for automation.",
        urgency=Urgency.URGENT,
        notify=False,
    )
    inbox_deliver(
        organizations=[o for o in orgs.values() if o.verified_at is not None],
        kind="notice",
        key="demo:welcome",
        title="Welcome to the demo network of Internationale",
        summary="Everything here is invented. Try an appeal, a relation or a vouch; "
        "every demo person signs in with the same password.",
        notify=False,
    )
