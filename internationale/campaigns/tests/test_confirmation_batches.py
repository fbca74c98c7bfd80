"""Confirmation e-mails are sent in batches (tasks.send_confirmations): one run sends every
e-mail owed over one mail connection, each once; a run that dies loses none (its claim is taken
again once stale); a signer who signs again meanwhile gets the new link."""

import datetime
import re

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.campaigns.models import Signature
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tasks import (
    _claim,
    _send_claimed,
    screen_signatures,
    send_confirmations,
)
from internationale.campaigns.tests.signers import campaign_sign

from .helpers import launched

pytestmark = pytest.mark.django_db

LOCMEM = "internationale.campaigns.tests.test_confirmation_batches.CountingBackend"


class CountingBackend(EmailBackend):
    opened = 0

    def open(self) -> bool:
        CountingBackend.opened += 1
        return super().open()


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org)


def _sign(campaign, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        campaign_sign(campaign=campaign, first_name=f"S{i}", email=f"s{i}@x.example", country="BR")


def _confirm_from(message) -> int:  # type: ignore[no-untyped-def]
    link = re.search(r"https?://\S+/campaigns/confirm/\S+", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    return Client().post(path).status_code


def test_one_run_sends_every_owed_email_over_one_connection_and_nothing_twice(campaign, settings):
    settings.EMAIL_BACKEND = LOCMEM
    settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_BATCH = 2  # three batches for five
    _sign(campaign, 5)
    CountingBackend.opened = 0
    assert send_confirmations.call() == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"s{i}@x.example" for i in range(5)]
    assert CountingBackend.opened == 3  # one connection per batch, not per e-mail
    assert send_confirmations.call() == 0
    assert len(mail.outbox) == 5
    assert not Signature.objects.filter(confirmation_due=True).exists()


def test_a_run_that_died_after_claiming_loses_no_email(campaign, settings):
    _sign(campaign, 3)
    _claim()  # the run dies here: claimed, nothing sent
    assert send_confirmations.call() == 0  # claimed by the dead run, not yet stale
    assert mail.outbox == []
    stale = datetime.timedelta(seconds=settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_CLAIM_SECONDS)
    claimed = Signature.objects.get(email="s0@x.example").confirmation_claimed_at
    Signature.objects.update(confirmation_claimed_at=claimed - stale - datetime.timedelta(1))
    assert send_confirmations.call() == 3
    assert len(mail.outbox) == 3
    assert all(_confirm_from(m) in (200, 302) for m in mail.outbox)
    assert Signature.objects.filter(status=Signature.Status.CONFIRMED).count() == 3


def test_signing_again_during_a_batch_sends_the_new_link(campaign, settings):
    settings.INTERNATIONALE_CAMPAIGN_RESEND_SECONDS = 0
    _sign(campaign, 1)
    claim, rows = _claim()
    _sign(campaign, 1)  # the same address again: a new link, the old one stops working
    _send_claimed(claim, rows)  # the batch sends the link it read
    assert send_confirmations.call() == 1  # and the next, the new one
    assert len(mail.outbox) == 2
    signature = Signature.objects.get()
    assert mail.outbox[-1].body.count(confirmation_token(signature)) == 1
    assert _confirm_from(mail.outbox[-1]) in (200, 302)
    assert Signature.objects.get().status == Signature.Status.CONFIRMED


def test_a_signature_confirmed_before_its_batch_is_not_sent(campaign):
    _sign(campaign, 2)
    signature_confirm(token=confirmation_token(Signature.objects.get(email="s0@x.example")))
    assert send_confirmations.call() == 1
    assert [m.to[0] for m in mail.outbox] == ["s1@x.example"]
    assert not Signature.objects.filter(confirmation_due=True).exists()


def test_a_flood_of_signatures_through_the_api_queues_one_batch_for_all(
    campaign, settings, django_capture_on_commit_callbacks
):
    from internationale.campaigns import signing

    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = False  # the worker screens
    settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS = 60
    settings.INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS = 60
    signing._queued[0] = float("-inf")
    signing._screen_queued[0] = float("-inf")
    for i in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            answer = Client().post(
                f"/api/v1/campaigns/{campaign.pk}/signatures",
                {"first_name": f"F{i}", "email": f"f{i}@x.example", "country": "BR"},
                content_type="application/json",
            )
        assert answer.status_code == 202
    # One screening queued for the four; it writes them and sends their four e-mails.
    screening = DBTaskResult.objects.filter(
        task_path="internationale.campaigns.tasks.screen_signatures"
    )
    assert screening.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert screen_signatures.call() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"f{i}@x.example" for i in range(4)]
    assert not Signature.objects.filter(confirmation_due=True).exists()
    # The batch queued meanwhile finds nothing owed.
    queued = DBTaskResult.objects.filter(
        task_path="internationale.campaigns.tasks.send_confirmations"
    )
    assert queued.count() == 1
    assert send_confirmations.call() == 0
    signing._queued[0] = float("-inf")
    signing._screen_queued[0] = float("-inf")


