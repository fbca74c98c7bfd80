"""The signing limits hold for signatures screened at the same moment: each screening holds the
keys it counts (client address, site, e-mail domain) until its commit (batch._hold_limits), so
that two screenings of one key count one after the other. PostgreSQL only: SQLite serializes the
writing transactions (BEGIN IMMEDIATE), and its test database is in memory."""

import contextlib
import threading

import pytest
from django.utils import timezone

from internationale.campaigns import batch
from internationale.campaigns.models import ScreeningRule, Signature, SignatureIntake
from internationale.campaigns.signing import signature_receive
from internationale.core.tests.concurrency import concurrently, needs_row_locks

from .helpers import launched


def _sign(campaign, email, address="192.0.2.1"):  # type: ignore[no-untyped-def]
    return signature_receive(
        campaign=campaign, first_name="X", email=email, country="ES", client_address=address
    )


@pytest.fixture
def both_count_before_either_decides(monkeypatch):  # type: ignore[no-untyped-def]
    """Each screening waits (up to 3 s) for the other to have counted before it decides: without
    the keys held, both count the signatures written before either."""
    counted = threading.Barrier(2)
    real = batch._Batch.decide

    def decide(self, row):  # type: ignore[no-untyped-def]
        # On a timeout, the other waits for this one's commit: it counts after it.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=3)
        return real(self, row)

    monkeypatch.setattr(batch._Batch, "decide", decide)


def _statuses(campaign):  # type: ignore[no-untyped-def]
    return sorted(
        Signature.objects.filter(campaign=campaign).values_list("email", "status", "reason")
    )


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_signatures_sent_at_the_same_moment_from_one_address_are_held_to_its_limit(
    sam, owner_org, settings, both_count_before_either_decides
):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 2
    campaign = launched(sam, owner_org)
    _sign(campaign, "first@a.example")
    outcomes = concurrently(
        lambda: _sign(campaign, "second@b.example"), lambda: _sign(campaign, "third@c.example")
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = _statuses(campaign)
    # Two a minute from one address: one at a time accepts the second and blocks the third.
    pending = [s for s in statuses if s[1] == Signature.Status.PENDING]
    blocked = [s for s in statuses if s[1] == Signature.Status.BLOCKED]
    assert len(pending) == 2 and len(blocked) == 1, statuses
    assert blocked[0][2] == "address_burst", statuses


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_screening_one_domain_at_the_same_moment_are_held_to_its_limit(
    sam, owner_org, settings, both_count_before_either_decides
):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN = 2
    campaign = launched(sam, owner_org)
    _sign(campaign, "first@busy.example", "192.0.2.1")
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = False
    # Two signers of one domain from different addresses and sites, each in its own worker's
    # batch, screened at the same moment.
    _sign(campaign, "second@busy.example", "198.51.100.2")
    _sign(campaign, "third@busy.example", "2001:db8:9::1")
    SignatureIntake.objects.update(claimed_at=timezone.now())
    first, second = SignatureIntake.objects.select_related("campaign").order_by("id")
    outcomes = concurrently(lambda: batch.screen_rows([first]), lambda: batch.screen_rows([second]))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = _statuses(campaign)
    blocked = [s for s in statuses if s[1] == Signature.Status.BLOCKED]
    assert len(statuses) == 3 and len(blocked) == 1, statuses
    assert blocked[0][2] == "domain", statuses
    assert not SignatureIntake.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_block_rule_kept_by_one_test_is_not_seen_by_the_next(sam, owner_org, settings):
    """This and the next (each committing, as on a server): the lists a process keeps, and their
    version, are dropped between tests (conftest), else the next test found them for a minute."""
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    settings.INTERNATIONALE_PUBLIC_PAGE_VERSION_MS = 60_000
    campaign = launched(sam, owner_org)
    ScreeningRule.objects.create(list="block", kind="domain", pattern="kept.example")
    received = _sign(campaign, "someone@kept.example")
    assert received.signed.signature.status == Signature.Status.BLOCKED


@pytest.mark.django_db(transaction=True)
def test_a_signer_of_a_domain_blocked_only_in_an_earlier_test_is_accepted(sam, owner_org, settings):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    settings.INTERNATIONALE_PUBLIC_PAGE_VERSION_MS = 60_000
    campaign = launched(sam, owner_org)
    received = _sign(campaign, "someone@kept.example")
    signature = received.signed.signature
    assert signature.status == Signature.Status.PENDING, signature.reason
