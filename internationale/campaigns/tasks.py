"""Background work for campaigns. Every task is safe to run twice, and works on a batch."""

import datetime
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text
from internationale.core.notices import notice_send

from .counting import count_all
from .models import Campaign, Signature, Sponsor
from .signing import confirmation_token, screen_batch


@task()
def deliver_sponsor_invitations(campaign_id: int, organization_ids: Sequence[int]) -> int:
    """Tell a batch of organizations invited to co-sponsor (their inboxes, e-mail, webhooks) and
    mark their invitations delivered. Inbox entries are unique per (organization, source, kind):
    run again, this delivers nothing twice. Returns how many were not yet delivered."""
    campaign = Campaign.objects.select_related("organization").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    with transaction.atomic():
        ids = list(
            Sponsor.objects.filter(
                campaign=campaign, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("organization_id", flat=True)
        )
        notice_send(
            kind="campaign.invited",
            source=campaign,
            organizations=ids,
            params={"organizer": campaign.organization.name, "title": campaign.title},
            sender=campaign.organization_id,
            summary=Truncator(campaign.text).chars(280),
            inbox_now=True,
        )
        Sponsor.objects.filter(campaign=campaign, organization_id__in=ids).update(
            delivered_at=timezone.now()
        )
    return len(ids)


def signer_language(tag: str) -> str:
    """The language of a signer's e-mails: theirs, by its primary subtag, when the platform speaks
    it; else the server's."""
    primary = (tag or "").split("-")[0].lower()
    spoken = {code for code, _name in settings.LANGUAGES}
    return primary if primary in spoken else settings.LANGUAGE_CODE


def _confirmation_message(signature: Signature) -> EmailMessage:
    """The e-mail with a pending signature's confirmation link, in the signer's language."""
    link = absolute_url(reverse("campaign_confirm", args=[confirmation_token(signature)]))
    with translation.override(signer_language(signature.language)):
        subject = header_text(
            _("Confirm your signature: %(title)s") % {"title": signature.campaign.title}
        )
        body = render_to_string(
            "campaigns/email/confirm.txt",
            {
                "signature": signature,
                "campaign": signature.campaign,
                "link": link,
                "hours": settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_HOURS,
            },
        )
    return EmailMessage(subject, body, None, [signature.email], headers=AUTO_SUBMITTED)


def _claim(only: int | None = None) -> tuple[datetime.datetime, list[Signature]]:
    """Claim up to a batch of the signatures owing a confirmation e-mail, unclaimed or claimed by
    a run that died (older than CLAIM_SECONDS), in one UPDATE (atomic on every database: of two
    runs at once, each row goes to one); return the claim's time and the rows it took."""
    now = timezone.now()
    stale = now - datetime.timedelta(
        seconds=settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_CLAIM_SECONDS
    )
    owed = Signature.objects.filter(confirmation_due=True).filter(
        Q(confirmation_claimed_at__isnull=True) | Q(confirmation_claimed_at__lt=stale)
    )
    if only is not None:
        owed = owed.filter(pk=only)
    batch = owed.order_by("id").values("id")[: settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_BATCH]
    claimed = Signature.objects.filter(
        Q(confirmation_claimed_at__isnull=True) | Q(confirmation_claimed_at__lt=stale),
        confirmation_due=True,
        pk__in=list(batch.values_list("id", flat=True)),
    ).update(confirmation_claimed_at=now)
    if not claimed:
        return now, []
    rows = Signature.objects.select_related("campaign__organization").filter(
        confirmation_due=True, confirmation_claimed_at=now
    )
    return now, list(rows.order_by("id"))


def _send_claimed(claim: datetime.datetime, signatures: list[Signature]) -> int:
    """Send the claimed rows' e-mails over one mail connection, each marked sent as soon as it is:
    a run that dies leaves the rest claimed, taken again once the claim is stale (no e-mail lost;
    the one being sent when it died may go twice). The claim is short (CLAIM_SECONDS), so that a
    killed worker's batch goes out soon after the worker is back; this run renews it on the rows
    left every third of it, so that no other run takes a batch still being sent. A row signed
    again meanwhile (a new link: its claim was dropped) is left owed, for the next batch to send
    with that link."""
    sent = 0
    renew = settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_CLAIM_SECONDS / 3
    renewed = time.monotonic()
    with get_connection() as mail:
        for signature in signatures:
            if time.monotonic() - renewed >= renew:
                claim = _renew(claim)
                renewed = time.monotonic()
            done = Signature.objects.filter(confirmation_claimed_at=claim)
            if signature.status == Signature.Status.PENDING:
                message = _confirmation_message(signature)
                message.connection = mail
                message.send()
                sent += 1
            # Confirmed, blocked or invalidated meanwhile: nothing to send, nothing owed.
            done.filter(pk=signature.pk).update(
                confirmation_due=False, confirmation_claimed_at=None
            )
    return sent


def _renew(claim: datetime.datetime) -> datetime.datetime:
    """Renew a live run's claim on the rows of its batch still owed; returns the new claim."""
    now = timezone.now()
    Signature.objects.filter(confirmation_due=True, confirmation_claimed_at=claim).update(
        confirmation_claimed_at=now
    )
    return now


@task()
def send_confirmations() -> int:
    """Send the confirmation e-mails owed, in batches of INTERNATIONALE_CAMPAIGN_CONFIRMATION_BATCH
    over one mail connection each, until none is owed (at most 50 batches a run). Queued by the
    signing (at most once a second per web process) and every 5 s by the worker. Returns how many
    were sent."""
    sent = 0
    for _batch in range(50):
        claim, signatures = _claim()
        if not signatures:
            break
        sent += _send_claimed(claim, signatures)
    return sent


@task()
def send_confirmation(signature_id: int) -> bool:
    """One signature's confirmation e-mail: the task queued per signature before the batches.
    Sent if owed (claimed as a batch of one); a pending signature from before the batches (never
    marked owed: nothing queues this task any more) is sent as it was then."""
    claim, signatures = _claim(only=signature_id)
    if signatures:
        return _send_claimed(claim, signatures) > 0
    signature = (
        Signature.objects.select_related("campaign__organization")
        .filter(pk=signature_id, status=Signature.Status.PENDING, confirmation_due=False)
        .first()
    )
    if signature is None:
        return False
    _confirmation_message(signature).send()
    return True


# After the count, before the confirmation e-mails and the tasks of the default priority: the
# e-mails are owed by what the screening writes.
SCREEN_PRIORITY = 5


@task(priority=SCREEN_PRIORITY)
def screen_signatures() -> int:
    """Screen the signatures received (signing.screen_batch), batch by batch, sending the links
    each batch owes as soon as it is written, until none is waiting or
    INTERNATIONALE_CAMPAIGN_SCREEN_RUN_SECONDS have passed (the count, of a higher priority, runs
    between two runs). Queued by the signing (at most once a second per web process) and every
    2 s by the worker. Returns how many were screened."""
    screened = 0
    stop = time.monotonic() + settings.INTERNATIONALE_CAMPAIGN_SCREEN_RUN_SECONDS
    for _batch in range(50):
        done = screen_batch()
        if not done:
            break
        screened += len(done)
        # Their links at once: queued behind this task (of a higher priority, queued again every
        # second under a flood), the e-mails would wait for the flood to end.
        send_confirmations.call()
        if time.monotonic() >= stop:
            break
    return screened


# Before the tasks of the default priority: under a flood of signatures the worker may have a
# backlog (confirmation batches, other apps' tasks), and a count queued behind it would fall behind
# the 10 s it may be. One run counts every confirmed signature waiting, in batches.
COUNT_PRIORITY = 10


@task(priority=COUNT_PRIORITY)
def count_signatures() -> int:
    """Add the signatures confirmed since the last run to their campaigns' counts (counting.py).
    Queued every few seconds by the worker, run before the tasks waiting at the default
    priority."""
    return count_all()
