"""Permission-matrix cases of federation. Its endpoints are for other servers: the same answer
for every persona, signed in or not. A remote server's authority is its signature, not a
session: an inbox refuses what no valid signature proves (here, not even an activity)."""

from internationale.core.tests.matrix import PERSONAS, Case, expect
from internationale.federation.keys import current_key, instance_key
from internationale.federation.models import ActorAlias, Block, RemoteOrganization

ALL = PERSONAS
AP = "/federation/actors"


BLOCKERS = ["ana", "oscar"]  # the owning organization's admin; the operator


def _server_block(w):  # type: ignore[no-untyped-def]
    return f"/federation/blocks/{Block.objects.create(host='bad.example').pk}/remove/"


def _org_block(w):  # type: ignore[no-untyped-def]
    block = Block.objects.create(organization=w.owner_org, host="bad.example")
    return f"/organizations/{w.owner_org.slug}/federation/{block.pk}/remove/"


def _pending(w):  # type: ignore[no-untyped-def]
    entry = RemoteOrganization.objects.create(
        actor="https://remote.example/groups/port",
        inbox="https://remote.example/groups/port/inbox",
        host="remote.example",
        username="port",
        name="Port workers",
        properties={"country": "NL"},
        relates_to=w.owner_org,
    )
    return f"/federation/remote/{entry.pk}/"


def _alias(w):  # type: ignore[no-untyped-def]
    alias = ActorAlias.objects.create(
        organization=w.owner_org, direction="moved_from", url="https://old.example/actors/x"
    )
    return f"/organizations/{w.owner_org.slug}/federation/also-known-as/{alias.pk}/remove/"


def _key(w):  # type: ignore[no-untyped-def]
    current_key(w.owner_org)
    return f"{AP}/{w.owner_org.slug}/keys/1"


