"""An organization moves to another server and its partners follow (ActivityPub `Move`), through
the real inbox, the command line, the actor documents and delivery to a remote server.

The Rotterdam port workers (Havenbond), accepted here as a remote organization and following the
Metalworkers, move from their old server to a new one; and the Metalworkers move away from this
server, telling their followers."""

import datetime
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from internationale import cli
from internationale.core.models import AuditEntry
from internationale.federation import hosts
from internationale.federation.delivery import fan_out
from internationale.federation.models import (
    ActorAlias,
    Delivery,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
    ReceivedObject,
    RemoteOrganization,
)
from internationale.federation.moving import move_to
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.organizations.models import Organization, Relation
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import SITE, Remote, article, create

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
GROUP = {
    "type": "Group",
    "name": "Havenbond Rotterdam",
    "country": "NL",
    "languages": ["nl", "en"],
    "verified": True,
}


def _group(remote_servers: Any, keys: tuple[str, str], name: str) -> Remote:
    server = remote_servers()
    actor, key_id = server.add_actor(name, keys[0])
    server.documents[f"/users/{name}"].update(GROUP)
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=keys[1])


@pytest.fixture
def old(allow_private, remote_servers, other_keys) -> Remote:  # type: ignore[no-untyped-def]
    """Havenbond on its old server."""
    return _group(remote_servers, other_keys, "havenbond")


@pytest.fixture
def new(allow_private, remote_servers, alice_keys) -> Remote:  # type: ignore[no-untyped-def]
    """Havenbond on its new server, which names its old actor in alsoKnownAs."""
    return _group(remote_servers, alice_keys, "havenbond-nl")


@pytest.fixture
def accepted(old, oscar, owner_org) -> RemoteOrganization:  # type: ignore[no-untyped-def]
    """Havenbond accepted here (its row in the directory), and following the Metalworkers."""
    host = old.server.url.removeprefix("http://")
    query = urlencode({"resource": f"acct:havenbond@{host}"})
    old.server.documents[f"/.well-known/webfinger?{query}"] = {
        "subject": f"acct:havenbond@{host}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": old.actor}],
    }
    entry = remote_request(actor=oscar, handle=f"havenbond@{host}")
    remote_accept(actor=oscar, entry=entry)
    Follower.objects.create(
        organization=owner_org,
        actor=old.actor,
        inbox=f"{old.actor}/inbox",
        shared_inbox=f"{old.server.url}/inbox",
        follow_id=f"{old.actor}/follows/1",
    )
    return RemoteOrganization.objects.get(pk=entry.pk)


def _move(old: Remote, new: Remote, **changes: Any) -> dict[str, Any]:
    return old.activity("Move", **{"object": old.actor, "target": new.actor, **changes})


def _confirms(new: Remote, old: Remote) -> None:
    new.server.documents["/users/havenbond-nl"]["alsoKnownAs"] = [old.actor]


def test_a_partner_that_moves_is_followed_to_its_new_actor(client, accepted, old, new, owner_org):
    _confirms(new, old)
    organization_id = accepted.organization_id
    answer = old.post(client, "/federation/inbox", _move(old, new))
    assert answer.status_code == 202, answer.content
    entry = RemoteOrganization.objects.get(pk=accepted.pk)
    # The same row of the directory (its relations, routing), now at the new actor.
    assert (entry.actor, entry.inbox, entry.organization_id) == (
        new.actor,
        f"{new.actor}/inbox",
        organization_id,
    )
    assert entry.host == new.server.url.removeprefix("http://")
    assert entry.username == "havenbond-nl"
    # The Metalworkers' follower moved with it: their activities go to the new inbox.
    follower = Follower.objects.get(organization=owner_org)
    assert (follower.actor, follower.inbox) == (new.actor, f"{new.actor}/inbox")
    # ...and counts among the followers of its new server, for the cap per server.
    assert follower.host == hosts.origin(new.actor)
    assert ReceivedActivity.objects.get(activity_type="Move").outcome == "moved"
    logged = AuditEntry.objects.get(action="federation.remote_moved")
    assert (logged.data["old"], logged.data["new"]) == (old.actor, new.actor)
    # Its row in the directory links to the new actor, and its page says which server it is on.
    row = Organization.objects.get(pk=organization_id)
    assert row.remote_actor_url == new.actor
    page = client.get(f"/organizations/{row.slug}/")
    assert page.status_code == 200
    assert new.server.url.removeprefix("http://") in page.content.decode()


