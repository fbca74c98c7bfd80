"""What federation leaves behind, pruned by the daily prune of history (core/history.py):
received activities older than INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS (an `Update` that
came before its `Create` after INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS), and deliveries no
longer pending (arrived, given up, cancelled by a block) recorded more than
INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS ago; activities to one inbox (the `Accept` of a
follow, a `Block`) with no delivery pending, recorded more than
INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS ago (what went to the followers is the outbox: it is
kept); retired keys (keys.py). A retention of 0 keeps them. A delivery
still pending is never pruned; it is given up after FEDERATION_GIVE_UP_DAYS first."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from .models import Delivery, ErasedActorKey, OutgoingActivity, ReceivedActivity


def received_to_prune(cutoff: datetime.datetime) -> QuerySet[ReceivedActivity]:
    return ReceivedActivity.objects.filter(received_at__lt=cutoff)


def early_to_drop(cutoff: datetime.datetime) -> QuerySet[ReceivedActivity]:
    """The `Update`s that came before their `Create` (receiving.EARLY) and waited for it longer
    than FEDERATION_EARLY_UPDATE_DAYS: dropped, not kept for the prune of received activities."""
    from .receiving import EARLY  # receiving imports the models this module serves

    return ReceivedActivity.objects.filter(outcome=EARLY, received_at__lt=cutoff)


def deliveries_to_prune(cutoff: datetime.datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(created_at__lt=cutoff).exclude(status=Delivery.Status.PENDING)


def outgoing_to_prune(cutoff: datetime.datetime) -> QuerySet[OutgoingActivity]:
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).values("activity_id")
    return (
        OutgoingActivity.objects.filter(created_at__lt=cutoff, fanned_out_at__isnull=False)
        .exclude(inbox="")
        .exclude(pk__in=pending)
    )


def erased_addresses_to_prune(cutoff: datetime.datetime) -> QuerySet[ErasedActorKey]:
    """The keys served at the addresses an erase left (models.ErasedActorKey) whose organization
    has nothing left to deliver: its `Delete`s arrived or were given up. The address itself
    stays gone for good (models.ErasedActor), and its slug taken."""
    theirs = OutgoingActivity.objects.filter(organization_id=OuterRef("erased__organization_id"))
    waiting = theirs.filter(fanned_out_at__isnull=True)
    pending = Delivery.objects.filter(
        activity__organization_id=OuterRef("erased__organization_id"),
        status=Delivery.Status.PENDING,
    )
    return ErasedActorKey.objects.filter(created_at__lt=cutoff).exclude(
        Exists(waiting) | Exists(pending)
    )
