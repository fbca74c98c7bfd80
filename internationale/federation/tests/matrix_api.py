"""Permission-matrix cases of federation's API (see core/tests/matrix.py): the server's block
list for operators (404 for anyone else); an organization's for its admins and the operators, its key's rotation and its move; the remote organizations' queue."""

from internationale.core.tests.matrix import PERSONAS, Case, expect
from internationale.federation.models import ActorAlias, Block, RemoteOrganization

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


def _alias(w):  # type: ignore[no-untyped-def]
    alias = ActorAlias.objects.create(
        organization=w.owner_org, direction="moved_from", url="https://old.example/actors/x"
    )
    return f"{API}/organizations/{w.owner_org.slug}/federation/also-known-as/{alias.pk}"


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
    # Moving to another server (moving.py): the organization's admins and the operators. The
    # addresses given are refused (not https) before anything is fetched: 400, nothing changed.
    Case(
        "api:federation_organization_move",
        "GET",
        lambda w: f"{API}/organizations/{w.owner_org.slug}/federation/move",
        expect(BLOCKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:federation_organization_also_known_as",
        "POST",
        lambda w: f"{API}/organizations/{w.owner_org.slug}/federation/also-known-as",
        expect(BLOCKERS, 400, 404, anonymous=401),
        data=lambda w: {"old_actor": "http://10.0.0.1/actors/x"},
        json=True,
        note="refused: not https",
    ),
    Case(
        "api:federation_organization_also_known_as_delete",
        "DELETE",
        _alias,
        expect(BLOCKERS, 204, 404, anonymous=401),
    ),
    Case(
        "api:federation_organization_move_to",
        "POST",
        lambda w: f"{API}/organizations/{w.owner_org.slug}/federation/move",
        expect(BLOCKERS, 400, 404, anonymous=401),
        data=lambda w: {"target": "http://10.0.0.1/actors/x", "confirm": True},
        json=True,
        note="refused: not https",
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
