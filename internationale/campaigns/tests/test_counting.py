"""Counting in batches: no row is updated by every signature, each confirmed signature is counted
once, and the worker runs the count often enough to be at most 10 s behind."""

from django.conf import settings

from internationale.campaigns.counting import count_batch, signatures_to_count
from internationale.campaigns.models import Signature, SignatureCount
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tasks import send_confirmation
from internationale.campaigns.tests.signers import campaign_sign
from internationale.core.history import periodic_queries
from internationale.core.worker import housekeeping_interval, queue_due_periodic, ready_tasks

from .helpers import launched


def _confirmed(campaign, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        signed = campaign_sign(
            campaign=campaign, first_name=f"S{i}", email=f"s{i}@mail.example", country="BR"
        )
        signature_confirm(token=confirmation_token(signed.signature))


def test_confirmed_signatures_are_counted_once_in_batches(sam, owner_org):
    first = launched(sam, owner_org, title="First")
    second = launched(sam, owner_org, title="Second")
    _confirmed(first, 5)
    _confirmed(second, 2)
    campaign_sign(campaign=first, first_name="Unconfirmed", email="u@mail.example", country="BR")
    assert count_batch(batch=4) == {first.pk: 4}
    assert count_batch(batch=4) == {first.pk: 1, second.pk: 2}
    assert count_batch(batch=4) == {}
    assert SignatureCount.objects.get(campaign=first).signatures == 5
    assert SignatureCount.objects.get(campaign=second).signatures == 2
    assert Signature.objects.filter(status="pending").count() == 1


def test_the_count_runs_at_most_ten_seconds_apart_and_its_query_is_declared():
    every = dict(settings.INTERNATIONALE_PERIODIC_TASKS)[
        "internationale.campaigns.tasks.count_signatures"
    ]
    assert every <= 10
    # The worker's housekeeping, which queues periodic tasks, wakes at least that often.
    assert housekeeping_interval() <= every
    assert periodic_queries()["confirmed signatures to count"] is signatures_to_count


def test_the_count_is_run_before_a_backlog_of_confirmation_emails(sam, owner_org):
    campaign = launched(sam, owner_org)
    signed = [
        campaign_sign(
            campaign=campaign, first_name=f"S{i}", email=f"s{i}@mail.example", country="BR"
        ).signature
        for i in range(3)
    ]
    for signature in signed:  # a flood's e-mails, queued before the count is due
        send_confirmation.enqueue(signature.pk)
    signature_confirm(token=confirmation_token(signed[0]))
    queue_due_periodic({})
    next_task = ready_tasks().get()
    assert next_task.task_path == "internationale.campaigns.tasks.count_signatures"
