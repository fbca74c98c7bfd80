"""News and the result of a campaign (outcome.py), through real requests: Sam posts them for the
Metalworkers of São Paulo; the signers who asked for news are e-mailed in batches and may stop
them in one click; Mo, a member, and Kim, of another organization, may not post."""

import pytest
from django.core import mail

from internationale.campaigns.models import CampaignUpdate, NewsOptOut
from internationale.campaigns.outcome import update_send_batch
from internationale.campaigns.tasks_delivery import send_campaign_updates
from internationale.core.models import AuditEntry

from .committing import committing
from .helpers import launched
from .signers import signed


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    return committing(client, django_capture_on_commit_callbacks)


@pytest.fixture
def campaign(sam, owner_org):
    campaign = launched(sam, owner_org)
    signed(campaign, 1, wants_news=True, email="lucia@correo.example", language="es")
    signed(campaign, 2, wants_news=True, email="pedro@correo.example")
    signed(campaign, 3, wants_news=False, email="rosa@correo.example")
    signed(campaign, 4, wants_news=True, email="late@correo.example", confirm=False)
    mail.outbox.clear()
    return campaign


def post(client, campaign, **changes):  # type: ignore[no-untyped-def]
    data = {"kind": "news", "title": "Ana was heard in court", "text": "The **hearing** went well."}
    data.update(changes)
    return client.post(f"/campaigns/{campaign.pk}/updates/new/", data)


def test_news_reaches_the_signers_who_asked_with_a_one_click_unsubscribe(
    client, campaign, sam, work_off
):
    client.force_login(sam)
    assert post(client, campaign).status_code == 302
    work_off()
    assert sorted(m.to[0] for m in mail.outbox) == ["lucia@correo.example", "pedro@correo.example"]
    message = next(m for m in mail.outbox if m.to == ["pedro@correo.example"])
    assert "Ana was heard in court" in message.subject
    off = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert off in message.body
    assert AuditEntry.objects.filter(action="campaign.update").count() == 1
    page = client.get(f"/campaigns/{campaign.pk}/updates/").content.decode()
    assert "<strong>hearing</strong>" in page

    # One click (the mail client's POST, no CSRF token, no session) turns news off.
    path = "/" + off.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    assert not NewsOptOut.objects.exists()  # a GET changes nothing
    assert client.post(path).status_code == 200
    mail.outbox.clear()
    client.force_login(sam)
    post(client, campaign, kind="result", result="won", title="Ana is free")
    work_off()
    assert [m.to[0] for m in mail.outbox] == ["lucia@correo.example"]


def test_updates_are_sent_in_batches_and_finished_by_the_periodic_task(campaign, sam):
    update = CampaignUpdate.objects.create(campaign=campaign, title="Soon", text="More soon.")
    assert update_send_batch(update.pk, batch=1) == 1
    assert len(mail.outbox) == 1
    assert send_campaign_updates.call() == 1
    assert len(mail.outbox) == 2
    update.refresh_from_db()
    assert update.finished_at is not None and update.sent_count == 2
    assert send_campaign_updates.call() == 0  # nothing twice


def test_a_result_needs_its_outcome_and_refused_input_changes_nothing(client, campaign, sam):
    client.force_login(sam)
    refused = post(client, campaign, kind="result", result="")
    assert refused.status_code == 400
    assert "Say what the result is" in refused.content.decode()
    assert post(client, campaign, title="").status_code == 400
    assert not CampaignUpdate.objects.exists()


def test_members_and_other_organizations_may_not_post(client, campaign, mo, kim):
    for person in (mo, kim):
        client.force_login(person)
        assert post(client, campaign).status_code == 403
    assert not CampaignUpdate.objects.exists()


def test_a_forged_unsubscribe_link_is_refused(client, campaign):
    assert client.post("/campaigns/news/off/forged:link/").status_code == 400
    assert not NewsOptOut.objects.exists()
