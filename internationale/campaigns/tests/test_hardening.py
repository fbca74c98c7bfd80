"""What the security review of signing found (issue 13), through real requests: the public API and
the pages. The Metalworkers of São Paulo (Sam speaks for them) run a campaign co-sponsored by the
Korean Dockworkers (Kim); Vera is a stranger whose address someone else types in again and again;
Oscar, an operator, keeps the block lists."""

import csv
import datetime
import io
import json
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from internationale.campaigns import abuse
from internationale.campaigns.models import CampaignUpdate, Consent, NewsOptOut, Signature
from internationale.campaigns.pruning import erase_invalidated_signatures
from internationale.campaigns.sponsors import signer_token
from internationale.core.history import prune_history
from internationale.core.models import AuditEntry

from .committing import committing
from .helpers import launched
from .signers import signed


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    return committing(client, django_capture_on_commit_callbacks)


@pytest.fixture
def campaign(sam, kim, owner_org, other_org):
    return launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim)


def sign(client, campaign, email, address="198.51.100.7", **changes):  # type: ignore[no-untyped-def]
    body = {"first_name": "Vera", "email": email, "country": "ES"} | changes
    return client.post(
        f"/api/v1/campaigns/{campaign.pk}/signatures",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def sent_to(address: str) -> int:
    return sum(1 for m in mail.outbox if address in m.to)


def later(minutes: float) -> None:
    """Move every signature's times back, as if `minutes` had passed."""
    delta = datetime.timedelta(minutes=minutes)
    for s in Signature.objects.all():
        Signature.objects.filter(pk=s.pk).update(
            created_at=s.created_at - delta,
            link_sent_at=s.link_sent_at - delta if s.link_sent_at else None,
            resend_window_at=s.resend_window_at - delta if s.resend_window_at else None,
            again_at=s.again_at - delta if s.again_at else None,
        )


# M3: signing again does not turn the site into a mail bomb ---------------------------------------


def test_signing_one_address_fifty_times_sends_it_one_link(client, campaign, work_off, settings):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 0
    answers = {sign(client, campaign, "vera@target.example").status_code for _ in range(50)}
    work_off()
    assert answers == {202}  # every time a success: nothing tells what happened
    assert sent_to("vera@target.example") == 1
    assert Signature.objects.count() == 1


def test_a_link_is_sent_again_once_in_ten_minutes_and_five_times_a_day(
    client, campaign, work_off, settings
):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 0
    sign(client, campaign, "vera@target.example")
    work_off()
    for _ in range(8):  # every eleven minutes, for an hour and a half
        later(11)
        sign(client, campaign, "vera@target.example")
        work_off()  # each link e-mailed before the next request (a batch sends only the newest)
    assert sent_to("vera@target.example") == 1 + 5
    # The last link sent works: the held requests did not change it.
    link = mail.outbox[-1].body.split("/campaigns/confirm/", 1)[1].split("/", 1)[0]
    assert client.post(f"/campaigns/confirm/{link}/").status_code == 200
    assert Signature.objects.get().status == "confirmed"


def test_a_day_later_the_link_may_be_sent_again(client, campaign, work_off, settings):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 0
    sign(client, campaign, "vera@target.example")
    work_off()
    for _ in range(6):
        later(11)
        sign(client, campaign, "vera@target.example")
        work_off()
    later(24 * 60)
    sign(client, campaign, "vera@target.example")
    work_off()
    assert sent_to("vera@target.example") == 1 + 5 + 1


def test_signing_again_counts_in_the_limits_of_the_client_address(
    client, campaign, work_off, settings
):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = 3
    for n in range(3):
        sign(client, campaign, f"known{n}@mail.example", address=f"203.0.113.{n + 1}")
    work_off()
    mail.outbox.clear()
    for n in range(3):  # one client signs the three addresses again
        assert sign(client, campaign, f"known{n}@mail.example").status_code == 202
    assert sign(client, campaign, "new@mail.example").status_code == 202
    work_off()
    assert sent_to("new@mail.example") == 0
    assert Signature.objects.get(email="new@mail.example").reason == "address_burst"


# M4: one mailbox, one spelling -------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "a@SPAM.example",
        "a@spａm.example",  # a full-width "a"
        "a@ｓpam.example",
        "a@spam.example.",
        "troll@evｉl.example",
        '"troll"@evil.example',
        '"troll"@EVIL.example',
    ],
)
def test_a_look_alike_address_is_blocked_as_the_listed_one(
    client, campaign, oscar, work_off, email
):
    abuse.rule_add(actor=oscar, list="block", kind="domain", pattern="spam.example")
    abuse.rule_add(actor=oscar, list="block", kind="email", pattern="troll@evil.example")
    assert sign(client, campaign, email).status_code == 202
    work_off()
    assert len(mail.outbox) == 0
    signature = Signature.objects.get()
    assert (signature.status, signature.reason) == ("blocked", "blocked_list")
    assert signature.email in ("a@spam.example", "troll@evil.example")


