"""Background work for days of action. Every task is safe to run twice, and works on a batch."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Called, DayOfAction


@task()
def deliver_call(day_id: int, organization_ids: Sequence[int]) -> int:
    """Tell a batch of organizations called to a day of action (their inboxes, e-mail, webhooks)
    and mark them delivered. Inbox entries are unique per (organization, source, kind): run
    again, this delivers nothing twice. Returns how many were not yet delivered."""
    day = DayOfAction.objects.select_related("organization").filter(pk=day_id).first()
    if day is None:
        return 0
    with transaction.atomic():
        ids = list(
            Called.objects.filter(
                day=day, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("organization_id", flat=True)
        )
        notice_send(
            kind="day.called",
            source=day,
            organizations=ids,
            params={
                "caller": day.organization.name,
                "title": day.title,
                "date": day.date.isoformat(),
            },
            sender=day.organization_id,
            inbox_now=True,
        )
        Called.objects.filter(day=day, organization_id__in=ids).update(delivered_at=timezone.now())
    return len(ids)
