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


def test_a_confirmation_wakes_the_count_so_the_public_count_shows_it_without_the_periodic_run(
    sam, owner_org, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    from internationale.campaigns import signing
    from internationale.core.worker import run_pending_tasks

    settings.INTERNATIONALE_CAMPAIGN_COUNT_ENQUEUE_SECONDS = 60
    signing._count_queued[0] = float("-inf")
    campaign = launched(sam, owner_org)
    signatures = [
        campaign_sign(
            campaign=campaign, first_name=f"S{i}", email=f"s{i}@mail.example", country="BR"
        ).signature
        for i in range(2)
    ]
    for signature in signatures:  # two signers confirm from their e-mails, through the API
        with django_capture_on_commit_callbacks(execute=True):
            answer = Client().post(
                "/api/v1/campaigns/signatures/confirm",
                {"token": confirmation_token(signature)},
                content_type="application/json",
            )
        assert answer.status_code == 200
    # One count queued for both (at most one a second per process), none of the periodic ones.
    assert run_pending_tasks(only="internationale.campaigns.tasks.count_signatures") == 1
    assert SignatureCount.objects.get(campaign=campaign).signatures == 2
    assert Client().get(f"/api/v1/campaigns/{campaign.pk}/public").json()["signatures"] == 2
