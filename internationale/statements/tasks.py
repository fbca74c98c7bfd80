"""Background work for statements. Every task is safe to run twice, and works on a batch."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Participant, Statement


@task()
def deliver_invitations(statement_id: int, organization_ids: Sequence[int]) -> int:
    """Tell a batch of organizations invited to take part in a statement (their inboxes, e-mail,
    webhooks) and mark them delivered. Inbox entries are unique per (organization, source, kind):
    run again, this delivers nothing twice. Returns how many were not yet delivered."""
    statement = Statement.objects.select_related("organization").filter(pk=statement_id).first()
    if statement is None:
        return 0
    with transaction.atomic():
        ids = list(
            Participant.objects.filter(
                statement=statement, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("organization_id", flat=True)
        )
        notice_send(
            kind="statement.invited",
            source=statement,
            organizations=ids,
            params={"initiator": statement.organization.name, "title": statement.title},
            sender=statement.organization_id,
            inbox_now=True,
        )
        Participant.objects.filter(statement=statement, organization_id__in=ids).update(
            delivered_at=timezone.now()
        )
    return len(ids)
