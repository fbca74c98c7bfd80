"""Periodic work of campaigns after signing: delivering to the targets (delivery.py) and sending
updates to signers who asked for news (outcome.py). Safe to run twice; each works in batches."""

from django_tasks import task

from .delivery import deliver_all


@task()
def deliver_campaigns() -> int:
    """Send every delivery that is due. Queued every few minutes by the worker."""
    return deliver_all()