def test_a_look_alike_of_an_address_that_signed_is_the_same_signature(client, campaign, work_off):
    sign(client, campaign, "ana@evil.example")
    work_off()
    later(11)
    sign(client, campaign, '"ana"@evｉl.example')
    work_off()
    signature = Signature.objects.get()
    assert (signature.email, signature.email_domain) == ("ana@evil.example", "evil.example")
    assert sent_to("ana@evil.example") == 2  # the link sent again, to the one address


def test_an_address_at_an_international_domain_is_kept_in_its_ascii_form(
    client, campaign, oscar, work_off
):
    abuse.rule_add(actor=oscar, list="block", kind="domain", pattern="bücher.example")
    sign(client, campaign, "ana@BÜCHER.example")
    work_off()
    signature = Signature.objects.get()
    assert signature.email_domain == "xn--bcher-kva.example"
    assert (signature.status, signature.reason) == ("blocked", "blocked_list")


@pytest.mark.parametrize("email", ["troll@[127.0.0.1]", "troll@[IPv6:::1]"])
def test_an_address_at_a_network_address_is_refused_and_nothing_written(
    client, campaign, work_off, email
):
    response = sign(client, campaign, email)
    assert response.status_code == 400
    assert "not at a network address" in response.content.decode()
    work_off()
    assert not Signature.objects.exists() and not mail.outbox


def test_a_quoted_part_that_needs_its_quotes_is_refused(client, campaign):
    response = sign(client, campaign, '"tro ll"@evil.example')
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_the_sign_form_refuses_a_network_address_too(client, campaign):
    from .helpers import aged_form_fields

    data = aged_form_fields(campaign.pk) | {
        "first_name": "Vera",
        "email": "vera@[192.0.2.1]",
        "country": "ES",
        "language": "es",
    }
    response = client.post(f"/campaigns/{campaign.pk}/sign/", data)
    assert response.status_code == 400  # the form again, with its error
    assert "not at a network address" in response.content.decode()
    assert not Signature.objects.exists()


def test_bulk_invalidation_by_a_look_alike_domain_finds_the_signatures(client, campaign, oscar):
    signed(campaign, 1, email="a@spam.example")
    preview = abuse.invalidation_preview(actor=oscar, selection=window(domain="SPＡM.example"))
    assert sum(row["n"] for row in preview) == 1


def window(**fields):  # type: ignore[no-untyped-def]
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return abuse.Selection(since=now - day, until=now + day, **fields)


# M5: news to signers, when one address is refused -------------------------------------------------


class Refusing(EmailBackend):
    """A mail server that refuses one address for good."""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        for message in messages:
            if "gone@dead.example" in message.to:
                raise smtplib.SMTPRecipientsRefused({"gone@dead.example": (550, b"no such user")})
        return super().send_messages(messages)


class GoneOnce(EmailBackend):
    """A mail server that goes away once, after the second message."""

    sent = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        GoneOnce.sent += 1
        if GoneOnce.sent == 3:
            raise smtplib.SMTPServerDisconnected("gone")
        return super().send_messages(messages)


@pytest.fixture
def news_signers(campaign):  # type: ignore[no-untyped-def]
    for n, email in enumerate(["a@x.example", "b@x.example", "gone@dead.example", "c@x.example"]):
        signed(campaign, n, wants_news=True, email=email)
    mail.outbox.clear()


def test_an_address_refused_gets_no_news_and_the_others_get_each_once(
    client, campaign, sam, news_signers, work_off, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.Refusing"
    client.force_login(sam)
    client.post(
        f"/campaigns/{campaign.pk}/updates/new/", {"kind": "news", "title": "Heard", "text": "t"}
    )
    work_off()
    from internationale.campaigns.tasks_delivery import send_campaign_updates

    send_campaign_updates.call()
    send_campaign_updates.call()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example", "b@x.example", "c@x.example"]
    update = CampaignUpdate.objects.get()
    assert update.finished_at is not None and update.sent_count == 3
    refused = NewsOptOut.objects.get()
    assert (refused.signature.email, refused.reason) == ("gone@dead.example", "undeliverable")
    # The next news does not try it again.
    mail.outbox.clear()
    client.post(
        f"/campaigns/{campaign.pk}/updates/new/", {"kind": "news", "title": "Won", "text": "t"}
    )
    work_off()
    assert len(mail.outbox) == 3 and CampaignUpdate.objects.filter(finished_at=None).count() == 0


def test_a_server_gone_midway_sends_nobody_twice(campaign, sam, news_signers, settings):
    from internationale.campaigns.outcome import update_post, update_send

    settings.EMAIL_BACKEND = f"{__name__}.GoneOnce"
    GoneOnce.sent = 0
    settings.EMAIL_BACKEND = f"{__name__}.GoneOnce"
    update = update_post(actor=sam, campaign=campaign, title="Heard", text="t")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        update_send(update.pk)
    assert [m.to[0] for m in mail.outbox] == ["a@x.example", "b@x.example"]
    update_send(update.pk)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@x.example",
        "b@x.example",
        "c@x.example",
        "gone@dead.example",
    ]