def test_a_partner_that_moved_still_updates_and_withdraws_the_appeals_it_sent_before(
    client, accepted, old, new, owner_org
):
    obj = article(old)
    sent = old.post(client, "/federation/actors/metal-sp/inbox", create(old, obj, [METAL]))
    assert sent.status_code == 202, sent.content
    appeal = ReceivedObject.objects.get(url=obj["id"]).appeal
    _confirms(new, old)
    assert old.post(client, "/federation/inbox", _move(old, new)).status_code == 202
    # From its new actor: an update of the appeal, then its withdrawal.
    note = new.activity(
        "Create",
        object={
            "id": f"{new.actor}/notes/1",
            "type": "Note",
            "attributedTo": new.actor,
            "inReplyTo": obj["id"],
            "content": "<p>Day 3.</p>",
        },
        to=[METAL],
    )
    assert new.post(client, "/federation/actors/metal-sp/inbox", note).status_code == 202
    delete = new.activity("Delete", object=obj["id"], to=[METAL])
    assert new.post(client, "/federation/actors/metal-sp/inbox", delete).status_code == 202
    appeal.refresh_from_db()
    assert appeal.updates.get(kind="update").text == "Day 3."
    assert appeal.status == "closed"


def test_a_move_the_new_actor_does_not_confirm_is_refused_and_nothing_changes(
    client, accepted, old, new, owner_org
):
    answer = old.post(client, "/federation/inbox", _move(old, new))
    assert answer.status_code == 422
    assert answer.json()["error"] == "move_not_confirmed"
    assert RemoteOrganization.objects.get(pk=accepted.pk).actor == old.actor
    assert Follower.objects.get(organization=owner_org).actor == old.actor
    assert not ReceivedActivity.objects.exists()


def test_an_actor_cannot_move_another_one(client, accepted, old, new, alice_keys):
    _confirms(new, old)
    answer = old.post(client, "/federation/inbox", _move(old, new, object=new.actor))
    assert answer.status_code == 422 and answer.json()["error"] == "bad_move"
    assert RemoteOrganization.objects.get(pk=accepted.pk).actor == old.actor


def test_a_move_from_an_actor_this_server_does_not_know_is_only_recorded(client, old, new):
    _confirms(new, old)
    answer = old.post(client, "/federation/inbox", _move(old, new))
    assert answer.status_code == 202
    assert ReceivedActivity.objects.get(activity_type="Move").outcome == ""
    assert "/users/havenbond-nl" not in new.server.asked  # nothing fetched for it


