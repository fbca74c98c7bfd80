"""Interoperability with ActivityPub software no one here wrote: a server on Fedify (the npm
package @fedify/fedify, pinned in interop/fedify-peer) runs beside a live server of the platform,
both on loopback. It looks an organization up by WebFinger, reads its actor with Fedify's own
JSON-LD processing, follows it and sends it a note, each signed by Fedify's code; the platform
verifies them and records the follower; the platform then delivers its `Accept`, which Fedify
receives only once its own code has verified the platform's signature."""

import fcntl
import json
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals.services import appeal_send
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.worker import run_pending_tasks
from internationale.federation.models import (
    Delivery,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
    RemoteHost,
)
from internationale.federation.signatures import CAVAGE, RFC9421
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

PEER = Path(__file__).resolve().parents[3] / "interop" / "fedify-peer"
NODE, NPM = shutil.which("node"), shutil.which("npm")

pytestmark = pytest.mark.skipif(
    NODE is None or NPM is None,
    reason="Node.js and npm are needed for the Fedify peer (Debian's nodejs and npm)",
)


@pytest.fixture(scope="session")
def fedify_peer() -> Path:
    """The peer's packages, installed once from the lock file (npm's registry) by whichever test
    process comes first."""
    with (PEER / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PEER / "node_modules" / "@fedify" / "fedify").is_dir():
            subprocess.run(  # noqa: S603 - npm, on our own lock file
                [str(NPM), "ci", "--no-audit", "--no-fund", "--silent"],
                cwd=PEER,
                check=True,
                timeout=600,
            )
    return PEER / "peer.mjs"


def drain() -> None:
    """Run the queued background tasks, and those they queue, as the worker does."""
    while run_pending_tasks():
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_peer(
    peer: Path,
    *args: str,
    wait: int = 6,
    after: tuple[str, str, Callable[[], object]] | None = None,
) -> list[dict[str, Any]]:
    """The peer's steps, read as it prints them. `after`: (step, type, what to do): done in this
    process as soon as the peer prints that step (deliver what the platform has for it, say),
    while the peer goes on listening."""
    process = subprocess.Popen(  # noqa: S603 - node, on our own script
        [str(NODE), str(peer), "--port", str(free_port()), "--wait", str(wait), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    events: list[dict[str, Any]] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if not line.startswith("{"):
                continue
            events.append(json.loads(line))
            if after and (events[-1]["step"], events[-1].get("type")) == after[:2]:
                after[2]()
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return events


def step(events: list[dict[str, Any]], name: str, **match: Any) -> dict[str, Any]:
    for event in events:
        if event["step"] == name and all(event.get(k) == v for k, v in match.items()):
            return event
    raise AssertionError(f"no {name} {match} in {json.dumps(events, indent=1)}")


@pytest.fixture
def platform(live_server, settings, transactional_db):  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = True
    return live_server


def test_a_fedify_server_finds_reads_and_follows_an_organization_and_its_signatures_are_checked(
    platform, fedify_peer
):
    union = OrganizationFactory(slug="dockers", name="Dock Workers' Union")
    host = platform.url.split("://", 1)[1]
    actor_url = f"{platform.url}/federation/actors/dockers"

    secretary = MembershipFactory(organization=union, role=Membership.Role.SECRETARY).user
    addressee = OrganizationFactory(slug="docks-kr", name="Korean Dockworkers")

    def deliver_then_publish() -> None:
        """As the platform's worker would: the Accept delivered, then a public appeal sent,
        published to the followers and delivered."""
        drain()
        appeal = AppealFactory(
            organization=union, created_by=secretary, visibility="public", title="Lockout"
        )
        appeal_send(actor=secretary, appeal=appeal, criteria=Criteria(add=[addressee.pk]))
        drain()

    events = run_peer(
        fedify_peer,
        "--follow",
        f"acct:dockers@{host}",
        "--send-note",
        after=("sent", "Follow", deliver_then_publish),
        wait=10,
    )

    assert step(events, "webfinger")["actor"] == actor_url
    actor = step(events, "actor")
    assert (actor["id"], actor["type"], actor["name"]) == (actor_url, "Group", union.name)
    assert actor["inbox"] == f"{actor_url}/inbox"
    assert step(events, "sent", type="Follow") and step(events, "sent", type="Create")
    assert not [e for e in events if e["step"] in ("inbox-error", "server-error")]
    # The platform checked Fedify's signatures, recorded both activities and the follower, and
    # delivered an Accept to the peer's inbox.
    received = {r.activity_type: r for r in ReceivedActivity.objects.all()}
    assert set(received) == {"Follow", "Create"}
    peer_actor = received["Follow"].actor
    assert peer_actor.endswith("/users/peer") and received["Create"].actor == peer_actor
    follower = Follower.objects.get()
    assert (follower.organization, follower.actor) == (union, peer_actor)
    accept = OutgoingActivity.objects.get(activity_type="Accept")
    assert accept.inbox == f"{peer_actor}/inbox"
    # Fedify verified the platform's signature with its own code, and took the Accept: the
    # listener runs only for a request whose signature verified.
    got = step(events, "received", type="Accept")
    assert (got["id"], got["actor"]) == (accept.activity_id, actor_url)
    # Fedify 1.5 speaks draft-cavage only: it refused RFC 9421 (401), and the second knock,
    # signed with cavage, was taken. The platform kept cavage for that host: the appeal's Create
    # went signed with cavage at once (one request).
    answers = [e["status"] for e in events if e["step"] == "inbox-answer"]
    assert answers == [401, 202, 202]
    assert {d.signature_scheme for d in Delivery.objects.all()} == {CAVAGE}
    assert RemoteHost.objects.get().signature_scheme == CAVAGE != RFC9421
    # The public appeal reached the follower: an Article, its text by language.
    create = step(events, "received", type="Create")
    article = create["activity"]["object"]
    assert create["actor"] == actor_url and article["type"] == "Article"
    assert article["name"] == "Lockout" and article["to"] == "as:Public"
    # Read by Fedify's JSON-LD processing, which writes language tags in lower case.
    assert "<strong>1,200</strong>" in article["contentMap"]["pt-br"]


def test_a_fedify_server_is_told_no_for_an_organization_that_is_not_listed(platform, fedify_peer):
    OrganizationFactory(slug="hidden", name="Hidden", verified_at=None)
    host = platform.url.split("://", 1)[1]
    events = run_peer(fedify_peer, "--follow", f"acct:hidden@{host}", wait=2)
    assert step(events, "webfinger")["actor"] is None
    assert not ReceivedActivity.objects.exists() and not Follower.objects.exists()
