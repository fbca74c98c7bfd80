"""Background work for meetings. Every task is safe to run twice, and works on a batch."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Invitation, Meeting


@task()
def deliver_invitations(meeting_id: int, organization_ids: Sequence[int]) -> int:
    """Tell a batch of invited organizations (their inboxes, e-mail, webhooks) and mark their
    invitations delivered. Inbox entries are unique per (organization, source, kind): run again,
    this delivers nothing twice. Returns how many were not yet delivered."""
    meeting = Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    with transaction.atomic():
        ids = list(
            Invitation.objects.filter(
                meeting=meeting, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("organization_id", flat=True)
        )
        notice_send(
            kind="meeting.invited",
            source=meeting,
            organizations=ids,
            params={
                "host": meeting.organization.name,
                "kind": meeting.kind,
                "title": meeting.title,
            },
            sender=meeting.organization_id,
            summary=Truncator(meeting.description).chars(280),
            inbox_now=True,
        )
        Invitation.objects.filter(meeting=meeting, organization_id__in=ids).update(
            delivered_at=timezone.now()
        )
    return len(ids)