def test_an_organization_that_moves_away_tells_its_followers(
    client, work_off, new, old, owner_org, capsys, django_capture_on_commit_callbacks
):
    Follower.objects.create(
        organization=owner_org,
        actor=old.actor,
        inbox=f"{old.actor}/inbox",
        shared_inbox=f"{old.server.url}/inbox",
        follow_id=f"{old.actor}/follows/1",
    )
    # Without confirmation the command says what it would do, and does nothing.
    assert cli.main(["org", "moved-to", "metal-sp", new.actor]) == 1
    assert "Nothing was changed: run again with --yes" in capsys.readouterr().err
    # The new actor must name this one first.
    assert cli.main(["org", "moved-to", "metal-sp", new.actor, "--yes"]) == 1
    assert "does not list this organization's actor" in capsys.readouterr().err
    assert not ActorAlias.objects.exists() and not OutgoingActivity.objects.exists()

    new.server.documents["/users/havenbond-nl"]["alsoKnownAs"] = [METAL]
    with django_capture_on_commit_callbacks(execute=True):
        assert cli.main(["org", "moved-to", "metal-sp", new.actor, "--yes"]) == 0
    work_off()
    # Its followers' server got the Move; its actor here says where it went.
    [(path, _headers, body)] = old.server.posted
    assert path == "/inbox"
    sent = json.loads(body)
    assert (sent["type"], sent["actor"], sent["object"], sent["target"]) == (
        "Move",
        METAL,
        METAL,
        new.actor,
    )
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert document.json()["movedTo"] == new.actor
    assert AuditEntry.objects.get(action="federation.move").data["url"] == new.actor
    # Once only.
    assert cli.main(["org", "moved-to", "metal-sp", new.actor, "--yes"]) == 1
    assert "already moved" in capsys.readouterr().err


def test_an_organization_that_moved_here_names_its_old_actor(client, old, owner_org, capsys):
    assert cli.main(["org", "also-known-as", "metal-sp", old.actor]) == 0
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert document.json()["alsoKnownAs"] == [old.actor]
    assert AuditEntry.objects.filter(action="federation.also_known_as").count() == 1
    assert cli.main(["org", "also-known-as", "metal-sp", "ftp://elsewhere/x"]) == 1
    assert "nothing was changed" in capsys.readouterr().err


def test_an_admin_moves_the_organization_on_its_federation_tab(client_for, new, ana, owner_org):
    page = f"/organizations/{owner_org.slug}/federation/move/"
    client = client_for(ana)
    assert METAL in client.get(page).content.decode()
    # What the move does, to confirm: nothing is recorded yet.
    asked = client.post(page, {"target": new.actor}).content.decode()
    assert "This cannot be undone" in asked and new.actor in asked
    assert not ActorAlias.objects.exists()
    # Refused while the new actor does not name this one: the reason, nothing changed.
    refused = client.post(page, {"target": new.actor, "confirm": "1"})
    assert refused.status_code == 200
    assert "does not list this organization" in refused.content.decode()
    assert not ActorAlias.objects.exists() and not OutgoingActivity.objects.exists()

    new.server.documents["/users/havenbond-nl"]["alsoKnownAs"] = [METAL]
    done = client.post(page, {"target": new.actor, "confirm": "1", "submission_key": "m1"})
    assert done.status_code == 302
    # Confirmed twice (a double click, a reload): the same move, told once.
    again = client.post(page, {"target": new.actor, "confirm": "1", "submission_key": "m1"})
    assert again.status_code == 302
    assert OutgoingActivity.objects.get().activity_type == "Move"
    assert f"It moved to {new.actor}" in client.get(page).content.decode()
    assert AuditEntry.objects.get(action="federation.move").actor == ana


def test_an_admin_records_and_removes_the_old_address_on_the_federation_tab(
    client, client_for, old, ana, owner_org
):
    page = f"/organizations/{owner_org.slug}/federation/also-known-as/"
    admin = client_for(ana)
    assert "No address on another server is recorded" in admin.get(page).content.decode()
    recorded = admin.post(page, {"old_actor": old.actor, "submission_key": "k1"})
    assert recorded.status_code == 302
    # Sent twice (a double click): recorded once.
    assert admin.post(page, {"old_actor": old.actor, "submission_key": "k1"}).status_code == 302
    alias = ActorAlias.objects.get()
    assert (alias.url, alias.direction, alias.created_by) == (old.actor, "moved_from", ana)
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert document.json()["alsoKnownAs"] == [old.actor]
    assert old.actor in admin.get(page).content.decode()

    # Removing it asks first, and changes nothing until confirmed.
    remove = f"{page}{alias.pk}/remove/"
    asked = admin.get(remove).content.decode()
    assert "Yes, remove it" in asked and old.actor in asked
    assert ActorAlias.objects.exists()
    assert admin.post(remove).status_code == 302
    assert not ActorAlias.objects.exists()
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert "alsoKnownAs" not in document.json()
    logged = AuditEntry.objects.get(action="federation.also_known_as_remove")
    assert (logged.actor, logged.data["url"]) == (ana, old.actor)
    # Gone: a second removal answers 404.
    assert admin.post(remove).status_code == 404


