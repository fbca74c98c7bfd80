"""An organization's inbox and its webhooks, through real requests."""

import datetime
import re

import pytest
from django.utils import timezone

from internationale.core.models import AuditEntry, Urgency
from internationale.core.tests.confirmations import assert_offered_second, confirmation
from internationale.notifications.models import InboxEntry, Webhook, WebhookDelivery
from internationale.notifications.services import inbox_mark_read, webhook_create

from .notices import notify

pytestmark = pytest.mark.django_db

PUBLIC_HOOK = "https://93.184.216.34/hooks/internationale"  # a public address: no DNS needed


def deliver(org, title, *, urgency=Urgency.ROUTINE, hours_ago=0, url=None, summary=""):  # type: ignore[no-untyped-def]
    """An entry in `org`'s inbox, delivered `hours_ago`; with `url`, one whose stored link is that
    (as an entry delivered by an earlier version may have)."""
    notice = notify(org, title=title, urgency=urgency, summary=summary)
    entry = InboxEntry.objects.get(notice=notice)
    changes = {"created_at": timezone.now() - datetime.timedelta(hours=hours_ago)}
    if url is not None:
        changes["url"] = url
    InboxEntry.objects.filter(pk=entry.pk).update(**changes)
    entry.refresh_from_db()
    return entry


def titles(page: str) -> list[str]:
    return re.findall(r'class="entry-title"[^>]*>(?:<strong>)?([^<]+)', page)


# The inbox


def test_the_inbox_shows_emergencies_first_then_the_newest(client_for, mo, owner_org):
    deliver(owner_org, "Old routine", hours_ago=5)
    deliver(owner_org, "New routine", hours_ago=1)
    deliver(owner_org, "Old emergency", urgency=Urgency.EMERGENCY, hours_ago=48)
    deliver(owner_org, "Urgent", urgency=Urgency.URGENT, hours_ago=3)
    page = client_for(mo).get("/inbox/metal-sp/").content.decode()
    assert titles(page) == ["Old emergency", "Urgent", "New routine", "Old routine"]
    assert "Emergency" in page


def test_unread_entries_are_bold_and_say_unread_in_words(client_for, mo, owner_org):
    read = deliver(owner_org, "Already read")
    deliver(owner_org, "Not yet read")
    inbox_mark_read(actor=mo, entries=[read])
    page = client_for(mo).get("/inbox/metal-sp/").content.decode()
    unread_row = re.search(r'<li id="entry-\d+" class="inbox-entry unread">(.*?)</li>', page, re.S)
    assert '<span class="badge unread">unread</span>' in unread_row[1]
    assert "<strong>Not yet read</strong>" in unread_row[1]
    assert "<strong>Already read</strong>" not in page
    assert page.count(">unread</span>") == 1


def test_previews_show_the_words_of_a_summary_and_the_entry_its_formatting(
    client_for, mo, owner_org
):
    entry = deliver(
        owner_org,
        "Strike",
        summary="**3,000 workers** out at [Corvina](https://corvina.example)",
        url="https://elsewhere.example/strike",  # shown on its own page, not followed
    )
    inbox = client_for(mo).get("/inbox/metal-sp/").content.decode()
    assert '<p class="entry-summary" dir="auto">3,000 workers out at Corvina</p>' in inbox
    page = client_for(mo).get(f"/inbox/metal-sp/{entry.pk}/").content.decode()
    assert "<strong>3,000 workers</strong>" in page and "**" not in page


def test_opening_an_entry_marks_it_read_for_that_person_only(client_for, mo, sam, owner_org):
    entry = deliver(owner_org, "Strike at the port")
    response = client_for(mo).get(f"/inbox/metal-sp/{entry.pk}/")
    assert response.status_code == 302
    assert response["Location"] == entry.source.get_absolute_url()
    assert ">unread</span>" not in client_for(mo).get("/inbox/metal-sp/").content.decode()
    assert ">unread</span>" in client_for(sam).get("/inbox/metal-sp/").content.decode()


