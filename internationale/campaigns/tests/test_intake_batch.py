"""The worker screens the intake in batches (batch.py): a number of queries that does not grow with
the batch, the same decisions as one row at a time, and the lists as they are when it screens. The
Metalworkers of São Paulo (Sam speaks for them) run a campaign; a flood of people, some of them
signing twice, some from one busy address, sign it; Oscar, an operator, keeps the lists."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from internationale.campaigns import signing
from internationale.campaigns.abuse import rule_add
from internationale.campaigns.models import Consent, Signature, SignatureIntake
from internationale.campaigns.signing import screen_batch, signature_receive

from .helpers import launched
from .signers import screen_received


@pytest.fixture(autouse=True)
def screened_by_the_worker(settings):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = False


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org)


def receive(campaign, n, address="198.51.100.7", domain="correo.example", **changes):  # type: ignore[no-untyped-def]
    fields = {
        "first_name": f"Signer{n}",
        "email": f"signer{n}@{domain}",
        "country": "BR",
        "client_address": address,
    }
    return signature_receive(campaign=campaign, **(fields | changes))


# Claiming the batch (4), the limits (2 per kind of key: 8), the signatures already written,
# the lists (their version, and themselves when it changed), the writes (5), the savepoint (2),
# queueing the e-mails' task: whatever the batch's size.
QUERIES = 24


def test_a_batch_of_many_signatures_takes_as_many_queries_as_a_batch_of_a_few(
    campaign, owner_org, django_assert_max_num_queries
):
    for n in range(5):
        receive(campaign, n, address=f"203.0.113.{n + 1}", consents=[owner_org.pk])
    with django_assert_max_num_queries(QUERIES):
        assert len(screen_batch()) == 5
    for n in range(5, 205):
        # New addresses, a few signing again, some from one client, an IPv6 site.
        address = f"2001:db8:{n % 3}::{n}" if n % 4 == 0 else f"203.0.113.{n % 50 + 1}"
        receive(campaign, n % 180, address=address, consents=[owner_org.pk] if n % 2 else [])
    with django_assert_max_num_queries(QUERIES):
        done = screen_batch()
    assert len(done) == 200
    assert not SignatureIntake.objects.exists()
    assert Signature.objects.filter(campaign=campaign).count() == 180
    assert {s.outcome for s in done.values()} >= {"new", "held"}


class _Undo(Exception):
    pass


def _outcome(run):  # type: ignore[no-untyped-def]
    """What screening the intake waiting does, by `run`: each intake's outcome, every signature's
    state and consents; then undone, for the other way to run on the same rows."""
    found = {}
    try:
        with transaction.atomic():
            done = run()
            found["outcomes"] = [
                (pk, s.outcome, s.signature.email if s.signature else "")
                for pk, s in sorted(done.items())
            ]
            found["signatures"] = sorted(
                Signature.objects.values_list(
                    "email",
                    "status",
                    "reason",
                    "resends",
                    "confirmation_due",
                    "again_client_hash",
                    "first_name",
                )
            )
            found["consents"] = sorted(
                Consent.objects.values_list("signature__email", "organization_id")
            )
            found["waiting"] = SignatureIntake.objects.count()
            raise _Undo
    except _Undo:
        pass
    return found


def _one_at_a_time():  # type: ignore[no-untyped-def]
    done = {}
    for row in SignatureIntake.objects.select_related("campaign").order_by("id"):
        with transaction.atomic():
            done[row.pk] = signing.screen_intake(row)
            row.delete()
    return done


def test_a_batch_decides_each_of_a_mixed_flood_as_one_at_a_time_would(
    campaign, owner_org, settings
):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 3
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED = 6
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN = 9
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK = 4
    settings.INTERNATIONALE_CAMPAIGN_RESEND_SECONDS = 0
    settings.INTERNATIONALE_CAMPAIGN_RESENDS_PER_DAY = 2
    now = timezone.now()
    # Written before: a few signatures of the busy address and domain, at times that fall in some
    # of the rows' windows and not others; one confirmed, one pending, signed again before.
    for n in range(4):
        receive(campaign, 100 + n, address="192.0.2.1", domain="busy.example")
    screen_batch()
    for n, minutes in enumerate([0.5, 1.2, 30, 70]):
        Signature.objects.filter(email=f"signer{100 + n}@busy.example").update(
            created_at=now - datetime.timedelta(minutes=minutes)
        )
    signing.signature_confirm(
        token=signing.confirmation_token(Signature.objects.get(email="signer100@busy.example"))
    )
    Signature.objects.filter(email="signer101@busy.example").update(
        again_client_hash=signing.client_hash("192.0.2.9"),
        again_at=now - datetime.timedelta(seconds=50),
    )
    # The flood, received over the last two minutes: new people, the same people again (from
    # the busy address and others), the busy address over its limits, the busy domain over its,
    # an IPv6 site, consents.
    flood = []
    for n in range(40):
        address = ["192.0.2.1", "192.0.2.9", f"198.51.100.{n}", f"2001:db8:7:{n}::1"][n % 4]
        person = 100 + n % 6 if n % 5 == 0 else n - 30 if n >= 30 else n
        domain = "busy.example" if person >= 100 or person % 3 == 0 else f"d{person % 5}.example"
        flood.append(
            receive(
                campaign,
                person,
                address=address,
                domain=domain,
                consents=[owner_org.pk] if n % 2 else [],
            ).intake
        )
    for n in range(4):  # one person, from fresh addresses: a new link, resent twice, then held
        flood.append(
            receive(campaign, 500, address=f"198.51.100.{200 + n}", domain="quiet.example").intake
        )
    for i, intake in enumerate(flood):
        SignatureIntake.objects.filter(pk=intake.pk).update(
            received_at=now - datetime.timedelta(seconds=120 - 3 * i)
        )
    batched = _outcome(screen_batch)
    one_by_one = _outcome(_one_at_a_time)
    assert batched == one_by_one
    reasons = {reason for _e, _s, reason, *_rest in batched["signatures"]}
    outcomes = {outcome for _pk, outcome, _email in batched["outcomes"]}
    # The mix covered what it should: new, blocked by each limit, signed again and re-sent.
    assert {"address_burst", "domain", "network"} <= reasons
    assert {"new", "blocked", "resent", "held", "already_confirmed"} <= outcomes
    assert batched["waiting"] == 0


def test_a_block_rule_added_while_signatures_wait_applies_to_them(campaign, oscar, work_off):
    receive(campaign, 1, domain="spam.example")
    receive(campaign, 2, address="192.0.2.66")
    receive(campaign, 3, address="2001:db8:66:1::9")
    receive(campaign, 4)
    receive(campaign, 5, address="192.0.2.67")
    assert SignatureIntake.objects.filter(listed="").count() == 5
    # Oscar blocks the domain, the address and the IPv6 subscriber while they wait.
    rule_add(actor=oscar, list="block", kind="domain", pattern="spam.example")
    rule_add(actor=oscar, list="block", kind="network", pattern="192.0.2.66")
    rule_add(actor=oscar, list="block", kind="network", pattern="2001:db8:66:1::/64")
    mail.outbox = []
    screen_received()
    work_off()
    statuses = dict(Signature.objects.values_list("email", "status"))
    assert statuses == {
        "signer1@spam.example": "blocked",
        "signer2@correo.example": "blocked",
        "signer3@correo.example": "blocked",
        "signer4@correo.example": "pending",
        "signer5@correo.example": "pending",
    }
    assert set(Signature.objects.filter(status="blocked").values_list("reason", flat=True)) == {
        "blocked_list"
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "signer4@correo.example",
        "signer5@correo.example",
    ]


def test_a_run_of_the_screening_stops_after_its_time_and_its_links_are_sent(
    campaign, settings, django_capture_on_commit_callbacks
):
    """Under a flood the screening's run ends after CAMPAIGN_SCREEN_RUN_SECONDS, so that the count
    runs between two runs; the links of what it screened are sent by then."""
    from internationale.campaigns.tasks import screen_signatures

    settings.INTERNATIONALE_CAMPAIGN_INTAKE_BATCH = 2
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_RUN_SECONDS = 0
    for n in range(5):
        receive(campaign, n, address=f"203.0.113.{n + 1}")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert screen_signatures.call() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "signer0@correo.example",
        "signer1@correo.example",
    ]
    assert SignatureIntake.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert screen_signatures.call() == 2
    assert len(mail.outbox) == 4
