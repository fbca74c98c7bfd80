"""Outgoing webhooks, delivered to a real HTTP server on 127.0.0.1 that a test starts."""

import base64
import datetime
import hashlib
import hmac
import importlib
import json
import socket
import time
from types import SimpleNamespace

import pytest
import standardwebhooks
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.core.models import AuditEntry, Notice
from internationale.core.notices import notice_dispatch
from internationale.notifications.models import Webhook, WebhookDelivery
from internationale.notifications.selectors import delivery_list, webhook_list
from internationale.notifications.services import (
    webhook_create,
    webhook_retire_previous_secret,
    webhook_rotate_secret,
)
from internationale.notifications.tasks import retry_due_webhooks
from internationale.notifications.webhooks import check_webhook_url, new_secret

DELIVER = "internationale.notifications.tasks.deliver_webhooks"
upgrade = importlib.import_module(
    "internationale.notifications.migrations.0006_webhook_secrets_standard"
)


def time_passes() -> None:
    """Bring forward every deferred retry, as if its time had come."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=past)


def verify(secret: str | bytes, request) -> bool:  # type: ignore[no-untyped-def]
    """What a receiving system does: check the request with the Standard Webhooks library."""
    try:
        standardwebhooks.Webhook(secret).verify(request.body, request.headers)
    except standardwebhooks.WebhookVerificationError:
        return False
    return True


def test_a_webhook_receives_each_event_signed_with_its_secret(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url + "/hook")
    server.secret = hook.secret  # the receiver refuses what does not verify with it
    deliver(owner_org)
    run_tasks()

    [request] = server.received
    assert request.path == "/hook"
    assert request.headers["X-Internationale-Event"] == "appeal.received"
    assert request.headers["webhook-signature"].startswith("v1,")
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    assert verify(hook.secret, request)
    assert not verify(new_secret(), request)
    payload = json.loads(request.body)
    assert payload["organization"] == "metal-sp"
    assert payload["title"] == "Lockout at the port of Busan"
    assert payload["url"].endswith(f"/appeals/{deliver.appeal.pk}/")
    assert payload["key"] == f"appeals.appeal:{deliver.appeal.pk}"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_the_signature_can_be_checked_by_hand(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    """As docs/api.md shows it, without the library."""
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()

    [request] = server.received
    key = base64.b64decode(hook.secret.removeprefix("whsec_"))
    signed = (
        f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
        + request.body
    )
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert any(
        hmac.compare_digest(expected, given)
        for given in request.headers["webhook-signature"].split(" ")
    )


def test_a_replayed_delivery_is_refused_by_the_receiver(
    allow_private, receiver, ana, owner_org, deliver, run_tasks, monkeypatch
):
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()
    [request] = server.received
    assert verify(hook.secret, request)

    # The same request, sent again ten minutes later by whoever copied it: too old.
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=10)
    clock = SimpleNamespace(now=lambda tz: later, fromtimestamp=datetime.datetime.fromtimestamp)
    monkeypatch.setattr(standardwebhooks.webhooks, "datetime", clock)
    with pytest.raises(standardwebhooks.WebhookVerificationError, match="too old"):
        standardwebhooks.Webhook(hook.secret).verify(request.body, request.headers)
    # Nor can its timestamp be brought forward: the signature covers it.
    fresh = dict(request.headers, **{"webhook-timestamp": str(int(later.timestamp()))})
    with pytest.raises(standardwebhooks.WebhookVerificationError, match="No matching signature"):
        standardwebhooks.Webhook(hook.secret).verify(request.body, fresh)


def test_an_event_delivered_twice_calls_the_webhook_once(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    notice = deliver(owner_org)
    deliver(owner_org)
    run_tasks()
    Notice.objects.filter(pk=notice.pk).update(dispatched_at=None)  # died before marking it
    notice_dispatch.enqueue(notice.pk)
    run_tasks()
    assert len(server.received) == 1


def test_a_failed_delivery_is_retried_later_and_later_until_it_succeeds(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver(500, 503, 200)
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=20) < first_wait <= datetime.timedelta(seconds=30)
    retry = DBTaskResult.objects.get(task_path=DELIVER, status="READY")
    assert abs(retry.run_after - delivery.next_attempt_at) < datetime.timedelta(seconds=1)

    run_tasks()  # not yet due: nothing happens
    assert len(server.received) == 1

    time_passes()
    run_tasks()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    second_wait = delivery.next_attempt_at - timezone.now()
    assert second_wait > datetime.timedelta(seconds=90)  # four times longer

    time_passes()
    run_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    # The receiver can recognise one event however often it is sent.
    assert len({r.headers["webhook-id"] for r in server.received}) == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_delivery_is_marked_failed_after_the_last_attempt(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    allow_private.INTERNATIONALE_WEBHOOK_MAX_ATTEMPTS = 3
    server = receiver(500)
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()
    for _ in range(4):
        time_passes()
        run_tasks()
    retry_due_webhooks.enqueue()
    run_tasks()

    assert len(server.received) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert [w.failed for w in webhook_list(viewer=ana, organization=owner_org)] == [1]
    assert list(delivery_list(viewer=ana, organization=owner_org)) == [delivery]


def test_the_safety_net_delivers_when_the_deferred_retry_was_lost(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver(500, 200)
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()
    DBTaskResult.objects.filter(status="READY").delete()
    time_passes()
    retry_due_webhooks.enqueue()
    run_tasks()
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_redirect_is_not_followed(allow_private, receiver, ana, owner_org, deliver, run_tasks):
    inside = receiver()
    server = receiver(302, location=inside.url + "/internal")
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()
    assert inside.received == []
    assert WebhookDelivery.objects.get().status == "pending"


def test_an_unreachable_webhook_fails_nothing_and_the_others_are_still_called(
    allow_private, receiver, ana, kai, owner_org, other_org, deliver, run_tasks
):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    webhook_create(actor=ana, organization=owner_org, url=f"http://127.0.0.1:{closed}/")
    server = receiver()
    webhook_create(actor=kai, organization=other_org, url=server.url)

    deliver(owner_org, other_org)
    run_tasks()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL", "READY"}
    assert len(server.received) == 1
    failed = WebhookDelivery.objects.get(webhook__organization=owner_org)
    assert failed.status == "pending"
    assert failed.last_error.startswith("ConnectionError")


def test_a_webhook_whose_address_is_no_longer_allowed_is_not_called(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    allow_private.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = False
    deliver(owner_org)
    run_tasks()
    assert server.received == []
    delivery = WebhookDelivery.objects.get()
    assert "not allowed" in delivery.last_error
    assert DBTaskResult.objects.get(task_path=DELIVER, status="SUCCESSFUL")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1/hook",
        "http://localhost:8000/hook",
        "http://api.localhost/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.1/hook",
        "http://100.64.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1]/hook",
        "http://[fc00::1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:7f00:1::1]/",
        "http://224.0.0.1/",
        # Other spellings of loopback and private IPv4 addresses.
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.0.0.1./",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::7f00:1]/",
        "http://[::ffff:7f00:1]/",  # IPv4-mapped, in hex
        "http://[0:0:0:0:0:ffff:10.0.0.1]/",
        "http://[::ffff:0:7f00:1]/",  # IPv4-translated
        "http://[::ffff:0:127.0.0.1]/",
        "http://[::ffff:0:a00:1]/",
        "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
        "http://[2002:a9fe:a9fe::]/",
        "http://[64:ff9b::127.0.0.1]/",  # NAT64
        "http://[64:ff9b::c0a8:101]/",
        "http://[64:ff9b:1::7f00:1]/",  # local-use NAT64
        # IPv6 that is not global unicast.
        "http://[::]/",
        "http://[fec0::1]/",  # site-local
        "http://[fed0::1]/",
        "http://[fd12:3456::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[ff02::1]/",
        "http://[100::1]/",  # discard
        "http://[2001:db8::1]/",  # documentation
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[3fff::1]/",  # documentation, 2024
        "http://[4000::1]/",  # not allocated
        # IPv4 that is not global unicast.
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://198.18.0.1/",
        "http://192.0.2.1/",
    ],
)
def test_addresses_that_are_not_global_unicast_are_refused_whatever_their_spelling(
    ana, owner_org, url
):
    with pytest.raises(ValidationError) as error:
        webhook_create(actor=ana, organization=owner_org, url=url)
    assert "url" in error.value.message_dict
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://1.1.1.1/hooks",
        "https://[2606:4700:4700::1111]/hooks",
        "https://[::ffff:1.1.1.1]/hooks",  # a public IPv4 address inside IPv6 is judged as IPv4
        "https://[64:ff9b::101:101]/hooks",
        "https://[2002:101:101::1]/hooks",
    ],
)
def test_global_unicast_addresses_are_accepted(settings, url):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = False
    check_webhook_url(url)


@pytest.mark.parametrize("private_allowed", [True, False])
@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/",
        "javascript:alert(1)",
        "http://",
        "http://example.org:99999/",
        "http://" + "a" * 70 + ".example.org/",
    ],
)
def test_an_address_that_is_not_a_valid_http_one_is_refused(
    ana, owner_org, settings, private_allowed, url
):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = private_allowed
    with pytest.raises(ValidationError):
        webhook_create(actor=ana, organization=owner_org, url=url)
    assert not Webhook.objects.exists()


def test_only_the_admin_manages_webhooks(allow_private, sam, ana, owner_org):
    with pytest.raises(PermissionDenied):
        webhook_create(actor=sam, organization=owner_org, url="http://127.0.0.1:9/")
    hook = webhook_create(actor=ana, organization=owner_org, url="http://127.0.0.1:9/")
    assert list(webhook_list(viewer=sam, organization=owner_org)) == []
    assert list(webhook_list(viewer=ana, organization=owner_org)) == [hook]
    assert hook.secret.startswith("whsec_")
    assert len(base64.b64decode(hook.secret.removeprefix("whsec_"))) == 32


@pytest.fixture
def dns(monkeypatch):
    """A name server for the name hooks.example.test: answers with the addresses in `answers`,
    one list per lookup (the last repeats); counts the lookups. Other names resolve as usual."""
    real = socket.getaddrinfo
    state = {"answers": [["127.0.0.1"]], "lookups": 0}

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "hooks.example.test":
            return real(host, port, *args, **kwargs)
        answers = state["answers"]
        addresses = answers[min(state["lookups"], len(answers) - 1)]
        state["lookups"] += 1
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port or 80, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))
            for address in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return state


def test_the_webhook_is_called_at_the_address_that_was_checked(
    allow_private, receiver, dns, ana, owner_org, deliver, run_tasks
):
    """DNS rebinding: a name that answers one address for the check and another a moment later
    does not move the request. It goes to the address checked, with the name as its Host."""
    server = receiver()
    port = server.url.rsplit(":", 1)[1]
    webhook_create(actor=ana, organization=owner_org, url=f"http://hooks.example.test:{port}/in")
    # At delivery: the first lookup (the check) says 127.0.0.1, where the receiver listens; every
    # later one says 127.0.0.2, where nothing does.
    dns["answers"], dns["lookups"] = [["127.0.0.1"], ["127.0.0.2"]], 0

    deliver(owner_org)
    run_tasks()

    assert dns["lookups"] == 1
    [call] = server.received
    assert call.path == "/in"
    assert call.headers["Host"] == f"hooks.example.test:{port}"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_name_that_also_answers_a_private_address_is_not_called(
    settings, receiver, dns, ana, owner_org, deliver, run_tasks
):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    server = receiver()
    port = server.url.rsplit(":", 1)[1]
    webhook_create(actor=ana, organization=owner_org, url=f"http://hooks.example.test:{port}/in")
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = False
    dns["answers"] = [["93.184.216.34", "127.0.0.1"]]

    deliver(owner_org)
    run_tasks()

    assert server.received == []
    assert "not allowed" in WebhookDelivery.objects.get().last_error


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "::ffff:0:7f00:1", "fec0::1", "2002:a00::1"],
)
def test_a_name_that_now_answers_an_address_that_is_not_global_is_not_called(
    settings, receiver, dns, ana, owner_org, deliver, run_tasks, address
):
    """Saved while the name answered a public address; checked again at delivery."""
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = False
    dns["answers"] = [["2606:4700:4700::1111", "93.184.216.34"]]
    webhook_create(actor=ana, organization=owner_org, url="http://hooks.example.test/in")
    dns["answers"] = [["93.184.216.34", address]]

    deliver(owner_org)
    run_tasks()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "not allowed" in delivery.last_error


def test_a_name_with_several_addresses_is_called_at_the_first_that_answers(
    allow_private, receiver, dns, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    port = server.url.rsplit(":", 1)[1]
    # 127.0.0.2 is checked like the other, but nothing listens there.
    dns["answers"] = [["127.0.0.2", "127.0.0.1"]]
    webhook_create(actor=ana, organization=owner_org, url=f"http://hooks.example.test:{port}/in")

    deliver(owner_org)
    run_tasks()

    assert len(server.received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_credentials_in_the_address_are_sent_to_the_pinned_address(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    address = server.url.replace("http://", "http://hook:s%40cret@") + "/in"
    webhook_create(actor=ana, organization=owner_org, url=address)

    deliver(owner_org)
    run_tasks()

    [call] = server.received
    assert call.headers["Authorization"] == "Basic " + base64.b64encode(b"hook:s@cret").decode()


# Changing a webhook's secret


def test_while_the_secret_changes_both_the_old_and_the_new_one_verify(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url)
    old = hook.secret
    server.secret = old  # the receiving system still knows the old secret only

    hook = webhook_rotate_secret(actor=ana, webhook=hook)
    assert hook.secret != old
    deliver(owner_org, key="appeal:1")
    run_tasks()
    [request] = server.received
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, request) and verify(hook.secret, request)

    server.secret = hook.secret  # the receiving system takes the new one
    deliver(owner_org, key="appeal:2")
    run_tasks()
    assert server.refused == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_once_the_old_secret_is_retired_only_the_new_one_signs(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url)
    old = hook.secret
    hook = webhook_rotate_secret(actor=ana, webhook=hook)
    webhook_retire_previous_secret(actor=ana, webhook=hook)
    server.secret = old  # a receiving system that was not told

    deliver(owner_org)
    run_tasks()
    [request] = server.received
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    assert verify(hook.secret, request) and not verify(old, request)
    assert server.refused == ["No matching signature found"]
    assert WebhookDelivery.objects.get().status == "pending"  # tried again later
    assert list(
        AuditEntry.objects.filter(organization=owner_org)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["webhook.create", "webhook.rotate_secret", "webhook.retire_secret"]


def test_the_old_secret_stops_signing_after_the_overlap(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    allow_private.INTERNATIONALE_WEBHOOK_SECRET_OVERLAP_HOURS = 48
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url)
    old = hook.secret
    hook = webhook_rotate_secret(actor=ana, webhook=hook)
    until = hook.previous_secret_until - timezone.now()
    assert datetime.timedelta(hours=47) < until <= datetime.timedelta(hours=48)

    Webhook.objects.update(previous_secret_until=timezone.now() - datetime.timedelta(seconds=1))
    deliver(owner_org)
    run_tasks()
    [request] = server.received
    assert verify(hook.secret, request) and not verify(old, request)


def test_the_secret_changes_one_change_at_a_time(allow_private, ana, owner_org):
    hook = webhook_create(actor=ana, organization=owner_org, url="http://127.0.0.1:9/")
    hook = webhook_rotate_secret(actor=ana, webhook=hook)
    with pytest.raises(ValidationError) as error:
        webhook_rotate_secret(actor=ana, webhook=hook)
    assert error.value.code == "rotation_under_way"
    hook = webhook_retire_previous_secret(actor=ana, webhook=hook)
    with pytest.raises(ValidationError) as error:
        webhook_retire_previous_secret(actor=ana, webhook=hook)
    assert error.value.code == "no_rotation"
    hook.refresh_from_db()
    assert hook.signing_secrets() == [hook.secret]
    assert AuditEntry.objects.filter(action="webhook.rotate_secret").count() == 1


def test_only_the_admin_changes_the_secret(allow_private, sam, kai, ana, owner_org):
    hook = webhook_create(actor=ana, organization=owner_org, url="http://127.0.0.1:9/")
    for person in (sam, kai):
        with pytest.raises(PermissionDenied):
            webhook_rotate_secret(actor=person, webhook=hook)
    hook.refresh_from_db()
    assert not hook.previous_secret
    webhook_rotate_secret(actor=ana, webhook=hook)
    for person in (sam, kai):
        with pytest.raises(PermissionDenied):
            webhook_retire_previous_secret(actor=person, webhook=hook)
    hook.refresh_from_db()
    assert hook.rotating


def test_a_secret_of_the_earlier_form_still_verifies_after_the_upgrade(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    """Secrets were 64 hex digits whose text was the key: the upgrade writes them as Standard
    Webhooks secrets of the same key, and the receiving system keeps the one it has."""
    server = receiver()
    hex_secret = "3f" * 32
    Webhook.objects.create(organization=owner_org, url=server.url, secret=hex_secret)
    upgrade.secrets_to_standard(apps, None)

    hook = Webhook.objects.get()
    assert hook.secret == "whsec_" + base64.b64encode(hex_secret.encode()).decode()
    server.secret = hex_secret.encode()  # the library takes the key's bytes as they are
    deliver(owner_org)
    run_tasks()
    assert server.refused == [] and WebhookDelivery.objects.get().status == "delivered"
    [request] = server.received
    assert verify(hook.secret, request)
    # A receiving system not yet changed over checks the headers of that time, as it did.
    expected = "sha256=" + hmac.new(hex_secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Internationale-Signature"] == expected
    assert request.headers["X-Internationale-Delivery"] == request.headers["webhook-id"]

    upgrade.secrets_to_hex(apps, None)  # and back, when the upgrade is undone
    assert Webhook.objects.get().secret == hex_secret


def test_the_headers_of_the_earlier_form_go_once_the_old_secret_is_retired(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    hook = Webhook.objects.create(organization=owner_org, url=server.url, secret="3f" * 32)
    upgrade.secrets_to_standard(apps, None)
    hook = webhook_rotate_secret(actor=ana, webhook=hook)
    deliver(owner_org, key="appeal:1")
    run_tasks()
    assert "X-Internationale-Signature" in server.received[-1].headers  # the old one still signs

    webhook_retire_previous_secret(actor=ana, webhook=hook)
    deliver(owner_org, key="appeal:2")
    run_tasks()
    assert "X-Internationale-Signature" not in server.received[-1].headers
    assert "X-Internationale-Delivery" not in server.received[-1].headers


def test_a_new_webhook_gets_only_the_standard_headers(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    webhook_create(actor=ana, organization=owner_org, url=server.url)
    deliver(owner_org)
    run_tasks()
    [request] = server.received
    assert "X-Internationale-Signature" not in request.headers


# A slow receiving system


def test_a_receiver_that_answers_a_byte_at_a_time_is_given_up_at_the_timeout(
    allow_private, settings, receiver, ana, owner_org, deliver, run_tasks
):
    # Each byte comes well within the timeout, but the whole answer would take 3 s: the worker is
    # not held beyond the request's timeout, and the delivery is tried again later.
    settings.INTERNATIONALE_WEBHOOK_TIMEOUT = 0.5
    server = receiver()
    server.slow_body, server.drip_seconds = b"x" * 30, 0.1
    webhook_create(actor=ana, organization=owner_org, url=server.url + "/in")

    deliver(owner_org)
    run_tasks()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", None)
    assert delivery.last_error.startswith("RequestTooSlow")
