"""Fixtures of the federation tests: remote servers on 127.0.0.1 (allowed by
FEDERATION_ALLOW_PRIVATE, as a closed network would be), their actors' keys, signed requests;
and the helpers that tests of several modules use (what a remote server received, a remote
appeal and its `Create`, an appeal of this server addressed to Rotterdam, a pledge and its aid,
a meeting planned; server B of the two-servers tests, this platform in processes of its own)."""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Appeal
from internationale.appeals.services import appeal_send
from internationale.appeals.tests.factories import AppealFactory
from internationale.cooperation.models import Meeting
from internationale.cooperation.services import meeting_create
from internationale.core.models import AuditEntry
from internationale.core.worker import run_pending_tasks
from internationale.federation.models import ReceivedActivity, ReceivedObject
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.federation.signatures import RFC9421, sign
from internationale.organizations.models import Organization
from internationale.organizations.tests.factories import EmployerFactory

from .remote_server import RemoteServer, key_pair

SITE = "http://127.0.0.1:8000"  # SITE_URL of the tests (settings/base.py's default)
METAL = f"{SITE}/federation/actors/metal-sp"
DOCKS = f"{SITE}/federation/actors/docks-kr"
INBOX = "/federation/actors/metal-sp/inbox"


@pytest.fixture(scope="session")
def alice_keys() -> tuple[str, str]:
    return key_pair()


@pytest.fixture(scope="session")
def other_keys() -> tuple[str, str]:
    return key_pair()


@pytest.fixture
def allow_private(settings):  # type: ignore[no-untyped-def]
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = True
    settings.SITE_URL = SITE
    return settings


@pytest.fixture
def remote_servers() -> Iterator[Any]:
    started: list[RemoteServer] = []

    def start() -> RemoteServer:
        server = RemoteServer().start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class Remote:
    """A remote actor (alice) on a server of its own, who signs what she sends."""

    server: RemoteServer
    actor: str
    key_id: str
    private_pem: str

    def activity(self, kind: str = "Create", **extra: Any) -> dict[str, Any]:
        activity_id = f"{self.server.url}/activities/{uuid.uuid4()}"
        activity: dict[str, Any] = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": activity_id,
            "type": kind,
            "actor": self.actor,
        }
        if kind == "Create":
            activity["object"] = {
                "id": f"{activity_id}/note",
                "type": "Note",
                "attributedTo": self.actor,
                "content": "Solidarity from the docks.",
            }
        activity.update(extra)
        return activity

    def post(
        self,
        client: Any,
        path: str,
        activity: dict[str, Any] | None = None,
        *,
        body: bytes | None = None,
        scheme: str = RFC9421,
        key_id: str | None = None,
        private_pem: str | None = None,
        content_type: str = "application/activity+json",
        signed: bool = True,
        **sign_args: Any,
    ) -> Any:
        """POST the activity to `path` on the platform, signed as alice (or as told)."""
        if body is None:
            body = json.dumps(activity or self.activity()).encode()
        headers = {"Content-Type": content_type}
        if signed:
            headers = sign(
                method="POST",
                url=SITE + path,
                headers=headers,
                body=body,
                key_id=key_id or self.key_id,
                private_key_pem=private_pem or self.private_pem,
                scheme=scheme,
                **sign_args,
            )
        headers.pop("Content-Type")
        return client.post(path, data=body, content_type=content_type, headers=headers)


@pytest.fixture
def alice(allow_private, remote_servers, alice_keys) -> Remote:  # type: ignore[no-untyped-def]
    server = remote_servers()
    actor, key_id = server.add_actor("alice", alice_keys[0])
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=alice_keys[1])


@pytest.fixture
def rotterdam(allow_private, remote_servers, other_keys) -> Remote:  # type: ignore[no-untyped-def]
    """The Rotterdam port workers, a Group on a server of their own, found by WebFinger."""
    server = remote_servers()
    actor, key_id = server.add_actor("havenbond", other_keys[0])
    document = server.documents["/users/havenbond"]
    document.update(
        type="Group",
        name="Havenbond Rotterdam",
        summary="<p>Port workers of <b>Rotterdam</b>.</p>",
        country="NL",
        languages=["nl", "en"],
        sectors=["H"],
        employers=[{"type": "Employer", "name": "Maersk", "slug": "maersk"}],
        verified=True,
    )
    host = server.url.removeprefix("http://")
    query = urlencode({"resource": f"acct:havenbond@{host}"})
    server.documents[f"/.well-known/webfinger?{query}"] = {
        "subject": f"acct:havenbond@{host}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": actor}],
    }
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=other_keys[1])


def handle(remote: Remote) -> str:
    return "havenbond@" + remote.server.url.removeprefix("http://")


@pytest.fixture
def accepted(rotterdam, oscar, owner_org) -> Organization:  # type: ignore[no-untyped-def]
    """Rotterdam asked for and accepted by the operator; its row in the directory."""
    EmployerFactory(name="Maersk", slug="maersk")
    entry = remote_request(actor=oscar, handle=handle(rotterdam))
    return remote_accept(actor=oscar, entry=entry)


def taken_as_blocked(response: Any, organization: Organization) -> None:
    """What a sender an organization blocked sees: its activity answered as delivered (nothing
    tells it of the block), and here recorded as blocked, done nothing with, and written in the
    organization's audit log."""
    assert response.status_code == 202, response.content
    activity_id = response.json()["id"]
    assert ReceivedActivity.objects.get(activity_id=activity_id).outcome == "blocked"
    assert AuditEntry.objects.filter(
        action="federation.blocked_dropped", organization=organization, data__activity=activity_id
    ).exists()


