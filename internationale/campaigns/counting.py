"""Counting signatures: the public count of each campaign is one row (`SignatureCount`) that the
counting task brings up to date in batches, never a row every signature updates (a hot row is what
stops a petition site under a flood).

Every 2 s (INTERNATIONALE_WORKER_BESIDE_TASKS: `count_signatures`, run by the worker beside its
queue, so that no long task under way holds it back), the task takes the
signatures confirmed since its last run (the partial index `signature_to_count`), marks them
`counted` and adds them to their campaigns' counts, in one transaction per batch; the kept public
page of each campaign whose count changed is changed with it (public_page.py). A run that died
midway counted its batch or nothing; two runs at once count each signature once (the batch's rows
are locked, and only those still `confirmed` are counted).
"""

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import F, QuerySet

from .models import Signature, SignatureCount

BATCH = 5000


def signatures_to_count(now: datetime.datetime | None = None) -> QuerySet[Signature]:
    """The confirmed signatures not yet counted, oldest first: the task's query (registered with
    core.history.register_periodic_query, so a test checks an index serves it)."""
    return Signature.objects.filter(status=Signature.Status.CONFIRMED).order_by("id")


def count_batch(batch: int = BATCH) -> dict[int, int]:
    """Count one batch: returns how many signatures were added, per campaign."""
    with transaction.atomic():
        rows = list(
            signatures_to_count().select_for_update().values_list("id", "campaign_id")[:batch]
        )
        if not rows:
            return {}
        ids = [pk for pk, _campaign in rows]
        Signature.objects.filter(pk__in=ids, status=Signature.Status.CONFIRMED).update(
            status=Signature.Status.COUNTED
        )
        added = Counter(campaign for _pk, campaign in rows)
        from .public_page import changed

        for campaign_id, n in added.items():
            updated = SignatureCount.objects.filter(campaign_id=campaign_id).update(
                signatures=F("signatures") + n
            )
            if not updated:
                SignatureCount.objects.create(campaign_id=campaign_id, signatures=n)
            changed(campaign_id)
    return dict(added)


def count_all(batch: int = BATCH) -> int:
    """Count every confirmed signature waiting, batch by batch. Returns how many."""
    total = 0
    while True:
        added = count_batch(batch)
        if not added:
            return total
        total += sum(added.values())
