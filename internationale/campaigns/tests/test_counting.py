"""Counting in batches: no row is updated by every signature, each confirmed signature is counted
once, and the worker runs the count often enough to be at most 10 s behind."""

import threading
import time

import pytest
from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError, connections

from internationale.campaigns.counting import count_batch, signatures_to_count
from internationale.campaigns.models import Signature, SignatureCount
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tasks import count_signatures, send_confirmation
from internationale.campaigns.tests.signers import campaign_sign
from internationale.core.history import periodic_queries
from internationale.core.worker import PlatformWorker, ready_tasks

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


def test_the_count_runs_at_most_two_seconds_apart_and_its_query_is_declared():
    # Run by the worker itself beside its queue, not queued behind the tasks under way.
    every = dict(settings.INTERNATIONALE_WORKER_BESIDE_TASKS)[
        "internationale.campaigns.tasks.count_signatures"
    ]
    assert every <= 2
    assert periodic_queries()["confirmed signatures to count"] is signatures_to_count


class HeldBackend(EmailBackend):
    """A mail server that holds the worker's batch of e-mails until the test lets it go."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        HeldBackend.sending.set()
        HeldBackend.release.wait(timeout=60)
        return super().send_messages(messages)


def _count(campaign) -> int:  # type: ignore[no-untyped-def]
    try:
        found = SignatureCount.objects.filter(campaign=campaign).first()
    except OperationalError:  # the worker's thread writing the shared in-memory test database
        return -1
    return found.signatures if found else 0


@pytest.mark.skipif(
    connections["default"].vendor == "sqlite",
    reason="a worker thread beside the test: SQLite's in-memory test database, shared between "
    "threads, locks whole tables ('database table is locked'); run on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_the_public_count_follows_a_confirmation_while_the_worker_is_busy_with_a_long_task(
    sam, owner_org, settings
):
    settings.EMAIL_BACKEND = "internationale.campaigns.tests.test_counting.HeldBackend"
    HeldBackend.sending.clear()
    HeldBackend.release.clear()
    campaign = launched(sam, owner_org)
    signed = [
        campaign_sign(
            campaign=campaign, first_name=f"S{i}", email=f"s{i}@mail.example", country="BR"
        ).signature
        for i in range(2)
    ]
    worker = PlatformWorker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="busy-worker",
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()  # the worker thread's own

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        # The worker takes the batch of confirmation e-mails; the mail server holds it.
        assert HeldBackend.sending.wait(timeout=60)
        signature_confirm(token=confirmation_token(signed[0]))  # queues a count, behind it
        deadline = time.monotonic() + 10
        while _count(campaign) != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        # Counted within seconds while the e-mails are still held: not queued behind them.
        assert _count(campaign) == 1
        assert not HeldBackend.release.is_set()
    finally:
        HeldBackend.release.set()
        worker.running = False
        thread.join(timeout=60)
    assert not thread.is_alive()


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
    count_signatures.enqueue()  # as the confirmation's commit queues it
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
