"""Permission-matrix cases of federation's API (see core/tests/matrix.py): the server's block
list for operators (404 for anyone else); an organization's for its admins and the operators, and its key's rotation; the remote organizations' queue."""

from internationale.core.tests.matrix import PERSONAS, Case, expect
from internationale.federation.models import Block, RemoteOrganization

BLOCKERS = ["ana", "oscar"]
API = "/api/v1"


def _org(w):  # type: ignore[no-untyped-def]
    return f"{API}/organizations/{w.owner_org.slug}/federation/blocks"


def _remote(w, relates: bool = True) -> RemoteOrganization:  # type: ignore[no-untyped-def]
    """A remote organization waiting, that asked to relate to the owning organization."""
    return RemoteOrganization.objects.create(
        actor="https://far.example/actors/dockers",
        inbox="https://far.example/actors/dockers/inbox",
        host="far.example",
        username="dockers",
        name="Far Dockers",
        properties={"country": "NG", "languages": ["en"], "sectors": [], "employers": []},
        relates_to=w.owner_org if relates else None,
    )


def _decide(decision: str):  # type: ignore[no-untyped-def]
    return lambda w: f"{API}/federation/remote-organizations/{_remote(w).pk}/{decision}"


def _server_block(w):  # type: ignore[no-untyped-def]
    return f"{API}/federation/blocks/{Block.objects.create(host='bad.example').pk}"


def _org_block(w):  # type: ignore[no-untyped-def]
    return f"{_org(w)}/{Block.objects.create(organization=w.owner_org, host='bad.example').pk}"


CASES = [
    Case(
        "api:federation_blocks",
        "GET",
        lambda w: f"{API}/federation/blocks",
        expect(["oscar"], 200, 404, anonymous=401),
        note="operators only",
    ),
    Case(
        "api:federation_block_create",
        "POST",
        lambda w: f"{API}/federation/blocks",
        expect(["oscar"], 201, 404, anonymous=401),
        data=lambda w: {"host": "bad.example"},
        json=True,
    ),
    Case(
        "api:federation_block_delete",
        "DELETE",
        _server_block,
        expect(["oscar"], 204, 404, anonymous=401),
    ),
    Case("api:federation_block_delete", "GET", _server_block, expect(PERSONAS, 405, 405)),
    Case(
        "api:federation_organization_blocks",
        "GET",
        _org,
        expect(BLOCKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:federation_organization_block_create",
        "POST",
        _org,
        expect(BLOCKERS, 201, 404, anonymous=401),
        data=lambda w: {"host": "bad.example", "actor": "https://bad.example/users/troll"},
        json=True,
    ),
    Case(
        "api:federation_organization_block_delete",
        "DELETE",
        _org_block,
        expect(BLOCKERS, 204, 404, anonymous=401),
    ),
    Case("api:federation_organization_block_delete", "GET", _org_block, expect(PERSONAS, 405, 405)),
    Case(
        "api:federation_organization_key_rotate",
        "POST",
        lambda w: f"{API}/organizations/{w.owner_org.slug}/federation/key/rotate",
        expect(BLOCKERS, 201, 404, anonymous=401),
        data=lambda w: {"confirm": True},
        json=True,
    ),
    Case(
        "api:federation_server_key_rotate",
        "POST",
        lambda w: f"{API}/federation/server-key/rotate",
        expect(["oscar"], 201, 404, anonymous=401),
        data=lambda w: {"confirm": True},
        json=True,
    ),
    Case(
        "api:federation_remote_organizations",
        "GET",
        lambda w: f"{API}/federation/remote-organizations",
        expect(["oscar"], 200, 404, anonymous=401),
        note="operators only",
    ),
    Case(
        "api:federation_organization_remote_organizations",
        "GET",
        lambda w: f"{API}/organizations/{w.owner_org.slug}/federation/remote-organizations",
        expect(BLOCKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:federation_remote_organization_accept",
        "POST",
        _decide("accept"),
        expect(BLOCKERS, 200, 404, anonymous=401),
        note="operators, and the admins of the organization it relates to",
    ),
    Case(
        "api:federation_remote_organization_refuse",
        "POST",
        _decide("refuse"),
        expect(BLOCKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:federation_remote_organization_accept",
        "GET",
        _decide("accept"),
        expect(PERSONAS, 405, 405),
    ),
]
