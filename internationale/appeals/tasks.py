"""Background work for appeals. Every task is safe to run twice, and works on a batch."""

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from internationale.notifications.services import inbox_deliver

from .models import Addressee, Appeal, AppealUpdate, Response
from .services import BATCH, appeal_escalate, escalation_due


def _summary(text: str) -> str:
    return Truncator(text).chars(280)


@task()
def deliver_appeal(appeal_id: int, organization_ids: Sequence[int]) -> int:
    """Put the appeal in the inbox of a batch of its addressees, and queue their notifications.

    Inbox entries are unique per (organization, "appeal:<pk>") and e-mails per (person, entry):
    run again, this creates nothing and sends nothing twice. Returns how many inboxes were new.
    """
    appeal = (
        Appeal.objects.exclude(status__in=[Appeal.Status.DRAFT, Appeal.Status.CLOSED])
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        return 0
    ids = list(
        Addressee.objects.filter(appeal=appeal, organization_id__in=organization_ids).values_list(
            "organization_id", flat=True
        )
    )
    with transaction.atomic():
        new = inbox_deliver(
            organizations=ids,
            kind="appeal.received",
            key=f"appeal:{appeal.pk}",
            title=appeal.title,
            confidential=appeal.confidential,
            summary=_summary(appeal.text),
            url=appeal.url,
            urgency=appeal.urgency,
            deadline=appeal.deadline,
        )
        Addressee.objects.filter(
            appeal=appeal, organization_id__in=ids, delivered_at__isnull=True
        ).update(delivered_at=timezone.now())
    return len(new)


@task()
def deliver_update(update_id: int) -> int:
    """Put an update of the timeline in the inbox of every organization that responded."""
    update = AppealUpdate.objects.select_related("appeal").filter(pk=update_id).first()
    if update is None:
        return 0
    appeal = update.appeal
    responders = list(
        Response.objects.filter(appeal=appeal)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
        .distinct()
    )
    params = {"title": appeal.title, "outcome": update.data.get("outcome") or appeal.outcome}
    delivered = 0
    for start in range(0, len(responders), BATCH):
        with transaction.atomic():
            delivered += len(
                inbox_deliver(
                    organizations=responders[start : start + BATCH],
                    kind=f"appeal.{update.kind}",
                    key=f"appeal:{appeal.pk}:update:{update.pk}",
                    title_format=f"appeal.{update.kind}",
                    title_params=params,
                    confidential=update.confidential,
                    summary=_summary(update.text),
                    url=appeal.url,
                    urgency=appeal.urgency,
                    deadline=appeal.deadline,
                )
            )
    return delivered


@task()
def deliver_response(response_id: int) -> int:
    """Put an addressee's answer (acknowledged, pledged, declined, passed on) in the issuing
    organization's inbox, which notifies its admins and secretaries and its webhooks. One entry
    per answer: run again, this creates nothing. Returns how many inboxes were new (0 or 1)."""
    response = (
        Response.objects.select_related("appeal", "organization", "passed_to", "pledge")
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        return 0
    appeal = response.appeal
    summary = response.reason or (response.pledge.description if response.pledge else "")
    with transaction.atomic():
        new = inbox_deliver(
            organizations=[appeal.organization_id],
            kind="appeal.response",
            key=f"appeal-response:{response.pk}",
            title_format="appeal.response",
            title_params={
                "kind": response.kind,
                "organization": response.organization.name,
                "target": response.passed_to.name if response.passed_to else "",
                "title": appeal.title,
            },
            # Who answered what is between the issuer and the addressees (Response.audience).
            confidential=response.confidential,
            summary=_summary(summary),
            url=reverse("appeal_summary", args=[appeal.pk]),
            urgency=appeal.urgency,
            deadline=appeal.deadline,
        )
    return len(new)


@task()
def escalate_due_appeals() -> int:
    """Scheduled: widen the urgent appeals that too few have answered in time. Returns how many."""
    due = list(
        escalation_due(timezone.now()).order_by("escalate_at").values_list("pk", flat=True)[:100]
    )
    return sum(appeal_escalate(appeal_id=pk) for pk in due)
