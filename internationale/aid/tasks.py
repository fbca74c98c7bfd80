"""Background work for material aid. Every task is safe to run twice."""

from django.db import transaction
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Contribution


def _what(contribution: Contribution) -> str:
    if contribution.amount is not None:
        return f"{contribution.amount} {contribution.currency}"
    return contribution.goods[:200]


@task()
def deliver_aid_confirmed(contribution_id: int) -> int:
    """Tell the giving organization, in its inbox, that the issuer confirmed receipt of its aid,
    and whether that fulfilled its pledge. One entry per contribution: run again, this creates
    nothing twice. Returns to how many organizations (0 or 1)."""
    contribution = (
        Contribution.objects.select_related("appeal__organization", "pledge")
        .filter(pk=contribution_id, confirmed_at__isnull=False)
        .first()
    )
    if contribution is None:
        return 0
    appeal = contribution.appeal
    with transaction.atomic():
        notice_send(
            kind="aid.confirmed",
            source=contribution,
            organizations=[contribution.organization_id],
            sender=appeal.organization_id,
            params={
                "issuer": appeal.organization.name,
                "what": _what(contribution),
                "fulfilled": contribution.fulfilled_pledge,
                "title": appeal.title,
            },
        )
    return 1
