"""Delivering the letter and its signatures to the targets, in batches, by e-mail.

Each target has its own mark (`Target.delivered_until`: every signature confirmed up to that
moment was sent to it; and `delivered_at`). A batch holds the signatures confirmed after the mark
and up to a moment INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS ago, which becomes the new
mark: a confirmation is written with its moment and committed an instant later, so a batch cut at
"now" could pass over one still being committed, and it would never be sent. Marks by signature
id would miss more: a signature confirmed long after it was made (a low id) would come after the
mark of those confirmed before it. A periodic task (tasks_delivery.deliver_campaigns) looks at every campaign that
has signatures not yet delivered and, for each of its targets, sends one message when the
organizer's choice is met: `delivery_every` new signatures (by number), or a day since the last
message (daily); and, once the campaign has ended or is closed, what remains, whatever its size.
The message holds the letter's text and the new signatures as a CSV attachment (exports.py: no
signer's e-mail address), from the server to the target's address, replies to the organizer's.

Each message is one `Delivery` row, written in the same transaction that moves the target's mark,
with the target's row locked: two runs at once send each batch once. A target without an e-mail
address gets a `no_address` row (the organizer delivers by hand: the page offers the letter as
PDF); a message the mail server refuses, a `failed` row, and the mark does not move: the next run
tries again.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from internationale.core.mail import AUTO_SUBMITTED, header_text

from .exports import VALID, signatures_csv
from .models import Campaign, Delivery, Signature, Target

logger = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)


def _ended(campaign: Campaign, now: datetime.datetime) -> bool:
    return campaign.status == Campaign.Status.CLOSED or now >= campaign.ends_at


def _settle() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS)


def _beyond(campaign: Campaign, mark: datetime.datetime | None) -> QuerySet[Signature]:
    rows = Signature.objects.filter(campaign=campaign, status__in=VALID)
    return rows if mark is None else rows.filter(confirmed_at__gt=mark)


def _due(campaign: Campaign, target: Target, new: int, now: datetime.datetime) -> bool:
    if new <= 0:
        return False
    if _ended(campaign, now):
        return True
    if campaign.delivery == Campaign.Delivery.DAILY:
        return target.delivered_at is None or now - target.delivered_at >= DAY
    return new >= campaign.delivery_every


def target_deliver(target_id: int, now: datetime.datetime | None = None) -> Delivery | None:
    """Send the target its batch if one is due. Returns the Delivery written, or None."""
    now = now or timezone.now()
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .select_related("campaign__organization")
            .filter(pk=target_id)
            .first()
        )
        if target is None or target.campaign.status == Campaign.Status.DRAFT:
            return None
        campaign = target.campaign
        until = now - _settle()
        rows = _beyond(campaign, target.delivered_until).filter(confirmed_at__lte=until)
        new = rows.count()
        if not _due(campaign, target, new, now):
            return None
        batch = list(rows.order_by("confirmed_at", "id"))
        delivery = Delivery(
            campaign=campaign,
            target=target,
            confirmed_after=target.delivered_until,
            confirmed_until=until,
            signatures=len(batch),
        )
        if not target.email:
            delivery.status = Delivery.Status.NO_ADDRESS
        else:
            try:
                _send(campaign, target, batch, now)
            except Exception as error:  # noqa: BLE001 -- the mail server's refusal, logged
                logger.warning(
                    "delivery of campaign %s to target %s failed", campaign.pk, target.pk
                )
                delivery.status = Delivery.Status.FAILED
                delivery.error = str(error)[:300]
                delivery.save()
                return delivery
            delivery.status = Delivery.Status.SENT
        delivery.save()
        Target.objects.filter(pk=target.pk).update(delivered_until=until, delivered_at=now)
    return delivery


def _send(
    campaign: Campaign, target: Target, batch: list[Signature], now: datetime.datetime
) -> None:
    total = Signature.objects.filter(campaign=campaign, status__in=VALID).count()
    subject = header_text(
        _("%(title)s: %(n)s new signatures") % {"title": campaign.title, "n": len(batch)}
    )
    body = render_to_string(
        "campaigns/email/delivery.txt",
        {"campaign": campaign, "target": target, "new": len(batch), "total": total},
    )
    message = EmailMessage(subject, body, None, [target.email], headers=AUTO_SUBMITTED)
    name = f"{slugify(campaign.title)[:50] or 'campaign'}-{now:%Y%m%d-%H%M}.csv"
    message.attach(name, signatures_csv(batch), "text/csv")
    message.send()


def targets_to_deliver_query(now: object = None) -> QuerySet[Target]:
    """The targets of launched campaigns with confirmed signatures beyond their mark (each test
    reads the index `signature_campaign`)."""
    targets = Target.objects.filter(campaign__status__in=["open", "closed"])
    signatures = Signature.objects.filter(campaign=OuterRef("campaign"), status__in=VALID)
    never = Exists(signatures)
    beyond = Exists(signatures.filter(confirmed_at__gt=OuterRef("delivered_until")))
    return targets.filter((Q(delivered_until__isnull=True) & never) | beyond)


def targets_to_deliver() -> list[int]:
    return list(targets_to_deliver_query().values_list("pk", flat=True))


def deliver_all(now: datetime.datetime | None = None) -> int:
    """Every due delivery. Returns how many messages were sent."""
    sent = 0
    for target_id in targets_to_deliver():
        delivery = target_deliver(target_id, now)
        if delivery is not None and delivery.status == Delivery.Status.SENT:
            sent += 1
    return sent


def deliveries_of(campaign: Campaign) -> list[Delivery]:
    return list(
        Delivery.objects.filter(campaign=campaign).select_related("target").order_by("-id")[:200]
    )