@pytest.mark.parametrize(
    "url", ["https://elsewhere.example/appeal", "//elsewhere.example/", "/\\elsewhere.example", ""]
)
def test_an_entry_that_does_not_point_here_is_shown_not_followed(client_for, mo, owner_org, url):
    entry = deliver(owner_org, "Somewhere else", url=url, summary="Read this")
    response = client_for(mo).get(f"/inbox/metal-sp/{entry.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Somewhere else" in page and "Read this" in page
    if url.startswith("https://"):
        assert f'href="{url}"' in page
    assert entry.reads.filter(user=mo).exists()


def test_marking_an_entry_unread_again(client_for, mo, owner_org):
    entry = deliver(owner_org, "Read once")
    inbox_mark_read(actor=mo, entries=[entry])
    client = client_for(mo)
    response = client.post(f"/inbox/metal-sp/{entry.pk}/unread/")
    assert response.status_code == 302
    assert response["Location"] == "/inbox/metal-sp/"
    assert "<strong>Read once</strong>" in client.get("/inbox/metal-sp/").content.decode()


def test_marking_unread_with_htmx_returns_just_the_entry(client_for, mo, owner_org):
    entry = deliver(owner_org, "Read once")
    inbox_mark_read(actor=mo, entries=[entry])
    response = client_for(mo).post(f"/inbox/metal-sp/{entry.pk}/unread/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li id="entry-{entry.pk}" class="inbox-entry unread">')
    assert "<html" not in page


def test_marking_unread_only_by_post(client_for, mo, owner_org):
    entry = deliver(owner_org, "x")
    assert client_for(mo).get(f"/inbox/metal-sp/{entry.pk}/unread/").status_code == 405


def test_the_unread_filter_hides_what_was_read(client_for, mo, owner_org):
    read = deliver(owner_org, "Already read")
    deliver(owner_org, "Not yet read")
    inbox_mark_read(actor=mo, entries=[read])
    page = client_for(mo).get("/inbox/metal-sp/?unread=1").content.decode()
    assert titles(page) == ["Not yet read"]
    assert 'href="/inbox/metal-sp/?unread=1" aria-current="page"' in page


def test_an_empty_inbox_says_so(client_for, olu, owner_org):
    page = client_for(olu).get("/inbox/metal-sp/").content.decode()
    assert 'class="empty"' in page
    assert "The inbox is empty" in page
    unread = client_for(olu).get("/inbox/metal-sp/?unread=1").content.decode()
    assert "Nothing unread" in unread


def test_the_inbox_is_paginated_and_keeps_the_filter(client_for, mo, owner_org, settings):
    settings.INTERNATIONALE_PAGE_SIZE = 2
    for n in range(5):
        deliver(owner_org, f"Entry {n}", hours_ago=n)
    client = client_for(mo)
    first = client.get("/inbox/metal-sp/?unread=1").content.decode()
    assert titles(first) == ["Entry 0", "Entry 1"]
    assert 'href="?unread=1&amp;page=2"' in first
    third = client.get("/inbox/metal-sp/?unread=1&page=3").content.decode()
    assert titles(third) == ["Entry 4"]


def test_every_role_sees_the_inbox_and_nobody_else_does(
    client_for, ana, sam, mo, olu, kim, oscar, nell, owner_org
):
    deliver(owner_org, "Internal")
    for person in (ana, sam, mo, olu):
        assert client_for(person).get("/inbox/metal-sp/").status_code == 200
    for person in (kim, oscar, nell):
        assert client_for(person).get("/inbox/metal-sp/").status_code == 404


def test_an_entry_of_another_organization_is_not_found(client_for, ana, kim, other_org):
    theirs = deliver(other_org, "Their secret")
    client = client_for(ana)
    assert client.get(f"/inbox/metal-sp/{theirs.pk}/").status_code == 404
    assert client.post(f"/inbox/metal-sp/{theirs.pk}/unread/").status_code == 404
    assert not theirs.reads.exists()


def test_the_inbox_costs_a_fixed_number_of_queries(
    client_for, mo, owner_org, django_assert_max_num_queries
):
    for n in range(20):
        deliver(owner_org, f"Entry {n}", urgency=n % 3)
    client = client_for(mo)
    with django_assert_max_num_queries(10):
        assert client.get("/inbox/metal-sp/").status_code == 200


# Webhooks


def test_the_admin_adds_a_webhook_and_sees_its_secret_once(client_for, ana, owner_org):
    client = client_for(ana)
    response = client.post("/organizations/metal-sp/webhooks/", {"url": PUBLIC_HOOK})
    assert response.status_code == 302
    webhook = Webhook.objects.get(organization=owner_org)
    page = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert webhook.secret in page and PUBLIC_HOOK in page
    again = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert webhook.secret not in again and PUBLIC_HOOK in again
    assert AuditEntry.objects.filter(action="webhook.create", organization=owner_org).exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "https://10.0.0.5/hook", "http://localhost/hook"]
)
def test_a_webhook_to_a_private_address_is_refused_with_a_clear_message(client_for, ana, url):
    response = client_for(ana).post("/organizations/metal-sp/webhooks/", {"url": url})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Addresses on loopback or private networks are not allowed." in page
    assert 'id="id_url_error"' in page and 'aria-invalid="true"' in page
    assert not Webhook.objects.exists()