CASES = [
    # Without an ActivityPub Accept header, the actor's address leads to the profile page.
    Case("federation_actor", "GET", lambda w: f"{AP}/{w.owner_org.slug}", expect(ALL, 302, 302)),
    Case(
        "federation_actor",
        "GET",
        lambda w: f"{AP}/{w.unverified_org.slug}",
        expect(ALL, 404, 404),
        note="not listed in the directory for everyone: no actor",
    ),
    Case("federation_actor", "POST", lambda w: f"{AP}/{w.owner_org.slug}", expect(ALL, 405, 405)),
    Case(
        "federation_outbox",
        "GET",
        lambda w: f"{AP}/{w.owner_org.slug}/outbox",
        expect(ALL, 200, 200),
    ),
    Case(
        "federation_followers",
        "GET",
        lambda w: f"{AP}/{w.owner_org.slug}/followers",
        expect(ALL, 200, 200),
    ),
    Case(
        "federation_followers",
        "GET",
        lambda w: f"{AP}/{w.unverified_org.slug}/followers",
        expect(ALL, 404, 404),
    ),
    Case("federation_key", "GET", _key, expect(ALL, 200, 200)),
    Case(
        "federation_key",
        "GET",
        lambda w: f"{AP}/{w.owner_org.slug}/keys/9",
        expect(ALL, 404, 404),
    ),
    Case(
        "federation_inbox",
        "POST",
        lambda w: f"{AP}/{w.owner_org.slug}/inbox",
        expect(ALL, 400, 400),
        data=lambda w: {},
        json=True,
        note="not an activity, unsigned: refused whoever is signed in",
    ),
    Case(
        "federation_inbox", "GET", lambda w: f"{AP}/{w.owner_org.slug}/inbox", expect(ALL, 405, 405)
    ),
    Case(
        "federation_shared_inbox",
        "POST",
        lambda w: "/federation/inbox",
        expect(ALL, 400, 400),
        data=lambda w: {},
        json=True,
    ),
    Case("federation_shared_inbox", "GET", lambda w: "/federation/inbox", expect(ALL, 405, 405)),
    Case(
        "federation_activity",
        "GET",
        lambda w: "/federation/activities/00000000-0000-4000-8000-000000000000",
        expect(ALL, 404, 404),
    ),
    Case("federation_instance_actor", "GET", lambda w: "/federation/actor", expect(ALL, 200, 200)),
    Case(
        "federation_instance_key",
        "GET",
        lambda w: f"/federation/actor/keys/{instance_key().number}",
        expect(ALL, 200, 200),
        note="the server's own key: public",
    ),
    Case(
        "federation_instance_key",
        "GET",
        lambda w: "/federation/actor/keys/99",
        expect(ALL, 404, 404),
    ),
    Case("federation_context", "GET", lambda w: "/federation/context", expect(ALL, 200, 200)),
    Case("federation_nodeinfo", "GET", lambda w: "/federation/nodeinfo/2.1", expect(ALL, 200, 200)),
    Case(
        "federation_nodeinfo_links", "GET", lambda w: "/.well-known/nodeinfo", expect(ALL, 200, 200)
    ),
    Case(
        "federation_webfinger",
        "GET",
        lambda w: f"/.well-known/webfinger?resource=acct:{w.owner_org.slug}@127.0.0.1:8000",
        expect(ALL, 200, 200),
    ),
    Case(
        "federation_webfinger",
        "GET",
        lambda w: f"/.well-known/webfinger?resource=acct:{w.unverified_org.slug}@127.0.0.1:8000",
        expect(ALL, 404, 404),
    ),
    # Block lists (views_blocks.py): the operators' page; anyone else: 404.
    Case(
        "federation_blocks",
        "GET",
        lambda w: "/federation/blocks/",
        expect(["oscar"], 200, 404, anonymous=302),
        note="operators only",
    ),
    Case(
        "federation_blocks",
        "POST",
        lambda w: "/federation/blocks/",
        expect(["oscar"], 200, 404, anonymous=302),
        data=lambda w: {"host": "bad.example"},
        note="the confirmation, nothing blocked yet",
    ),
    Case(
        "federation_blocks",
        "POST",
        lambda w: "/federation/blocks/",
        expect(["oscar"], 302, 404, anonymous=302),
        data=lambda w: {"host": "bad.example", "confirm": "1"},
    ),
    Case(
        "federation_block_remove",
        "POST",
        _server_block,
        expect(["oscar"], 302, 404, anonymous=302),
    ),
    Case("federation_block_remove", "GET", _server_block, expect([], 200, 405)),
    # An organization's Federation tab: its admins (and the operators).
    Case(
        "federation_organization_blocks",
        "GET",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/",
        expect(BLOCKERS, 200, 404, anonymous=302),
    ),
    Case(
        "federation_organization_blocks",
        "POST",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/",
        expect(BLOCKERS, 302, 404, anonymous=302),
        data=lambda w: {"host": "bad.example", "confirm": "1"},
    ),
    Case(
        "federation_organization_block_remove",
        "POST",
        _org_block,
        expect(BLOCKERS, 302, 404, anonymous=302),
    ),
    Case("federation_organization_block_remove", "GET", _org_block, expect([], 200, 405)),
    # Remote organizations' queue (views_remote.py): the operators'; an organization's, for its
    # admins; a decision, for both on an entry that relates to the organization.
    Case(
        "federation_remote_queue",
        "GET",
        lambda w: "/federation/remote/",
        expect(["oscar"], 200, 404, anonymous=302),
        note="operators only",
    ),
    Case(
        "federation_remote_queue",
        "POST",
        lambda w: "/federation/remote/",
        expect(["oscar"], 400, 404, anonymous=302),
        data=lambda w: {"handle": "not a handle"},
        note="a handle that is not one: refused, nothing fetched",
    ),
    Case(
        "federation_organization_remote",
        "GET",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/remote/",
        expect(BLOCKERS, 200, 404, anonymous=302),
    ),
    Case(
        "federation_organization_remote",
        "POST",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/remote/",
        expect(BLOCKERS, 400, 404, anonymous=302),
        data=lambda w: {"handle": "not a handle"},
    ),
    Case(
        "federation_remote_decide",
        "GET",
        lambda w: _pending(w) + "?decision=refuse",
        expect(BLOCKERS, 200, 404, anonymous=302),
        note="the confirmation, nothing decided yet",
    ),
    Case(
        "federation_remote_decide",
        "POST",
        _pending,
        expect(BLOCKERS, 302, 404, anonymous=302),
        data=lambda w: {"decision": "refuse"},
    ),
    # The key, replaced once confirmed: the same people (views_keys.py).
    Case(
        "federation_organization_key_rotate",
        "GET",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/key/",
        expect(BLOCKERS, 200, 404, anonymous=302),
        note="the confirmation",
    ),
    Case(
        "federation_organization_key_rotate",
        "POST",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/key/",
        expect(BLOCKERS, 302, 404, anonymous=302),
        data=lambda w: {"confirm": "1"},
    ),
    # The server's own key (views_keys.py): its operators only.
    Case(
        "federation_server_key_rotate",
        "GET",
        lambda w: "/federation/key/rotate/",
        expect(["oscar"], 200, 404, anonymous=302),
        note="the confirmation",
    ),
    Case(
        "federation_server_key_rotate",
        "POST",
        lambda w: "/federation/key/rotate/",
        expect(["oscar"], 302, 404, anonymous=302),
        data=lambda w: {"confirm": "1"},
    ),
    # Moved to another server (views_moving.py): the same people; a target refused (not https)
    # re-renders the form, nothing changed.
    Case(
        "federation_organization_move",
        "GET",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/move/",
        expect(BLOCKERS, 200, 404, anonymous=302),
        note="where it moved, or the form",
    ),
    Case(
        "federation_organization_move",
        "POST",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/move/",
        expect(BLOCKERS, 200, 404, anonymous=302),
        data=lambda w: {"target": "http://10.0.0.1/actors/x", "confirm": "1"},
        note="refused: not https",
    ),
    # Its address on the server it moved from (views_moving.py): the same people; an address
    # refused (not https) re-renders the form, nothing changed; a removal asks first.
    Case(
        "federation_organization_also_known_as",
        "GET",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/also-known-as/",
        expect(BLOCKERS, 200, 404, anonymous=302),
    ),
    Case(
        "federation_organization_also_known_as",
        "POST",
        lambda w: f"/organizations/{w.owner_org.slug}/federation/also-known-as/",
        expect(BLOCKERS, 200, 404, anonymous=302),
        data=lambda w: {"old_actor": "http://10.0.0.1/actors/x"},
        note="refused: not https",
    ),
    Case(
        "federation_organization_also_known_as_remove",
        "GET",
        _alias,
        expect(BLOCKERS, 200, 404, anonymous=302),
        note="the confirmation",
    ),
    Case(
        "federation_organization_also_known_as_remove",
        "POST",
        _alias,
        expect(BLOCKERS, 302, 404, anonymous=302),
    ),
    # ActivityPub documents answer HEAD as GET, without a body.
    Case(
        "federation_outbox",
        "HEAD",
        lambda w: f"{AP}/{w.owner_org.slug}/outbox",
        expect(ALL, 200, 200),
    ),
    Case("federation_key", "HEAD", _key, expect(ALL, 200, 200)),
]
