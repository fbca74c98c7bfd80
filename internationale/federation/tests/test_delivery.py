"""Delivery of this server's activities to remote inboxes (federation/delivery.py), to real HTTP
servers on loopback: what they receive, signed how; retries, the circuit breaker per host, the
double knock, giving up (and telling the organization), addresses refused."""

import datetime
import json
import socket
import threading
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from requests.structures import CaseInsensitiveDict

from internationale import cli
from internationale.core.models import Notice
from internationale.core.notices import notice_dispatch
from internationale.federation.delivery import deliver_activity, deliver_due, fan_out
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


class HangingServer:
    """A remote host that takes connections and never answers: it reads what is sent and holds
    the connection until the client gives up. `given_up()`: connections the client closed."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.accepted = 0
        self.closed = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:  # closed: stopped
                return
            with self.lock:
                self.accepted += 1
            threading.Thread(target=self._hold, args=(connection,), daemon=True).start()

    def _hold(self, connection: socket.socket) -> None:
        with connection:
            while True:
                try:
                    if not connection.recv(65536):  # the client closed it: it gave up
                        break
                except OSError:
                    break
        with self.lock:
            self.closed += 1

    def given_up(self) -> int:
        with self.lock:
            return self.closed

    def stop(self) -> None:
        self.listener.close()


def followed_by(union: Any, url: str, names: list[str]) -> None:
    for name in names:
        Follower.objects.create(
            organization=union,
            actor=f"{url}/users/{name}",
            inbox=f"{url}/users/{name}/inbox",
            follow_id=f"{url}/follows/{name}",
        )


def test_a_host_that_never_answers_does_not_hold_back_the_other_hosts(
    allow_private, remote_servers, union
):
    allow_private.INTERNATIONALE_FEDERATION_TIMEOUT = 6
    hanging = HangingServer()
    lagos, busan = remote_servers(), remote_servers()
    # Served first (the most deliveries waiting): its four followers have no shared inbox.
    followed_by(union, hanging.url, ["a", "b", "c", "d"])
    followed_by(union, lagos.url, ["e", "f"])
    followed_by(union, busan.url, ["g"])
    # Each live host notes, as it receives, how many requests to the hanging host were given up.
    given_up_before: list[int] = []
    for server in (lagos, busan):
        server.answer = lambda headers: given_up_before.append(hanging.given_up()) or 202
    current_key(union)
    outgoing = OutgoingActivity.objects.create(
        organization=union,
        activity_id="http://127.0.0.1:8000/federation/activities/appeal",
        activity_type="Create",
        payload={"type": "Create", "id": "http://127.0.0.1:8000/federation/activities/appeal"},
    )
    try:
        assert deliver_activity.call(outgoing.pk) == 3
    finally:
        hanging.stop()
    # Every live inbox received it before any request to the hanging host was given up.
    assert sorted(p for p, _s, _a in checked(lagos, union)) == ["/users/e/inbox", "/users/f/inbox"]
    assert [p for p, _s, _a in checked(busan, union)] == ["/users/g/inbox"]
    assert given_up_before == [0, 0, 0]
    # Three requests to it at once, no more: they failed together, which opened its breaker, and
    # the fourth waits for it without an attempt counted.
    assert hanging.accepted == 3
    assert RemoteHost.objects.get(host=hanging.url).open_until is not None
    attempts = Delivery.objects.filter(host=hanging.url, status=Delivery.Status.PENDING)
    assert sorted(attempts.values_list("attempts", flat=True)) == [0, 1, 1, 1]
    # One later run of the activity to try again, not one per failed delivery.
    assert DBTaskResult.objects.filter(task_path=deliver_activity.module_path).count() == 1


def test_a_slow_host_gets_its_deliveries_while_the_others_get_theirs(
    allow_private, remote_servers, union
):
    slow, quick = remote_servers(), remote_servers()
    followed_by(union, slow.url, ["a", "b", "c", "d", "e"])
    followed_by(union, quick.url, ["f", "g"])
    release = threading.Event()
    released: list[bool] = []

    def answer_late(headers: dict[str, str]) -> int:
        # Answers once the quick host has all its deliveries (or after 10 s, noted).
        released.append(release.wait(10))
        return 202

    slow.answer = answer_late
    quick.answer = lambda headers: (len(quick.posted) == 2 and release.set()) or 202
    current_key(union)
    outgoing = OutgoingActivity.objects.create(
        organization=union,
        activity_id="http://127.0.0.1:8000/federation/activities/slow",
        activity_type="Create",
        payload={"type": "Create", "id": "http://127.0.0.1:8000/federation/activities/slow"},
    )
    assert deliver_activity.call(outgoing.pk) == 7
    # The quick host was not kept waiting for the slow one's answers.
    assert released == [True] * 5
    assert len(checked(slow, union)) == 5 and len(checked(quick, union)) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
    outgoing.refresh_from_db()
    assert outgoing.delivered_at is not None


def test_a_host_gets_three_requests_at_once_until_it_answers_then_more(
    allow_private, remote_servers, union
):
    server = remote_servers()
    followed_by(union, server.url, [f"p{n}" for n in range(11)])  # no shared inbox: 11 deliveries
    gate = threading.Condition()
    state = {"in": 0, "answered": 0, "four": False}
    # (answers given, requests in flight) as each request came.
    in_flight_seen: list[tuple[int, int]] = []

    def answer(headers: dict[str, str]) -> int:
        with gate:
            state["in"] += 1
            in_flight_seen.append((state["answered"], state["in"]))
            state["four"] = state["four"] or state["in"] >= 4
            gate.notify_all()
            # Before any answer, held a second, for a fourth request to come if it would; once
            # answered, held until four are in flight at once.
            if state["answered"] == 0:
                gate.wait_for(lambda: state["in"] >= 4, timeout=1)
            else:
                gate.wait_for(lambda: state["four"], timeout=10)
            state["in"] -= 1
            state["answered"] += 1
            gate.notify_all()
        return 202

    server.answer = answer
    current_key(union)
    outgoing = OutgoingActivity.objects.create(
        organization=union,
        activity_id="http://127.0.0.1:8000/federation/activities/many",
        activity_type="Create",
        payload={"type": "Create", "id": "http://127.0.0.1:8000/federation/activities/many"},
    )
    assert deliver_activity.call(outgoing.pk) == 11
    # Not heard from yet: three at once at most; then more, up to the limit per host.
    assert max(n for answered, n in in_flight_seen if answered == 0) == 3
    assert state["four"] and max(n for _answered, n in in_flight_seen) <= 8
    assert len(checked(server, union)) == 11
