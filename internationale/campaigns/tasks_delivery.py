"""Periodic work of campaigns after signing: delivering to the targets (delivery.py) and sending
updates to signers who asked for news (outcome.py). Safe to run twice; each works in batches."""

from django_tasks import task

from .delivery import deliver_all


@task()
def deliver_campaigns() -> int:
    """Send every delivery that is due. Queued every few minutes by the worker."""
    return deliver_all()


@task()
def send_campaign_update(update_id: int) -> int:
    """E-mail an update to the signers who asked for news, batch after batch (outcome.py)."""
    from .outcome import update_send

    return update_send(update_id)


@task()
def send_campaign_updates() -> int:
    """Finish sending every update not yet sent to all (after a worker died midway). Queued every
    few minutes by the worker."""
    from .outcome import update_send, updates_to_send

    return sum(update_send(pk) for pk in updates_to_send())