def test_an_old_address_that_cannot_be_had_or_is_no_organization_is_refused_with_the_reason(
    client_for, old, ana, owner_org
):
    page = f"/organizations/{owner_org.slug}/federation/also-known-as/"
    admin = client_for(ana)
    old.server.documents["/notes/1"] = {"id": f"{old.server.url}/notes/1", "type": "Note"}
    for address, reason in (
        (f"{old.server.url}/users/nobody", "The remote server did not give the document."),
        ("http://127.0.0.1:9/users/closed", "The remote server cannot be reached."),
        (f"{old.server.url}/notes/1", "This address is not an organization&#x27;s actor"),
        ("ftp://old.example/x", "Actors and keys on loopback or private networks"),
        (METAL, "This is its address here."),
    ):
        answer = admin.post(page, {"old_actor": address})
        assert answer.status_code == 200
        assert reason in answer.content.decode(), address
    assert not ActorAlias.objects.exists()
    assert not AuditEntry.objects.filter(action="federation.also_known_as").exists()


def test_an_old_address_on_a_private_network_is_refused_outside_a_closed_network(
    settings, client_for, ana, owner_org
):
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = False
    answer = client_for(ana).post(
        f"/organizations/{owner_org.slug}/federation/also-known-as/",
        {"old_actor": "https://10.0.0.1/federation/actors/metal-sp"},
    )
    assert answer.status_code == 200
    assert "Actors and keys on loopback or private networks" in answer.content.decode()
    assert not ActorAlias.objects.exists()


def test_only_its_admins_and_the_operators_record_an_old_address(
    client_for, old, owner_org, sam, mo, kai
):
    page = f"/organizations/{owner_org.slug}/federation/also-known-as/"
    for person in (sam, mo, kai):
        assert client_for(person).get(page).status_code == 404
        assert client_for(person).post(page, {"old_actor": old.actor}).status_code == 404
    assert not ActorAlias.objects.exists()


def test_an_admin_records_the_old_address_and_moves_through_the_api(
    client_for, old, new, ana, owner_org
):
    api = client_for(ana)
    base = f"/api/v1/organizations/{owner_org.slug}/federation"

    def post(path, body, key=None):  # type: ignore[no-untyped-def]
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return api.post(f"{base}/{path}", json.dumps(body), "application/json", **headers)

    # Its old address: recorded once, whatever the retries with the same key.
    made = post("also-known-as", {"old_actor": old.actor}, "aka-1")
    assert made.status_code == 201, made.content
    again = post("also-known-as", {"old_actor": old.actor}, "aka-1")
    assert (again.status_code, again.json()["id"]) == (201, made.json()["id"])
    assert post("also-known-as", {"old_actor": new.actor}, "aka-1").status_code == 409
    refused = post("also-known-as", {"old_actor": "ftp://old.example/x"})
    assert refused.status_code == 400 and "old_actor" in refused.json()["errors"]
    state = api.get(f"{base}/move").json()
    assert state["actor"] == METAL and state["moved_to"] is None
    assert [a["url"] for a in state["also_known_as"]] == [old.actor]
    assert api.delete(f"{base}/also-known-as/{made.json()['id']}").status_code == 204
    assert not ActorAlias.objects.exists()

    # The move: asks confirm, then is refused until the new actor names this one.
    assert post("move", {"target": new.actor}).status_code == 400
    unconfirmed = post("move", {"target": new.actor, "confirm": True})
    assert unconfirmed.status_code == 400
    assert "does not list this organization" in unconfirmed.content.decode()
    assert not OutgoingActivity.objects.exists()
    new.server.documents["/users/havenbond-nl"]["alsoKnownAs"] = [METAL]
    moved = post("move", {"target": new.actor, "confirm": True}, "move-1")
    assert moved.status_code == 201, moved.content
    assert moved.json()["target"] == new.actor
    # Sent again with its key: the same move, one Move; with another key: it moved already.
    assert post("move", {"target": new.actor, "confirm": True}, "move-1").json() == moved.json()
    assert OutgoingActivity.objects.get().activity_id == moved.json()["activity_id"]
    twice = post("move", {"target": new.actor, "confirm": True}, "move-2")
    assert twice.status_code == 400 and "already moved" in twice.content.decode()
    assert api.get(f"{base}/move").json()["moved_to"] == new.actor