def sent_to(remote: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """What the remote server received: (path, headers, activity)."""
    return [(path, headers, json.loads(body)) for path, headers, body in remote.server.posted]


def article(remote: Remote, number: int = 1, **fields: Any) -> dict[str, Any]:
    """An appeal of the remote organization as its server (one of this platform's) sends it."""
    url = f"{remote.server.url}/appeals/{number}/"
    return {
        "id": url,
        "type": "Article",
        "attributedTo": remote.actor,
        "name": "Lockout at the container terminal",
        "nameMap": {"nl": "Lockout at the container terminal"},
        "content": "<p>The terminal locked out <strong>400</strong> dockers.</p>",
        "contentMap": {"nl": "<p>The terminal locked out <strong>400</strong> dockers.</p>"},
        "source": {
            "content": "The terminal locked out **400** dockers.",
            "mediaType": "text/markdown",
        },
        "url": url,
        "status": "open",
        "situation": "lockout",
        "urgency": 1,
        "country": "NL",
        "forms": ["propaganda", "material_aid"],
        "aidGoal": {"amount": "10000.00", "currency": "EUR"},
        **fields,
    }


def create(remote: Remote, obj: dict[str, Any], to: list[str]) -> dict[str, Any]:
    return remote.activity("Create", object={**obj, "to": to}, to=to)


def received(remote: Remote, number: int = 1) -> Appeal:
    return ReceivedObject.objects.get(url=f"{remote.server.url}/appeals/{number}/").appeal


@pytest.fixture
def addressed(owner_org, sam, accepted, work_off) -> Appeal:  # type: ignore[no-untyped-def]
    """An appeal of the Metalworkers addressed to Rotterdam, sent."""
    appeal = AppealFactory(organization=owner_org, created_by=sam, visibility="addressed")
    appeal_send(actor=sam, appeal=appeal, criteria=Criteria(add=[accepted.pk]))
    work_off()
    appeal.refresh_from_db()
    return appeal


def appeal_url(appeal: Appeal) -> str:
    return f"{SITE}/appeals/{appeal.pk}/"


def offer(remote: Remote, appeal: Appeal, **pledge: Any) -> dict[str, Any]:
    activity = remote.activity("Offer", target=appeal_url(appeal))
    activity["object"] = {
        "id": f"{activity['id']}/pledge",
        "type": "Pledge",
        "forms": ["propaganda", "material_aid"],
        "content": "A statement, and 500 euros for the strike fund.",
        "amount": "500.00",
        "currency": "EUR",
        **pledge,
    }
    return activity


def declared_aid(rotterdam: Any, client: Any, appeal: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rotterdam pledges 500 euros to the appeal and declares 200 sent: (its Offer, its Add)."""
    pledged = offer(rotterdam, appeal)
    assert rotterdam.post(client, INBOX, pledged).status_code == 202
    aid = rotterdam.activity("Add", target=pledged["id"])
    aid["object"] = {
        "id": f"{aid['id']}/aid",
        "type": "Contribution",
        "amount": "200.00",
        "currency": "EUR",
        "reference": "Transfer 42",
    }
    assert rotterdam.post(client, INBOX, aid).status_code == 202
    return pledged, aid


def fulfilment(rotterdam: Any, pledged: dict[str, Any], **fields: Any) -> dict[str, Any]:
    update = rotterdam.activity("Update", target=pledged["id"])
    update["object"] = {"id": pledged["object"]["id"], "type": "Pledge", **fields}
    return update


SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def later(hour: int) -> datetime.datetime:
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=30)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def plan_meeting(sam: Any, owner_org: Any, **fields: Any) -> Meeting:
    values = {
        "kind": "bilateral",
        "title": "Maersk in Santos and Rotterdam",
        "description": "Coordinating our answer to the *closures*.",
        "start": later(10),
        "end": later(13),
        "time_zone": "America/Sao_Paulo",
        "place": "Rua do Carmo 12, São Paulo",
        "online_link": "https://meet.example.org/maersk-santos",
        "languages": ["pt-BR", "nl"],
    }
    values.update(fields)
    return meeting_create(actor=sam, organization=owner_org, **values)


# Two servers of this platform (test_two_servers*.py): A, the test's live server; B, its own.

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """Server B: this platform's code in processes of its own, on its own SQLite database."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "internationale.settings.test",
            "INTERNATIONALE_DATA_DIR": str(data_dir),
            "SITE_URL": self.url,
            "FEDERATION_ALLOW_PRIVATE": "1",
            "PYTHONPATH": str(ROOT),
        }
        self.web: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str, timeout: int = 300) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def run(self, code: str) -> Any:
        """Run `code` in a shell of server B; what it prints last, as JSON."""
        lines = self.manage("shell", "--no-imports", "-v", "0", "-c", code).strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def work_off(self) -> None:
        """Server B's worker: every task ready, and those they queue, until none is left."""
        self.run(
            "from internationale.core.worker import run_pending_tasks\n"
            "while run_pending_tasks():\n    pass\n"
        )

    def start(self) -> None:
        self.manage("migrate", "--no-input", "-v0", timeout=600)
        self.web = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", self.host],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/.well-known/nodeinfo", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.5)
        raise AssertionError("server B did not start")

    def stop(self) -> None:
        if self.web is not None:
            self.web.terminate()
            try:
                self.web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.web.kill()
                self.web.wait()


@pytest.fixture
def server_a(live_server, settings, transactional_db):  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = True
    return live_server


@pytest.fixture
def server_b(tmp_path) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    server = Server(tmp_path / "server-b")
    try:
        server.start()
        yield server
    finally:
        server.stop()


def drain() -> None:
    """Server A's worker."""
    while run_pending_tasks():
        pass
