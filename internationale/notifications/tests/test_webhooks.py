"""Outgoing webhooks, delivered to a real HTTP server on 127.0.0.1 that a test starts."""

import base64
import datetime
import hashlib
import hmac
import json
import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.appeals.tests.factories import AppealFactory
from internationale.core.models import Notice
from internationale.core.notices import notice_dispatch
from internationale.notifications.models import Webhook, WebhookDelivery
from internationale.notifications.selectors import delivery_list, webhook_list
from internationale.notifications.services import webhook_create
from internationale.notifications.tasks import retry_due_webhooks
from internationale.notifications.webhooks import check_webhook_url

from .notices import TITLE, notify
from .webhook_server import Receiver

DELIVER = "internationale.notifications.tasks.deliver_webhooks"


@pytest.fixture
def allow_private(settings):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def receiver():
    receivers: list[Receiver] = []

    def start(*statuses: int, location: str = "") -> Receiver:
        r = Receiver(statuses=list(statuses) or [200], location=location).start()
        receivers.append(r)
        return r

    yield start
    for r in receivers:
        r.stop()


@pytest.fixture
def deliver(db):
    """Send notices of one public appeal, for the worker to dispatch."""
    appeal = AppealFactory(title=TITLE, visibility="public", status="open")

    def deliver(*organizations):  # type: ignore[no-untyped-def]
        return notify(*organizations, source=appeal, at_once=False)

    deliver.appeal = appeal  # type: ignore[attr-defined]
    return deliver


def time_passes() -> None:
    """Bring forward every deferred retry, as if its time had come."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=past)


def verify(secret: str, body: bytes, signature: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def test_a_webhook_receives_each_event_signed_with_its_secret(
    allow_private, receiver, ana, owner_org, deliver, run_tasks
):
    server = receiver()
    hook = webhook_create(actor=ana, organization=owner_org, url=server.url + "/hook")
    deliver(owner_org)
    run_tasks()

    [request] = server.received
    assert request.path == "/hook"
    assert request.headers["X-Internationale-Event"] == "appeal.received"
    assert verify(hook.secret, request.body, request.headers["X-Internationale-Signature"])
    assert not verify("another secret", request.body, request.headers["X-Internationale-Signature"])
    payload = json.loads(request.body)
    assert payload["organization"] == "metal-sp"
    assert payload["title"] == "Lockout at the port of Busan"
    assert payload["url"].endswith(f"/appeals/{deliver.appeal.pk}/")
    assert payload["key"] == f"appeals.appeal:{deliver.appeal.pk}"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


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
    assert len({r.headers["X-Internationale-Delivery"] for r in server.received}) == 1
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
    ],
)
def test_loopback_private_and_link_local_addresses_are_refused(ana, owner_org, url):
    with pytest.raises(ValidationError) as error:
        webhook_create(actor=ana, organization=owner_org, url=url)
    assert "url" in error.value.message_dict
    assert not Webhook.objects.exists()


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


def test_a_public_address_is_accepted(settings):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = False
    check_webhook_url("https://1.1.1.1/hooks/internationale")
    check_webhook_url("https://[2606:4700:4700::1111]/hooks")


def test_only_the_admin_manages_webhooks(allow_private, sam, ana, owner_org):
    with pytest.raises(PermissionDenied):
        webhook_create(actor=sam, organization=owner_org, url="http://127.0.0.1:9/")
    hook = webhook_create(actor=ana, organization=owner_org, url="http://127.0.0.1:9/")
    assert list(webhook_list(viewer=sam, organization=owner_org)) == []
    assert list(webhook_list(viewer=ana, organization=owner_org)) == [hook]
    assert len(hook.secret) == 64


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
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))
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