def test_the_move_api_answers_404_to_anyone_but_its_admins_and_the_operators(
    client_for, owner_org, sam, mo, kai
):
    base = f"/api/v1/organizations/{owner_org.slug}/federation"
    for person in (sam, mo, kai):
        api = client_for(person)
        assert api.get(f"{base}/move").status_code == 404
        body = json.dumps({"target": "https://new.example/actors/x", "confirm": True})
        assert api.post(f"{base}/move", body, "application/json").status_code == 404
    assert not OutgoingActivity.objects.exists()


def test_the_move_endpoints_are_described_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/organizations/{slug}/federation"
    assert set(paths[f"{base}/move"]) == {"get", "post"}
    assert "post" in paths[f"{base}/also-known-as"]
    assert "delete" in paths[f"{base}/also-known-as/{{pk}}"]
    assert "Idempotency-Key" in json.dumps(paths[f"{base}/move"]["post"])


def test_an_organization_that_moved_may_move_again_after_the_cooldown_and_not_before(
    client,
    client_for,
    work_off,
    remote_servers,
    alice_keys,
    new,
    old,
    ana,
    owner_org,
    django_capture_on_commit_callbacks,
):
    """Moved from here (A) to B, whose server then closes: it moves on to C, as a Mastodon
    account may once 30 days have passed since its last move."""
    Follower.objects.create(
        organization=owner_org,
        actor=old.actor,
        inbox=f"{old.actor}/inbox",
        shared_inbox=f"{old.server.url}/inbox",
        follow_id=f"{old.actor}/follows/1",
    )
    third = _group(remote_servers, alice_keys, "havenbond-c")
    for remote, name in ((new, "havenbond-nl"), (third, "havenbond-c")):
        remote.server.documents[f"/users/{name}"]["alsoKnownAs"] = [METAL]
    page = f"/organizations/{owner_org.slug}/federation/move/"
    admin = client_for(ana)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(page, {"target": new.actor, "confirm": "1"}).status_code == 302
    # Within the cooldown: refused with the date it may move again; nothing changed.
    shown = admin.get(page).content.decode()
    assert "it may from" in shown and "30 days after its last move" in shown
    refused = admin.post(page, {"target": third.actor, "confirm": "1"})
    assert refused.status_code == 200
    assert "it may move again from" in refused.content.decode()
    again = admin.post(page, {"target": new.actor, "confirm": "1"})
    assert "It has already moved to this address." in again.content.decode()
    assert OutgoingActivity.objects.count() == 1
    assert ActorAlias.objects.filter(direction="moved_to").count() == 1

    # Thirty days on, it moves to C: its actor says so, and its followers are told again.
    ActorAlias.objects.filter(direction="moved_to").update(
        created_at=timezone.now() - datetime.timedelta(days=30, seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        moved = admin.post(page, {"target": third.actor, "confirm": "1"})
    assert moved.status_code == 302
    work_off()
    targets = [json.loads(body)["target"] for _path, _h, body in old.server.posted]
    assert targets == [new.actor, third.actor]
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert document.json()["movedTo"] == third.actor
    assert AuditEntry.objects.filter(action="federation.move").count() == 2
    assert f"It moved to {third.actor}" in admin.get(page).content.decode()


def test_an_organization_that_moved_on_may_move_back_to_an_address_it_moved_to_before(
    client,
    client_for,
    work_off,
    remote_servers,
    alice_keys,
    new,
    old,
    ana,
    owner_org,
    django_capture_on_commit_callbacks,
):
    """From here (A) to B, then to C, then back to B (C's server closed, B took it back): each
    after the cooldown; its actor says `movedTo` B again, and its followers are told."""
    Follower.objects.create(
        organization=owner_org,
        actor=old.actor,
        inbox=f"{old.actor}/inbox",
        shared_inbox=f"{old.server.url}/inbox",
        follow_id=f"{old.actor}/follows/1",
    )
    third = _group(remote_servers, alice_keys, "havenbond-c")
    for remote, name in ((new, "havenbond-nl"), (third, "havenbond-c")):
        remote.server.documents[f"/users/{name}"]["alsoKnownAs"] = [METAL]
    page = f"/organizations/{owner_org.slug}/federation/move/"
    admin = client_for(ana)
    for target in (new.actor, third.actor, new.actor):
        ActorAlias.objects.filter(direction="moved_to").update(
            created_at=timezone.now() - datetime.timedelta(days=30, seconds=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            moved = admin.post(page, {"target": target, "confirm": "1"})
        assert moved.status_code == 302, moved.content.decode()
    work_off()

    targets = [json.loads(body)["target"] for _path, _h, body in old.server.posted]
    assert targets == [new.actor, third.actor, new.actor]
    document = client.get("/federation/actors/metal-sp", HTTP_ACCEPT="application/activity+json")
    assert document.json()["movedTo"] == new.actor
    assert AuditEntry.objects.filter(action="federation.move").count() == 3
    assert f"It moved to {new.actor}" in admin.get(page).content.decode()
    # And the cooldown counts from the move back: not to C again before 30 days.
    refused = admin.post(page, {"target": third.actor, "confirm": "1"})
    assert "it may move again from" in refused.content.decode()


def _entry(name: str, **fields: Any) -> RemoteOrganization:
    """An accepted remote organization on a server of its own (`<name>.example`)."""
    return RemoteOrganization.objects.create(
        actor=f"https://{name}.example/actors/{name}",
        inbox=f"https://{name}.example/actors/{name}/inbox",
        shared_inbox=f"https://{name}.example/inbox",
        host=f"{name}.example",
        username=name,
        name=name.title(),
        status=RemoteOrganization.Status.ACCEPTED,
        **fields,
    )


def test_a_move_goes_to_the_moving_organizations_partners_not_to_every_server_accepted_here(
    new, ana, owner_org, other_org, django_capture_on_commit_callbacks
):
    # The Metalworkers asked for one; another is in a relation with them; a third relates to
    # the Korean dockworkers; a fourth the operators accepted for the whole server.
    _entry("asked", relates_to=owner_org)
    related = OrganizationFactory(slug="related", remote_actor_url="https://related.example/a")
    _entry("related", organization=related)
    Relation.objects.create(
        proposer=related, partner=owner_org, kind="fraternal", status=Relation.Status.ACCEPTED
    )
    _entry("elsewhere", relates_to=other_org)
    _entry("server")
    _confirms_metal(new)
    with django_capture_on_commit_callbacks(execute=False):
        move = move_to(actor=ana, organization=owner_org, target=new.actor)

    fan_out(move)

    assert sorted(Delivery.objects.filter(activity=move).values_list("inbox", flat=True)) == [
        "https://asked.example/inbox",
        "https://related.example/inbox",
    ]


def _confirms_metal(new: Remote) -> None:
    new.server.documents["/users/havenbond-nl"]["alsoKnownAs"] = [METAL]