class Killed(BaseException):
    """The worker's process killed while it sends (SIGKILL: nothing after it runs)."""


class DiesOnTheThirdBackend(EmailBackend):
    """A mail connection whose worker is killed as it sends the third e-mail of a run."""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if len(mail.outbox) >= 2:
            raise Killed
        return super().send_messages(messages)


def test_the_links_a_killed_worker_left_go_out_within_30_seconds_of_it_being_back(
    campaign, settings
):
    settings.EMAIL_BACKEND = (
        "internationale.campaigns.tests.test_confirmation_batches.DiesOnTheThirdBackend"
    )
    _sign(campaign, 5)
    with pytest.raises(Killed):
        send_confirmations.call()
    # Two links went; the batch's other three wait, claimed by the dead run.
    assert len(mail.outbox) == 2
    assert Signature.objects.filter(confirmation_due=True).count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_confirmations.call() == 0  # moments later: the claim may be a live run's
    # The worker is back and its periodic run (every 5 s) comes 20 s after the kill: the three
    # go out then, not once a five-minute claim has passed.
    Signature.objects.filter(confirmation_due=True).update(
        confirmation_claimed_at=timezone.now() - datetime.timedelta(seconds=20)
    )
    assert send_confirmations.call() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"s{i}@x.example" for i in range(5)]
    assert all(_confirm_from(m) in (200, 302) for m in mail.outbox)
    assert Signature.objects.filter(status=Signature.Status.CONFIRMED).count() == 5


class SlowBackend(EmailBackend):
    """A mail server taking 10 s an e-mail (on a clock the test moves), during which another run
    tries to take the batch."""

    clock: list[float] = [0.0]
    taken: list[int] = []

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        SlowBackend.clock[0] += 10
        SlowBackend.taken.append(len(_claim()[1]))
        return super().send_messages(messages)


def test_a_batch_sent_slowly_is_not_taken_by_another_run_and_no_link_goes_twice(
    campaign, settings, monkeypatch
):
    from internationale.campaigns import tasks

    settings.EMAIL_BACKEND = "internationale.campaigns.tests.test_confirmation_batches.SlowBackend"
    real_now = timezone.now
    SlowBackend.clock[0], SlowBackend.taken[:] = 0.0, []
    monkeypatch.setattr(
        tasks.timezone,
        "now",
        lambda: real_now() + datetime.timedelta(seconds=SlowBackend.clock[0]),
    )
    monkeypatch.setattr(tasks.time, "monotonic", lambda: SlowBackend.clock[0])
    _sign(campaign, 5)
    assert send_confirmations.call() == 5
    # 50 s for five e-mails, more than three claims' time: the claim was renewed, so no other
    # run took any of the batch, and each signer got one link.
    assert SlowBackend.taken == [0, 0, 0, 0, 0]
    assert sorted(m.to[0] for m in mail.outbox) == [f"s{i}@x.example" for i in range(5)]
    assert not Signature.objects.filter(confirmation_due=True).exists()
