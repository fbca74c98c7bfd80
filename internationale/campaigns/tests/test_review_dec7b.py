"""Review of 7 December (afternoon): a run of the worker's screening slower than its claim (its
rows taken again by the next run, as a dead run's are) writes nothing more of them once it goes
on: what the next run wrote of them stays as it is."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from internationale.campaigns import batch
from internationale.campaigns.models import Signature, SignatureIntake
from internationale.campaigns.signing import screen_batch, signature_receive

from .helpers import launched

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def screened_by_the_worker(settings):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = False


def test_a_run_slower_than_its_claim_does_not_sign_again_what_the_next_run_screened(
    sam, owner_org, settings, monkeypatch, django_capture_on_commit_callbacks
):
    campaign = launched(sam, owner_org)
    for n in range(2):
        signature_receive(
            campaign=campaign,
            first_name=f"Signer{n}",
            email=f"signer{n}@correo.example",
            country="BR",
            client_address="198.51.100.7",
        )
    # A run claims the intake, and stalls before it screens it.
    slow: list[SignatureIntake] = []
    monkeypatch.setattr(batch, "screen_rows", lambda rows: slow.extend(rows) or {})
    screen_batch()
    monkeypatch.undo()
    assert len(slow) == 2
    # Its claim goes stale: the next run takes the rows and screens them.
    SignatureIntake.objects.update(
        claimed_at=timezone.now()
        - datetime.timedelta(seconds=settings.INTERNATIONALE_CAMPAIGN_INTAKE_CLAIM_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert [s.outcome for s in screen_batch().values()] == ["new", "new"]
    written = list(Signature.objects.order_by("pk").values())
    sent = len(mail.outbox)
    # The slow run goes on: nothing of it is written, nobody signed again, no e-mail more.
    with django_capture_on_commit_callbacks(execute=True):
        assert batch.screen_rows(slow) == {}
    assert list(Signature.objects.order_by("pk").values()) == written
    assert all(s["again_at"] is None for s in written)
    assert len(mail.outbox) == sent
