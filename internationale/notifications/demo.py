"""The demo's inbox entries: relations waiting for an answer, and two notices; and how the other
apps' demos put theirs in the inboxes (organizations' and people's own) without e-mailing anyone."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from internationale.core.models import Notice, Urgency
from internationale.core.notices import dispatch, notice_send
from internationale.organizations.demo import EMPLOYERS
from internationale.organizations.models import Relation

# The channels the demo uses: the inboxes (an organization's, a person's own), never e-mail.
INBOXES = ["inbox", "personal_inbox"]


def quietly(**notice: Any) -> None:
    """Send a notice and put it in the inboxes at once, without e-mailing anyone."""
    with transaction.atomic():
        sent = notice_send(**notice)
        if sent is not None:
            dispatch(sent, only=INBOXES)


@contextmanager
def told_quietly() -> Iterator[None]:
    """Call services as on the site inside this block: the notices they send are put in the
    inboxes at its end, without e-mailing anyone (their queued dispatch then finds them done)."""
    last = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    for notice in Notice.objects.filter(pk__gt=last, dispatched_at__isnull=True).order_by("pk"):
        dispatch(notice, only=INBOXES)


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
