"""Screening signatures (screening.py) and the operators' tools against abuse (abuse.py), through
real requests on the real database. The Metalworkers of São Paulo (Sam) run a campaign; Lucía and
many others sign it; Oscar, an operator, keeps the lists and invalidates what a flood brought."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from internationale.campaigns.counting import count_all
from internationale.campaigns.models import ScreeningRule, Signature, SignatureCount
from internationale.campaigns.screening import HONEYPOT, STARTED, form_fields
from internationale.core.models import AuditEntry

from . import helpers
from .committing import committing
from .helpers import launched
from .signers import screen_received


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    return committing(client, django_capture_on_commit_callbacks)


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org)


def form(n=0, **changes):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Lucía",
        "email": f"lucia{n}@correo.example",
        "country": "ES",
        "language": "es",
    }
    data.update(changes)
    return data


def sign(client, campaign, n=0, address="198.51.100.7", **changes):  # type: ignore[no-untyped-def]
    """Signs through the sign page, with the form's hidden fields (made half a minute ago) unless
    `changes` give them."""
    data = aged_form_fields(campaign, 30) | form(n, **changes)
    answer = client.post(f"/campaigns/{campaign.pk}/sign/", data, REMOTE_ADDR=address)
    screen_received()  # the worker's part, as it runs every few seconds
    return answer


def aged_form_fields(campaign, seconds):  # type: ignore[no-untyped-def]
    """The form's hidden fields as made `seconds` ago."""
    return helpers.aged_form_fields(campaign.pk, seconds)


def test_the_sign_form_carries_a_honeypot_and_a_signed_time(client, campaign):
    page = client.get(f"/campaigns/{campaign.pk}/sign/").content.decode()
    assert f'name="{HONEYPOT}"' in page
    assert re.search(rf'name="{STARTED}" value="[^"]+"', page)


def test_a_filled_honeypot_is_answered_as_a_success_and_writes_nothing(client, campaign):
    fields = aged_form_fields(campaign, 30) | {HONEYPOT: "http://spam.example"}
    response = sign(client, campaign, **fields)
    assert response.status_code == 302
    assert Signature.objects.count() == 0


def test_a_form_sent_too_fast_is_dropped_and_one_sent_by_a_person_is_taken(client, campaign):
    assert sign(client, campaign, 1, **form_fields(campaign.pk)).status_code == 302
    assert Signature.objects.count() == 0
    assert sign(client, campaign, 2, **aged_form_fields(campaign, 20)).status_code == 302
    assert Signature.objects.get().email == "lucia2@correo.example"


def test_a_post_to_the_sign_page_without_the_forms_fields_is_dropped(client, campaign):
    """A robot posting straight to the sign page, without the form's hidden fields (or with only
    one of them), is answered as a success and writes nothing; it cannot pass for the API by
    naming the mark the page sets itself."""
    url = f"/campaigns/{campaign.pk}/sign/"
    fields = aged_form_fields(campaign, 30)
    assert client.post(url, form(1), REMOTE_ADDR="198.51.100.7").status_code == 302
    assert client.post(url, form(2, **{HONEYPOT: ""})).status_code == 302
    assert client.post(url, form(3, **{STARTED: fields[STARTED]})).status_code == 302
    assert client.post(url, form(4, _from_sign_form="")).status_code == 302
    screen_received()
    assert Signature.objects.count() == 0
    # The same person with the form's fields is taken.
    assert client.post(url, form(5) | fields).status_code == 302
    screen_received()
    assert Signature.objects.get().email == "lucia5@correo.example"


def test_a_forged_form_time_is_dropped(client, campaign):
    response = sign(client, campaign, **{HONEYPOT: "", STARTED: "1:forged:signature"})
    assert response.status_code == 302
    assert Signature.objects.count() == 0


def test_the_burst_limit_per_address_blocks_silently(client, campaign, settings, work_off):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 3
    for n in range(5):
        assert sign(client, campaign, n).status_code == 302
    statuses = list(Signature.objects.order_by("id").values_list("status", "reason"))
    assert statuses[:3] == [("pending", "")] * 3
    assert statuses[3:] == [("blocked", "address_burst")] * 2
    # Another address is not held back; the blocked ones get no e-mail.
    assert sign(client, campaign, 9, address="203.0.113.9").status_code == 302
    assert Signature.objects.filter(status="pending").count() == 4
    work_off()
    assert len(mail.outbox) == 4


def test_the_sustained_limit_counts_the_last_hour(client, campaign, settings):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 0
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED = 2
    sign(client, campaign, 1)
    sign(client, campaign, 2)
    Signature.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    sign(client, campaign, 3)
    sign(client, campaign, 4)
    sign(client, campaign, 5)
    assert list(Signature.objects.order_by("id").values_list("status", flat=True)) == [
        "pending",
        "pending",
        "pending",
        "pending",
        "blocked",
    ]


def test_the_limit_per_domain_and_an_allowed_domain(client, campaign, settings, oscar):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN = 2
    for n in range(3):
        sign(client, campaign, n, address=f"203.0.113.{n}")
    assert Signature.objects.filter(status="blocked", reason="domain").count() == 1
    ScreeningRule.objects.create(list="allow", kind="domain", pattern="correo.example")
    sign(client, campaign, 7, address="203.0.113.70")
    assert Signature.objects.get(email="lucia7@correo.example").status == "pending"


