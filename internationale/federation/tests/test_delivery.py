"""Delivery of this server's activities to remote inboxes (federation/delivery.py), to real HTTP
servers on loopback: what they receive, signed how; retries, the circuit breaker per host, the
double knock, giving up (and telling the organization), addresses refused."""

import datetime
import json
import socket
from typing import Any

import pytest
from django.utils import timezone
from requests.structures import CaseInsensitiveDict

from internationale import cli
from internationale.core.models import Notice
from internationale.core.notices import notice_dispatch
from internationale.federation.delivery import deliver_due, fan_out
from internationale.federation.keys import current_key
from internationale.federation.models import Delivery, Follower, OutgoingActivity, RemoteHost
from internationale.federation.signatures import CAVAGE, RFC9421, key_id_of, verify
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import Remote
from .remote_server import RemoteServer

pytestmark = pytest.mark.django_db

ACTOR = "http://127.0.0.1:8000/federation/actors/dockers"


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers", name="Dock Workers' Union")


def follow(client: Any, alice: Remote) -> OutgoingActivity:
    """Alice follows the union; the Accept waits for delivery."""
    response = alice.post(
        client, "/federation/actors/dockers/inbox", alice.activity("Follow", object=ACTOR)
    )
    assert response.status_code == 202, response.content
    return OutgoingActivity.objects.get(activity_type="Accept")


def run() -> int:
    return int(deliver_due.call())


def time_passes(**delay: float) -> None:
    """Every pending delivery's next attempt (and the creation of each) moved back by `delay`, as
    if that time had passed; the breakers' pauses too."""
    step = datetime.timedelta(**delay)
    for delivery in Delivery.objects.all():
        delivery.next_attempt_at -= step
        delivery.created_at -= step
        delivery.save()
    for host in RemoteHost.objects.exclude(open_until=None):
        assert host.open_until is not None
        host.open_until -= step
        host.save()