# L2: the signers' page is audited as the API ------------------------------------------------------


def test_reading_the_signers_page_is_audited_and_kept_by_no_cache(client, campaign, sam, owner_org):
    signed(campaign, 1, email="lucia@correo.example", consents=[owner_org.pk])
    client.force_login(sam)
    response = client.get(f"/campaigns/{campaign.pk}/signers/{owner_org.slug}/")
    assert "lucia@correo.example" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="campaign.export")
    assert (entry.organization_id, entry.data["format"], entry.data["n"]) == (
        owner_org.pk,
        "page",
        1,
    )


# L4: an IPv6 site by its /48 ---------------------------------------------------------------------


def test_a_client_hopping_between_the_64s_of_one_48_meets_its_limit(
    client, campaign, work_off, settings
):
    settings.INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK = 3
    for n in range(3):
        sign(client, campaign, f"hop{n}@mail.example", address=f"2001:db8:1:{n}::1")
    sign(client, campaign, "hop3@mail.example", address="2001:db8:1:ff::1")
    sign(client, campaign, "other@mail.example", address="2001:db8:2::1")  # another site
    work_off()
    assert Signature.objects.get(email="hop3@mail.example").reason == "network"
    assert sent_to("hop3@mail.example") == 0
    assert sent_to("other@mail.example") == 1 and sent_to("hop2@mail.example") == 1


# L5: what is not kept ----------------------------------------------------------------------------


def test_signatures_never_confirmed_are_pruned_and_their_links_stop_working(
    client, campaign, oscar, settings
):
    old = signed(campaign, 1, confirm=False)
    recent = signed(campaign, 2, confirm=False)
    kept = signed(campaign, 3)
    month = timezone.now() - datetime.timedelta(days=31)
    Signature.objects.filter(pk__in=[old.pk, kept.pk]).update(
        created_at=month, token_expires_at=month
    )
    prune_history.call()
    assert set(Signature.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    response = client.get(f"/campaigns/signer/{signer_token(old.pk)}/")
    assert response.status_code == 400


def test_invalidated_signatures_are_emptied_of_their_personal_fields(
    client, campaign, oscar, owner_org
):
    troll = signed(campaign, 1, email="troll@evil.example", consents=[owner_org.pk])
    fresh = signed(campaign, 2, email="fresh@evil.example")
    abuse.signatures_invalidate(
        actor=oscar, selection=window(domain="evil.example"), reason="flood"
    )
    Signature.objects.filter(pk=troll.pk).update(
        invalidated_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert erase_invalidated_signatures.call() == 1
    troll.refresh_from_db()
    assert (troll.first_name, troll.last_name, troll.city, troll.email) == (
        "",
        "",
        "",
        f"{troll.pk}@erased.invalid",
    )
    assert troll.status == "invalidated" and not Consent.objects.filter(signature=troll).exists()
    assert Signature.objects.get(pk=fresh.pk).email == "fresh@evil.example"  # within its 90 days


# I1: the signer is told what the targets receive ------------------------------------------------


def test_the_sign_form_says_what_the_targets_receive(client, campaign):
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "never the e-mail address" in page
    assert page.count("Sent to the targets with the letter or petition.") >= 4
    assert "Never sent to the targets" in page


def test_what_the_form_says_is_what_the_targets_receive(sam, owner_org, settings):
    from internationale.campaigns.delivery import deliver_all

    settings.INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS = 0
    campaign = launched(sam, owner_org, delivery_every=1)
    signed(campaign, 1, email="lucia@correo.example", city="Sevilla", union="CCOO")
    assert deliver_all() == 1
    rows = list(csv.reader(io.StringIO(mail.outbox[-1].attachments[0][1])))
    assert "lucia@correo.example" not in str(rows) and "Sevilla" in rows[1]
    assert "CCOO" in rows[1] and "Last1" in rows[1]
