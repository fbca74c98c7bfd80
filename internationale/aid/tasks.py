"""Background work for material aid. Every task is safe to run twice."""

from django.db import transaction
from django_tasks import task

from internationale.notifications.services import inbox_deliver

from .models import Contribution


def _what(contribution: Contribution) -> str:
    if contribution.amount is not None:
        return f"{contribution.amount} {contribution.currency}"
    return contribution.goods[:200]


@task()
def deliver_aid_confirmed(contribution_id: int) -> int:
    """Tell the giving organization, in its inbox, that the issuer confirmed receipt of its aid,
    and whether that fulfilled its pledge. One entry per contribution: run again, this creates
    nothing. Returns how many inboxes were new (0 or 1)."""
    contribution = (
        Contribution.objects.select_related("appeal__organization", "pledge")
        .filter(pk=contribution_id, confirmed_at__isnull=False)
        .first()
    )
    if contribution is None:
        return 0
    appeal = contribution.appeal
    with transaction.atomic():
        new = inbox_deliver(
            organizations=[contribution.organization_id],
            kind="aid.confirmed",
            key=f"aid-confirmed:{contribution.pk}",
            title_format="aid.confirmed",
            title_params={
                "issuer": appeal.organization.name,
                "what": _what(contribution),
                "fulfilled": contribution.fulfilled_pledge,
                "title": appeal.title,
            },
            # What was given is between the giver and the issuer, whatever the appeal.
            confidential=True,
            url=f"{appeal.url}#pledge-{contribution.pledge_id}",
        )
    return len(new)
