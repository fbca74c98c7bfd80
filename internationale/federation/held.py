"""What a remote organization sent while it waited in the moderation queue (remote_orgs.py): its
appeals, their steps, its answers. The inbox records them, signed and checked like any other, as
`held` (ReceivedActivity.outcome) and changes nothing; once the organization is accepted, a task
acts on them (acting.py) in the order they came, as if they had arrived then, so that an appeal it
sent before its acceptance appears. One that the services refuse now is marked `refused` with the
reason's code kept on it (`refusal`, shown with what the organization held on its page in the
queue) and logged; so is one whose handling fails in any other way (`failed`, logged with its
traceback),
so that one bad activity does not stop the queue. Nothing is fetched again (the activity was
signed and of its sender's origin)."""

import logging

from django.db import transaction
from django_tasks import task

from . import acting, remote_orgs
from .models import ReceivedActivity, RemoteOrganization

HELD = "held"
REFUSED = "refused"
# The refusal's code kept on a held activity whose handling failed otherwise than by a refusal.
FAILED = "failed"
BATCH = 100

logger = logging.getLogger("internationale.federation")


def held_by(entry: RemoteOrganization, limit: int = BATCH) -> list[ReceivedActivity]:
    """What `entry` sent while it waited, still held or refused on its acceptance (with the
    refusal's code; an `Update` refused when its `Create` came too), oldest first: shown to
    those who decide on it (views_remote.py)."""
    found = ReceivedActivity.objects.filter(actor=entry.actor, outcome__in=(HELD, REFUSED))
    return list(
        found.only("activity_id", "activity_type", "received_at", "outcome", "refusal").order_by(
            "received_at", "pk"
        )[:limit]
    )


def queue(entry: RemoteOrganization) -> None:
    """Act on what `entry` sent while it waited, once its acceptance commits."""
    transaction.on_commit(lambda: act_on_held.enqueue(entry.pk))


@task()
def act_on_held(entry_id: int) -> int:
    """Act on up to BATCH of the activities the accepted remote organization `entry_id` sent
    while it waited, oldest first, each in a transaction of its own; another run is queued for
    the rest. Nothing when it is no longer accepted (refused, blocked meanwhile)."""
    entry = RemoteOrganization.objects.filter(pk=entry_id).first()
    accepted = remote_orgs.accepted(entry.actor) if entry is not None else None
    if accepted is None:
        return 0
    waiting = ReceivedActivity.objects.filter(actor=accepted.actor, outcome=HELD).order_by(
        "received_at", "pk"
    )
    done = 0
    for received in waiting[:BATCH]:
        try:
            with transaction.atomic():
                # Claimed: of two runs at once, one acts on it.
                if not ReceivedActivity.objects.filter(pk=received.pk, outcome=HELD).update(
                    outcome=""
                ):
                    continue
                received.outcome = ""
                acting.act(received, received.payload, accepted)
        except acting.ActRefused as error:
            ReceivedActivity.objects.filter(pk=received.pk, outcome=HELD).update(
                outcome=REFUSED, refusal=error.code[:60]
            )
            logger.warning(
                "held activity %s refused on acceptance: %s", received.activity_id, error.code
            )
        except Exception:
            # Anything else (a fault in acting on it) rolled its claim back: marked refused, so
            # that the queue goes on past it instead of stopping at it on every run.
            ReceivedActivity.objects.filter(pk=received.pk, outcome=HELD).update(
                outcome=REFUSED, refusal=FAILED
            )
            logger.exception("held activity %s failed on acceptance", received.activity_id)
        done += 1
    if waiting.exists():
        queue(accepted)
    return done