def checked(server: RemoteServer, union: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, scheme, activity) of every request the server received, each signature verified with
    the union's public key, the key named being the union's."""
    key = current_key(union)
    out = []
    for path, headers, body in server.posted:
        lower = CaseInsensitiveDict(headers)
        key_id, scheme = key_id_of(dict(lower))
        assert key_id == f"{ACTOR}/keys/{key.number}"
        verify(
            method="POST",
            url=server.url + path,
            headers=lower,  # type: ignore[arg-type]
            body=body,
            public_key_pem=key.public_key_pem,
        )
        out.append((path, scheme, json.loads(body)))
    return out


def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_accept_of_a_follow_is_delivered_signed_with_rfc_9421(client, alice, union):
    accept = follow(client, alice)
    assert run() == 1
    [(path, scheme, activity)] = checked(alice.server, union)
    assert (path, scheme) == ("/users/alice/inbox", RFC9421)
    assert activity["type"] == "Accept" and activity["id"] == accept.activity_id
    assert activity["object"]["actor"] == alice.actor
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.signature_scheme) == (Delivery.Status.DELIVERED, RFC9421)
    accept.refresh_from_db()
    assert accept.delivered_at is not None
    assert RemoteHost.objects.get(host=alice.server.url).signature_scheme == RFC9421
    # Delivered once: the next run sends nothing.
    assert run() == 0 and len(alice.server.posted) == 1


def test_an_update_goes_to_each_followers_shared_inbox_once(
    allow_private, remote_servers, union, capsys
):
    social, small = remote_servers(), remote_servers()
    for name in ("ana", "ben"):
        Follower.objects.create(
            organization=union,
            actor=f"{social.url}/users/{name}",
            inbox=f"{social.url}/users/{name}/inbox",
            shared_inbox=f"{social.url}/inbox",
            follow_id=f"{social.url}/follows/{name}",
        )
    Follower.objects.create(
        organization=union,
        actor=f"{small.url}/users/cy",
        inbox=f"{small.url}/users/cy/inbox",
        follow_id=f"{small.url}/follows/cy",
    )
    Follower.objects.create(  # another organization's follower hears nothing of it
        organization=OrganizationFactory(),
        actor=f"{small.url}/users/dee",
        inbox=f"{small.url}/users/dee/inbox",
        follow_id=f"{small.url}/follows/dee",
    )
    current_key(union)
    assert cli.main(["org", "rotate-key", "dockers"]) == 0
    assert run() == 2
    [(path, _scheme, update)] = checked(social, union)
    assert path == "/inbox" and update["type"] == "Update"
    assert update["object"]["publicKey"]["id"] == f"{ACTOR}/keys/2"
    assert [(p, a["type"]) for p, _s, a in checked(small, union)] == [("/users/cy/inbox", "Update")]


def test_a_host_that_refuses_rfc_9421_gets_cavage_and_keeps_it(client, alice, union):
    alice.server.answer = lambda headers: 401 if "Signature-Input" in headers else 202
    follow(client, alice)
    assert run() == 1
    assert [scheme for _p, scheme, _a in checked(alice.server, union)] == [RFC9421, CAVAGE]
    assert Delivery.objects.get().signature_scheme == CAVAGE
    assert RemoteHost.objects.get(host=alice.server.url).signature_scheme == CAVAGE
    # The next activity to that host is signed with cavage at once: one request, not two.
    alice.server.posted.clear()
    Follower.objects.all().delete()
    response = alice.post(client, "/federation/inbox", alice.activity("Follow", object=ACTOR))
    assert response.status_code == 202
    assert run() == 1
    assert [scheme for _p, scheme, _a in checked(alice.server, union)] == [CAVAGE]


def test_refused_both_ways_the_delivery_is_given_up_and_the_organization_told(client, alice, union):
    alice.server.answer = 403
    accept = follow(client, alice)
    assert run() == 0
    assert [scheme for _p, scheme, _a in checked(alice.server, union)] == [RFC9421, CAVAGE]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (Delivery.Status.FAILED, 403)
    told = Notice.objects.get(kind="federation.undelivered")
    assert told.organization_ids == [union.pk] and told.source == accept
    notice_dispatch.call(told.pk)
    entry = InboxEntry.objects.get(organization=union)
    host = alice.server.url.split("://", 1)[1]
    assert entry.display_title == f"Not delivered to {host}: Accept"
    assert run() == 0 and len(alice.server.posted) == 2  # not tried again


def test_a_failing_host_is_tried_again_later_and_the_delivery_arrives(client, alice, union):
    answers = [503, 502, 202]
    alice.server.answer = lambda headers: answers.pop(0)
    follow(client, alice)
    assert run() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    first_delay = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=20) < first_delay <= datetime.timedelta(seconds=30)
    assert run() == 0 and len(alice.server.posted) == 1  # not due yet
    time_passes(seconds=30)
    assert run() == 0
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 502)
    # The delay grows: two minutes now.
    assert delivery.next_attempt_at - timezone.now() > datetime.timedelta(seconds=100)
    time_passes(minutes=2)
    assert run() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 3)
    assert len(checked(alice.server, union)) == 3  # 5xx is no signature refusal: one knock each


def test_a_delivery_claimed_by_a_process_that_died_is_delivered_later(client, alice, union):
    follow(client, alice)
    # A run claimed it (its attempt counted, its next attempt moved ahead) and died.
    fan_out(OutgoingActivity.objects.get())
    Delivery.objects.update(
        attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert run() == 0 and not alice.server.posted
    time_passes(seconds=31)
    assert run() == 1 and len(alice.server.posted) == 1


def test_three_failures_in_a_minute_open_the_hosts_breaker(client, allow_private, union, settings):
    port = dead_port()  # nothing listens there: the connection is refused
    inbox = f"http://127.0.0.1:{port}/inbox"
    for n in range(4):
        OutgoingActivity.objects.create(
            organization=union,
            activity_id=f"http://127.0.0.1:8000/federation/activities/{n}",
            activity_type="Accept",
            payload={"type": "Accept", "id": f"http://127.0.0.1:8000/federation/activities/{n}"},
            inbox=inbox,
        )
    assert run() == 0
    host = RemoteHost.objects.get(host=f"http://127.0.0.1:{port}")
    assert host.open_until is not None
    pause = host.open_until - timezone.now()
    assert datetime.timedelta(seconds=590) < pause <= datetime.timedelta(seconds=600)
    attempts = sorted(Delivery.objects.values_list("attempts", flat=True))
    assert attempts == [0, 1, 1, 1]  # the fourth waits for the breaker, no attempt counted
    waiting = Delivery.objects.get(attempts=0)
    assert waiting.next_attempt_at == host.open_until
    # The pause over and the host back, everything arrives.
    server = RemoteServer().start(port)
    try:
        time_passes(seconds=600)
        assert run() == 4
        assert len(server.posted) == 4
        host.refresh_from_db()
        assert host.open_until is None
    finally:
        server.stop()


def test_a_delivery_still_failing_after_seven_days_is_given_up(client, alice, union):
    alice.server.answer = 503
    follow(client, alice)
    assert run() == 0
    time_passes(days=7)
    assert run() == 0
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert Notice.objects.filter(kind="federation.undelivered").count() == 1


def test_an_inbox_on_a_private_address_is_refused_and_nothing_sent(client, alice, union, settings):
    follow(client, alice)
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = False
    assert run() == 0
    assert not alice.server.posted
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "private_address")
    assert Notice.objects.filter(kind="federation.undelivered").exists()
