"""What signing leaves behind that is not kept forever (settings: INTERNATIONALE_CAMPAIGN_PRUNE_*).

- Signatures never confirmed, waiting or blocked by the screening, are deleted (with their
  consents) some days after they were made, by the daily prune of history (core/history.py). One
  whose link still works (sent again lately) waits until it expires.
- Invalidated signatures keep their row, so that the address cannot sign that campaign again and
  the operators' record of the invalidation stays whole, but are emptied of what names a person
  (names, e-mail address, city, union, the client's hashes, consents and news) some days after
  their invalidation, by a daily task. The e-mail address becomes `<id>@erased.invalid`: once
  emptied, the address may sign that campaign again.

Confirmed and counted signatures are kept as long as their campaign (they are what was delivered);
their signer erases one, whenever they like, by the link in the confirmation e-mail, which has no
expiry for that reason (sponsors.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from .models import Consent, NewsOptOut, Signature

ERASED_DOMAIN = "erased.invalid"
BATCH = 500


def unconfirmed_to_prune(cutoff: datetime.datetime) -> QuerySet[Signature]:
    """The signatures never confirmed made before `cutoff`, whose link no longer works (the index
    `signature_status_age`)."""
    return Signature.objects.filter(
        status__in=[Signature.Status.PENDING, Signature.Status.BLOCKED],
        created_at__lt=cutoff,
        token_expires_at__lt=timezone.now(),
    )


def invalidated_to_erase(now: datetime.datetime) -> QuerySet[Signature]:
    """The invalidated signatures not yet emptied, invalidated before the retention (the partial
    index `signature_invalidated`)."""
    days = settings.INTERNATIONALE_CAMPAIGN_PRUNE_INVALIDATED_DAYS
    return Signature.objects.filter(
        Q(status=Signature.Status.INVALIDATED) & ~Q(email_domain=ERASED_DOMAIN),
        invalidated_at__lt=now - datetime.timedelta(days=days),
    ).order_by()


def erase_invalidated(now: datetime.datetime | None = None) -> int:
    """Empty the personal fields of the invalidated signatures past their retention, batch by
    batch, each batch its own short transaction. Returns how many. A retention of 0 keeps them."""
    if not settings.INTERNATIONALE_CAMPAIGN_PRUNE_INVALIDATED_DAYS:
        return 0
    now = now or timezone.now()
    erased = 0
    while True:
        pks = list(invalidated_to_erase(now).values_list("pk", flat=True)[:BATCH])
        if not pks:
            return erased
        with transaction.atomic():
            Consent.objects.filter(signature_id__in=pks).delete()
            NewsOptOut.objects.filter(signature_id__in=pks).delete()
            for pk in pks:
                Signature.objects.filter(pk=pk, status=Signature.Status.INVALIDATED).update(
                    first_name="",
                    last_name="",
                    email=f"{pk}@{ERASED_DOMAIN}",
                    email_domain=ERASED_DOMAIN,
                    city="",
                    union="",
                    show_publicly=False,
                    wants_news=False,
                    client_hash="",
                    client_hash_wide="",
                    again_client_hash="",
                )
        erased += len(pks)
        if len(pks) < BATCH:
            return erased


@task()
def erase_invalidated_signatures() -> int:
    """Scheduled, daily (settings: INTERNATIONALE_PERIODIC_TASKS)."""
    return erase_invalidated()
