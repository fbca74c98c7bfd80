"""Signing in two steps: the request checks the input and writes the signature's intake row, one
row; the worker screens the intake in batches and writes the signatures. The Metalworkers of São
Paulo (Sam speaks for them) run a campaign; Lucía, Pedro and a robot sign it."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.campaigns.counting import count_all
from internationale.campaigns.models import Signature, SignatureCount, SignatureIntake
from internationale.campaigns.signing import (
    confirmation_token,
    screen_batch,
    signature_confirm,
    signature_receive,
)

from .helpers import launched

LUCIA = {"first_name": "Lucía", "email": "lucia@correo.example", "country": "ES"}


@pytest.fixture(autouse=True)
def screened_by_the_worker(settings):
    """These tests follow the intake to the worker (CAMPAIGN_SCREEN_IN_REQUEST=0); the default,
    the request screening its own row, is the last test's."""
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = False


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org)


@pytest.fixture
def sign(client, campaign, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Lucía (or whoever `changes` make her) signs through the public API from `address`; what
    the request queues on commit is queued, as a real commit does."""

    def post(address="198.51.100.7", **changes):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/api/v1/campaigns/{campaign.pk}/signatures",
                LUCIA | changes,
                content_type="application/json",
                REMOTE_ADDR=address,
            )

    return post


def test_a_signing_request_writes_one_row_and_the_worker_the_signature(sign, work_off):
    sign()  # the campaign and the lists now kept in this process
    work_off()
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        answer = sign(email="pedro@correo.example", first_name="Pedro")
    assert answer.status_code == 202
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    # The intake row, and the worker's task queued on commit: nothing else is written.
    assert len(writes) == 2, writes
    assert "campaigns_signatureintake" in writes[0]
    assert not Signature.objects.filter(email="pedro@correo.example").exists()
    assert mail.outbox == []
    work_off()
    pedro = Signature.objects.get(email="pedro@correo.example")
    assert pedro.status == Signature.Status.PENDING and pedro.first_name == "Pedro"
    assert [m.to for m in mail.outbox] == [["pedro@correo.example"]]
    assert not SignatureIntake.objects.exists()


def test_a_flood_of_duplicates_counts_once_and_sends_one_link(sign, campaign, work_off):
    for n in range(12):
        spelled = "Lucia@Correo.EXAMPLE" if n % 2 else "lucia@correo.example"
        assert sign(address=f"203.0.113.{n + 1}", email=spelled).status_code == 202
    assert SignatureIntake.objects.count() == 12
    work_off()
    lucia = Signature.objects.get(campaign=campaign)
    assert lucia.email == "lucia@correo.example" and lucia.status == Signature.Status.PENDING
    # The first link went; signing again within ten minutes sends none (answered the same).
    assert [m.to for m in mail.outbox] == [["lucia@correo.example"]]
    assert not SignatureIntake.objects.exists()
    signature_confirm(token=confirmation_token(lucia))
    count_all()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 1


def test_signing_again_later_resends_the_link_once(sign, campaign, work_off):
    assert sign().status_code == 202
    work_off()
    Signature.objects.update(link_sent_at=timezone.now() - datetime.timedelta(hours=1))
    for n in range(3):
        assert sign(address=f"203.0.113.{n + 1}").status_code == 202
    work_off()
    assert [m.to for m in mail.outbox] == [["lucia@correo.example"]] * 2
    lucia = Signature.objects.get(campaign=campaign)
    assert lucia.resends == 1


def test_an_intake_left_by_a_dead_worker_is_screened_on_the_next_run(
    campaign, settings, monkeypatch
):
    from internationale.campaigns import batch

    signature_receive(campaign=campaign, **LUCIA)
    signature_receive(campaign=campaign, first_name="Pedro", email="p@x.example", country="BR")

    def dies(self, intake):  # type: ignore[no-untyped-def]
        if intake.first_name == "Pedro":
            raise SystemExit("killed")
        return decides(self, intake)

    decides = batch._Batch.decide
    monkeypatch.setattr(batch._Batch, "decide", dies)
    with pytest.raises(SystemExit):
        screen_batch()
    monkeypatch.setattr(batch._Batch, "decide", decides)
    # The batch is one transaction: the run that died midway wrote none of it, and both rows
    # wait, claimed by the dead run.
    assert not Signature.objects.exists()
    left = SignatureIntake.objects.order_by("id")
    assert [row.first_name for row in left] == ["Lucía", "Pedro"]
    assert all(row.claimed_at is not None for row in left)
    # A live run leaves them while the claim is fresh, and takes them once it is stale.
    assert screen_batch() == {}
    SignatureIntake.objects.update(
        claimed_at=timezone.now()
        - datetime.timedelta(seconds=settings.INTERNATIONALE_CAMPAIGN_INTAKE_CLAIM_SECONDS + 1)
    )
    done = screen_batch()
    assert [s.outcome for s in done.values()] == ["new", "new"]
    assert sorted(Signature.objects.values_list("email", flat=True)) == [
        "lucia@correo.example",
        "p@x.example",
    ]
    assert not SignatureIntake.objects.exists()
    assert screen_batch() == {}


def test_bad_input_is_refused_by_the_request_and_writes_nothing(sign):
    answer = sign(email="not-an-address", country="XX")
    assert answer.status_code == 400
    assert not SignatureIntake.objects.exists() and not Signature.objects.exists()


def test_a_campaign_closed_meanwhile_is_refused_by_the_next_request(sign, campaign, sam):
    from internationale.campaigns.services import campaign_close

    assert sign().status_code == 202
    campaign_close(actor=sam, campaign=campaign)
    answer = sign(email="late@correo.example")
    assert answer.status_code == 400
    assert SignatureIntake.objects.count() == 1


def test_a_blocked_network_is_read_by_the_request_and_blocked_by_the_worker(sign, work_off, oscar):
    from internationale.campaigns.abuse import rule_add

    sign(email="first@correo.example")  # the lists kept in this process
    rule_add(actor=oscar, list="block", kind="network", pattern="192.0.2.0/24")
    assert sign(address="192.0.2.9").status_code == 202
    intake = SignatureIntake.objects.get(email="lucia@correo.example")
    assert intake.listed == "block"
    work_off()
    lucia = Signature.objects.get(email="lucia@correo.example")
    assert (lucia.status, lucia.reason) == (Signature.Status.BLOCKED, "blocked_list")
    assert [m.to for m in mail.outbox] == [["first@correo.example"]]


def test_by_default_the_request_screens_its_own_row_and_the_link_goes_at_once(
    sign, settings, campaign, work_off
):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    mail.outbox = []
    answer = sign()
    assert answer.status_code == 202
    # No screening has run in the worker: the signature is written, its link owed, and no intake
    # row is left; the worker's next task is the batch of links, not a screening.
    signature = Signature.objects.get(campaign=campaign, email=LUCIA["email"])
    assert signature.status == Signature.Status.PENDING and signature.confirmation_due
    assert not SignatureIntake.objects.exists()
    work_off()
    assert [message.to for message in mail.outbox] == [[LUCIA["email"]]]
    # Signing again is answered alike and counts once.
    assert sign().status_code == 202
    assert Signature.objects.filter(campaign=campaign).count() == 1


def test_by_default_a_signature_is_screened_and_written_in_one_transaction_without_an_intake_row(
    sign, settings, campaign
):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    sign(email="first@correo.example")  # the campaign and the lists now kept in this process
    with CaptureQueriesContext(connection) as queries:
        assert sign(address="203.0.113.9").status_code == 202
    statements = [query["sql"] for query in queries.captured_queries]
    # Acknowledged once its one transaction committed: the signature and its owed link, and no
    # intake row written, claimed or deleted on the way (each was one more write).
    assert not [sql for sql in statements if "signatureintake" in sql]
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split('"')[1] for sql in writes if "campaigns_" in sql] == [
        "campaigns_signature",  # the row
        "campaigns_signature",  # its token's hash, which needs its id
    ], writes
    signature = Signature.objects.get(campaign=campaign, email=LUCIA["email"])
    assert signature.status == Signature.Status.PENDING and signature.confirmation_due
    assert signature.token_hash != "" and not SignatureIntake.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_signature_screened_by_its_request_reads_the_lists_kept_and_its_limits_at_once(
    client, sam, owner_org, settings, django_capture_on_commit_callbacks
):
    # As on a server: each request in its own transactions, not inside a test's.
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = True
    campaign = launched(sam, owner_org)

    def sign(email: str, address: str):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/api/v1/campaigns/{campaign.pk}/signatures",
                LUCIA | {"email": email},
                content_type="application/json",
                REMOTE_ADDR=address,
            )

    assert sign("first@correo.example", "198.51.100.7").status_code == 202
    with CaptureQueriesContext(connection) as queries:
        assert sign(LUCIA["email"], "203.0.113.9").status_code == 202
    statements = [query["sql"] for query in queries.captured_queries]
    # The lists' version is the one this process keeps, read on receipt: not read again from its
    # row inside the signature's transaction. The limits per address, signing again and domain
    # are counted by one statement.
    assert not [sql for sql in statements if "core_sharedversion" in sql], statements
    assert len([sql for sql in statements if "SUM(CASE" in sql]) == 1, statements
    signature = Signature.objects.get(campaign=campaign, email=LUCIA["email"])
    assert signature.status == Signature.Status.PENDING and signature.confirmation_due