def test_a_block_list_pattern_blocks_and_wins_over_an_allow(client, campaign):
    ScreeningRule.objects.create(list="block", kind="domain", pattern="*.spam.example")
    ScreeningRule.objects.create(list="block", kind="network", pattern="192.0.2.0/24")
    ScreeningRule.objects.create(list="allow", kind="email", pattern="*@mx.spam.example")
    assert sign(client, campaign, email="a@mx.spam.example").status_code == 302
    assert sign(client, campaign, 2, address="192.0.2.44").status_code == 302
    assert sign(client, campaign, 3, email="ok@SPAM.example.org").status_code == 302
    rows = dict(Signature.objects.values_list("email", "status"))
    assert rows == {
        "a@mx.spam.example": "blocked",
        "lucia2@correo.example": "blocked",
        "ok@spam.example.org": "pending",
    }


# The operators' page ----------------------------------------------------------------------------


def test_the_operators_page_shows_hashed_addresses_and_domains_trending(
    client, campaign, oscar, sam
):
    for n in range(3):
        sign(client, campaign, n)
    sign(client, campaign, 9, address="203.0.113.1", email="x@other.example")
    client.force_login(oscar)
    page = client.get("/campaigns/screening/").content.decode()
    assert "correo.example" in page and "other.example" in page
    assert "198.51.100.7" not in page  # only its hash
    hashed = Signature.objects.filter(email_domain="correo.example").first().client_hash
    assert hashed[:10] in page
    client.force_login(sam)
    assert client.get("/campaigns/screening/").status_code == 404


def test_an_operator_adds_and_removes_a_pattern_audited(client, oscar):
    client.force_login(oscar)
    bad = client.post(
        "/campaigns/screening/rules/", {"list": "block", "kind": "network", "pattern": "nope"}
    )
    assert bad.status_code == 400
    assert "network" in bad.content.decode()
    assert not ScreeningRule.objects.exists()
    ok = client.post(
        "/campaigns/screening/rules/",
        {"list": "block", "kind": "domain", "pattern": "Flood.Example", "note": "a flood"},
    )
    assert ok.status_code == 302
    rule = ScreeningRule.objects.get()
    assert rule.pattern == "flood.example" and rule.created_by == oscar
    again = client.post(
        "/campaigns/screening/rules/",
        {"list": "block", "kind": "domain", "pattern": "flood.example"},
    )
    assert again.status_code == 400 and "already" in again.content.decode()
    # Removing asks first.
    assert client.get(f"/campaigns/screening/rules/{rule.pk}/remove/").status_code == 200
    assert ScreeningRule.objects.exists()
    assert client.post(f"/campaigns/screening/rules/{rule.pk}/remove/").status_code == 302
    assert not ScreeningRule.objects.exists()
    changes = AuditEntry.objects.filter(action="campaign.screening_rule").order_by("id")
    assert [e.data["change"] for e in changes] == ["added", "removed"]


def confirm_all(campaign):  # type: ignore[no-untyped-def]
    for signature in Signature.objects.filter(status="pending"):
        signature.status = "confirmed"
        signature.confirmed_at = timezone.now()
        signature.save()


def test_invalidating_a_domain_in_a_window_asks_first_and_corrects_the_count(
    client, campaign, oscar, settings
):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 0
    for n in range(4):
        sign(client, campaign, n, email=f"bot{n}@flood.example")
    sign(client, campaign, 8, email="maria@correo.example")
    confirm_all(campaign)
    count_all()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 5
    client.force_login(oscar)
    now = timezone.localtime()
    query = {
        "domain": "flood.example",
        "since": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "until": (now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "A flood from one domain",
    }
    preview = client.get("/campaigns/screening/invalidate/", query)
    assert preview.status_code == 200
    assert "4 signatures" in preview.content.decode()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 5  # nothing yet

    bad = client.post("/campaigns/screening/invalidate/", {**query, "domain": ""})
    assert bad.status_code == 400 and "e-mail domain" in bad.content.decode()

    done = client.post("/campaigns/screening/invalidate/", query)
    assert done.status_code == 302
    assert Signature.objects.filter(status="invalidated").count() == 4
    assert Signature.objects.get(email="maria@correo.example").status == "counted"
    assert SignatureCount.objects.get(campaign=campaign).signatures == 1
    entry = AuditEntry.objects.get(action="campaign.invalidate")
    assert entry.data["n"] == 4 and entry.data["counted"] == 4
    assert entry.actor == oscar
    assert entry.organization == campaign.organization  # in the organizer's log too
    # The counting task never counts them again.
    assert count_all() == 0
    assert SignatureCount.objects.get(campaign=campaign).signatures == 1


def test_invalidating_is_for_operators_only(client, campaign, sam, ana):
    for person in (sam, ana):
        client.force_login(person)
        assert client.get("/campaigns/screening/invalidate/").status_code == 404
        assert client.post("/campaigns/screening/invalidate/", {}).status_code == 404