def test_a_webhook_address_must_be_a_url(client_for, ana):
    response = client_for(ana).post("/organizations/metal-sp/webhooks/", {"url": "not a url"})
    assert response.status_code == 200
    assert 'id="id_url_error"' in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_delivery_log_shows_status_attempts_and_the_last_response(client_for, ana, owner_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    WebhookDelivery.objects.create(
        webhook=webhook, event_key="a:1", event="appeal", payload={}, status="delivered",
        attempts=1, last_status_code=204,
    )  # fmt: skip
    WebhookDelivery.objects.create(
        webhook=webhook, event_key="a:2", event="appeal", payload={}, status="failed",
        attempts=6, last_error="ConnectTimeout: timed out",
    )  # fmt: skip
    page = client_for(ana).get("/organizations/metal-sp/webhooks/").content.decode()
    assert "HTTP 204" in page
    assert "ConnectTimeout: timed out" in page
    assert "Delivered" in page and "Failed" in page
    assert "<td>6</td>" in page


def test_deleting_a_webhook_asks_first(client_for, ana, owner_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    client = client_for(ana)
    url = f"/organizations/metal-sp/webhooks/{webhook.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and PUBLIC_HOOK in confirm.content.decode()
    assert Webhook.objects.filter(pk=webhook.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Webhook.objects.filter(pk=webhook.pk).exists()
    assert AuditEntry.objects.filter(action="webhook.delete").exists()


def test_webhooks_are_for_the_admin_only(client_for, sam, kai, oscar, owner_org, other_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    for person in (sam, kai, oscar):
        client = client_for(person)
        assert client.get("/organizations/metal-sp/webhooks/").status_code == 404
        assert (
            client.post(f"/organizations/metal-sp/webhooks/{webhook.pk}/delete/").status_code == 404
        )
    assert Webhook.objects.filter(pk=webhook.pk).exists()


def test_another_organizations_webhook_is_not_found(client_for, ana, other_org):
    theirs = Webhook.objects.create(organization=other_org, url=PUBLIC_HOOK, secret="s" * 64)
    response = client_for(ana).post(f"/organizations/metal-sp/webhooks/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert Webhook.objects.filter(pk=theirs.pk).exists()


def test_the_admin_changes_a_secret_sees_the_new_one_once_then_retires_the_old(
    client_for, ana, owner_org
):
    client = client_for(ana)
    client.post("/organizations/metal-sp/webhooks/", {"url": PUBLIC_HOOK})
    webhook = Webhook.objects.get(organization=owner_org)
    old = webhook.secret
    client.get("/organizations/metal-sp/webhooks/")  # the first secret, shown once

    response = client.post(f"/organizations/metal-sp/webhooks/{webhook.pk}/rotate-secret/")
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert webhook.secret != old and webhook.signing_secrets() == [webhook.secret, old]
    page = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert webhook.secret in page and old not in page
    # With several webhooks, the admin knows which one the secret is for.
    assert f'For the webhook that delivers to <span class="break">{PUBLIC_HOOK}</span>.' in page
    assert "the old secret also signs until" in page
    assert "Retire the old secret" in page
    again = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert webhook.secret not in again

    response = client.post(f"/organizations/metal-sp/webhooks/{webhook.pk}/retire-old-secret/")
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert webhook.signing_secrets() == [webhook.secret]
    page = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert "The old secret no longer signs." in page
    assert "Change secret" in page


def test_changing_a_secret_twice_at_once_is_refused_with_a_clear_message(
    client_for, ana, owner_org
):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    client = client_for(ana)
    client.post(f"/organizations/metal-sp/webhooks/{webhook.pk}/rotate-secret/")
    client.get("/organizations/metal-sp/webhooks/")  # the new secret, shown once
    webhook.refresh_from_db()
    current = webhook.secret

    response = client.post(
        f"/organizations/metal-sp/webhooks/{webhook.pk}/rotate-secret/", follow=True
    )
    assert "The secret is already being changed" in response.content.decode()
    webhook.refresh_from_db()
    assert webhook.secret == current
    assert current not in response.content.decode()


def test_only_the_admin_changes_a_webhook_secret(client_for, sam, kai, owner_org, other_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    for person in (sam, kai):
        client = client_for(person)
        for action in ("rotate-secret", "retire-old-secret"):
            url = f"/organizations/metal-sp/webhooks/{webhook.pk}/{action}/"
            assert client.post(url).status_code == 404
    webhook.refresh_from_db()
    assert webhook.secret == "s" * 64 and not webhook.previous_secret


def test_a_webhook_is_deleted_only_after_confirming_which(
    client_for, allow_private, ana, owner_org
):
    hook = webhook_create(actor=ana, organization=owner_org, url="http://127.0.0.1:9/hook")
    url = f"/organizations/metal-sp/webhooks/{hook.pk}/delete/"
    client = client_for(ana)
    page = client.get("/organizations/metal-sp/webhooks/").content.decode()
    assert_offered_second(page, url)

    asked = confirmation(client, url)
    assert asked.button == "Delete the webhook http://127.0.0.1:9/hook"
    assert asked.cancel == "/organizations/metal-sp/webhooks/"
    assert Webhook.objects.filter(pk=hook.pk).exists()

    client.post(url)
    assert not Webhook.objects.filter(pk=hook.pk).exists()
