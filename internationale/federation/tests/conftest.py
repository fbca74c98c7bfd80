"""Fixtures of the federation tests: remote servers on 127.0.0.1 (allowed by
FEDERATION_ALLOW_PRIVATE, as a closed network would be), their actors' keys, signed requests."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from internationale.core.models import AuditEntry
from internationale.federation.models import ReceivedActivity
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.federation.signatures import RFC9421, sign
from internationale.organizations.models import Organization
from internationale.organizations.tests.factories import EmployerFactory

from .remote_server import RemoteServer, key_pair

SITE = "http://127.0.0.1:8000"  # SITE_URL of the tests (settings/base.py's default)


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
