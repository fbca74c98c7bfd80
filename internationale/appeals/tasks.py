"""Background work for appeals. Every task is safe to run twice, and works on a batch."""

import datetime
import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Addressee, Appeal, AppealUpdate, Response
from .services import appeal_escalate, appeal_send_finish, escalation_due, sends_stalled

logger = logging.getLogger("internationale.appeals")


def _summary(text: str) -> str:
    return Truncator(text).chars(280)


@task()
def send_appeal(appeal_id: int, sent_by: int | None = None) -> int:
    """Finish a send: record the appeal's addressees, open it, queue its delivery. Safe to run
    twice (see `appeal_send_finish`). Returns how many addressees it has."""
    return appeal_send_finish(appeal_id=appeal_id, sent_by=sent_by)


@task()
def finish_stalled_sends() -> int:
    """Scheduled: finish the sends whose task failed or was lost (an appeal still "sending" long
    after it was sent). Returns how many."""
    stalled = list(sends_stalled(timezone.now()).values_list("pk", flat=True)[:20])
    finished = 0
    for pk in stalled:
        # One send that fails again (its log says why) does not hold back the others.
        try:
            appeal_send_finish(appeal_id=pk)
        except Exception:
            logger.exception("could not finish sending appeal %s", pk)
        else:
            finished += 1
    return finished


@task()
def deliver_appeal(appeal_id: int, organization_ids: Sequence[int]) -> int:
    """Send the appeal to a batch of its addressees as a notice (their inboxes, e-mail, webhooks)
    and mark them delivered.

    Inbox entries are unique per (organization, appeal, kind) and e-mails per (person, entry): run
    again, this delivers nothing twice. Returns how many addressees were not yet delivered.
    """
    appeal = (
        Appeal.objects.exclude(
            status__in=[Appeal.Status.DRAFT, Appeal.Status.SENDING, Appeal.Status.CLOSED]
        )
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        return 0
    with transaction.atomic():
        rows = list(
            Addressee.objects.filter(
                appeal=appeal, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("pk", "organization_id")
        )
        ids = [organization_id for _pk, organization_id in rows]
        notice_send(
            kind="appeal.received",
            source=appeal,
            organizations=ids,
            params={"title": appeal.title},
            sender=appeal.organization_id,
            summary=_summary(appeal.text),
            urgency=appeal.urgency,
            deadline=appeal.deadline,
            inbox_now=True,  # in this task: their inboxes are filled as the batch is delivered
        )
        # By primary key: a list of plain ids is cheaper to filter on than foreign keys.
        Addressee.objects.filter(pk__in=[pk for pk, _o in rows], delivered_at__isnull=True).update(
            delivered_at=timezone.now()
        )
    return len(ids)


@task()
def deliver_update(update_id: int) -> int:
    """Tell every organization that responded about an update of the timeline."""
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
    with transaction.atomic():
        notice_send(
            kind=f"appeal.{update.kind}",
            source=update,
            organizations=responders,
            params=params,
            sender=appeal.organization_id,
            summary=_summary(update.text),
            urgency=appeal.urgency,
            deadline=appeal.deadline,
            inbox_now=True,  # in this task: no second task for the inboxes
        )
    return len(responders)


@task()
def deliver_response(response_id: int) -> int:
    """Tell the issuing organization about an addressee's answer (acknowledged, pledged, declined,
    passed on): its inbox, its admins and secretaries, its webhooks. One entry per answer: run
    again, this delivers nothing twice. Returns to how many organizations (0 or 1)."""
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
        notice_send(
            kind="appeal.response",
            source=response,
            organizations=[appeal.organization_id],
            sender=response.organization_id,
            params={
                "kind": response.kind,
                "organization": response.organization.name,
                "target": response.passed_to.name if response.passed_to else "",
                "title": appeal.title,
                # The forms pledged, worded in each reader's language (notices.py).
                "forms": response.pledge.forms if response.pledge else [],
            },
            summary=_summary(summary),
            urgency=appeal.urgency,
            deadline=appeal.deadline,
            inbox_now=True,  # in this task: no second task for the issuer's inbox
        )
    return 1


def appeals_to_escalate(now: datetime.datetime) -> QuerySet[Appeal, int]:
    """The urgent appeals (a hundred at most, the longest due first) due for escalation."""
    return escalation_due(now).order_by("escalate_at").values_list("pk", flat=True)[:100]


@task()
def escalate_due_appeals() -> int:
    """Scheduled: widen the urgent appeals that too few have answered in time. Returns how many."""
    due = list(appeals_to_escalate(timezone.now()))
    return sum(appeal_escalate(appeal_id=pk) for pk in due)
