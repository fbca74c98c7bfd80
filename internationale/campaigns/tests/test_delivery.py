"""Delivering the letter and its signatures to the targets (delivery.py) and the organizer's page
and downloads, through real requests. The Metalworkers of São Paulo (Sam speaks for them, Mo is a
member) run a campaign to the Ministry of Labour; the Korean Dockworkers (Kim) only read it."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from internationale.campaigns.delivery import deliver_all
from internationale.campaigns.models import Delivery, Target
from internationale.campaigns.services import campaign_close
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tasks_delivery import deliver_campaigns
from internationale.core.models import AuditEntry

from .helpers import launched
from .signers import signed


@pytest.fixture(autouse=True)
def at_once(settings):  # type: ignore[no-untyped-def]
    """A batch takes what was confirmed up to now: the margin has a test of its own."""
    settings.INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS = 0


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org, delivery_every=2)


def attached_rows(message):  # type: ignore[no-untyped-def]
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/csv" and name.endswith(".csv")
    return list(csv.reader(io.StringIO(content)))


def test_a_batch_goes_once_enough_new_signatures_are_confirmed(campaign):
    signed(campaign, 1)
    assert deliver_all() == 0  # one of two
    signed(campaign, 2)
    signed(campaign, 3, confirm=False)  # pending: not delivered
    mail.outbox.clear()
    assert deliver_all() == 1
    (message,) = mail.outbox
    assert message.to == ["minister@labour.example"]
    assert "Ana Souza" in message.body  # the letter
    rows = attached_rows(message)
    assert [r[0] for r in rows[1:]] == ["Signer1", "Signer2"]
    assert "signer1@mail1.example" not in message.attachments[0][1]  # never the addresses
    delivery = Delivery.objects.get()
    assert (delivery.signatures, delivery.status) == (2, "sent")
    # Run again: nothing twice.
    assert deliver_all() == 0
    assert len(mail.outbox) == 1


def test_once_closed_what_remains_is_delivered(campaign, sam):
    signed(campaign, 1)
    assert deliver_all() == 0
    campaign_close(actor=sam, campaign=campaign)
    mail.outbox.clear()
    assert deliver_campaigns.call() == 1
    assert [r[0] for r in attached_rows(mail.outbox[0])[1:]] == ["Signer1"]


def test_daily_delivery_waits_a_day_between_messages(sam, owner_org):
    campaign = launched(sam, owner_org, delivery="daily")
    signed(campaign, 1)
    mail.outbox.clear()
    assert deliver_all() == 1
    signed(campaign, 2)
    assert deliver_all() == 0
    later = timezone.now() + datetime.timedelta(hours=25)
    assert deliver_all(later) == 1
    assert [r[0] for r in attached_rows(mail.outbox[-1])[1:]] == ["Signer2"]


def test_a_target_without_an_address_is_marked_for_a_hand_delivery(campaign):
    Target.objects.filter(campaign=campaign).update(email="")
    signed(campaign, 1)
    signed(campaign, 2)
    mail.outbox.clear()
    deliver_all()
    assert mail.outbox == []
    assert Delivery.objects.get().status == "no_address"
    assert deliver_all() == 0 and Delivery.objects.count() == 1


def test_the_organizer_sees_the_deliveries_and_downloads_the_letter(client, campaign, sam):
    signed(campaign, 1, first_name="Lucía", city="=HYPERLINK(1)")
    signed(campaign, 2)
    deliver_all()
    client.force_login(sam)
    page = client.get(f"/campaigns/{campaign.pk}/deliveries/")
    assert page.status_code == 200
    assert "Ministry of Labour" in page.content.decode()
    assert "Sent" in page.content.decode()

    got = client.get(f"/campaigns/{campaign.pk}/download.csv")
    assert got["Content-Type"].startswith("text/csv")
    assert "attachment" in got["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    assert rows[1][0] == "Lucía" and rows[1][2] == "'=HYPERLINK(1)"  # no formula

    pdf = client.get(f"/campaigns/{campaign.pk}/download.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Free Ana Souza" in text and "Signer2" in text
    exports = AuditEntry.objects.filter(action="campaign.export")
    assert sorted(e.data["format"] for e in exports) == ["csv", "pdf"]


def test_members_and_other_organizations_may_not_download(client, campaign, mo, kim):
    signed(campaign, 1)
    for person in (mo, kim):
        client.force_login(person)
        assert client.get(f"/campaigns/{campaign.pk}/deliveries/").status_code == 403
        assert client.get(f"/campaigns/{campaign.pk}/download.csv").status_code == 403
    assert not AuditEntry.objects.filter(action="campaign.export").exists()


def test_the_campaign_page_leads_the_organizer_and_the_sponsor_to_their_pages(
    client, sam, kim, owner_org, other_org
):
    campaign = launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim)
    client.force_login(sam)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f"/campaigns/{campaign.pk}/deliveries/" in page
    assert f"/campaigns/{campaign.pk}/updates/new/" in page
    client.force_login(kim)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f"/campaigns/{campaign.pk}/signers/{other_org.slug}/" in page
    assert "/deliveries/" not in page


def test_a_signature_confirmed_after_later_ones_is_delivered_all_the_same(sam, owner_org):
    """Signer1 signs first but confirms last: the batches follow the confirmations, not the order
    of signing, so the target receives Signer1 too."""
    campaign = launched(sam, owner_org, delivery_every=1)
    first = signed(campaign, 1, confirm=False)
    signed(campaign, 2)
    mail.outbox.clear()
    assert deliver_all() == 1
    signature_confirm(token=confirmation_token(first))
    campaign_close(actor=sam, campaign=campaign)
    assert deliver_all() == 1
    delivered = [row[0] for m in mail.outbox for row in attached_rows(m)[1:]]
    assert sorted(delivered) == ["Signer1", "Signer2"]


def test_a_batch_waits_for_confirmations_still_being_written(settings, sam, owner_org):
    """A signature confirmed within the margin goes in the next batch, not in none."""
    settings.INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS = 30
    campaign = launched(sam, owner_org, delivery_every=1)
    signed(campaign, 1)
    mail.outbox.clear()
    assert deliver_all() == 0
    assert deliver_all(timezone.now() + datetime.timedelta(seconds=31)) == 1
    assert [r[0] for r in attached_rows(mail.outbox[0])[1:]] == ["Signer1"]
