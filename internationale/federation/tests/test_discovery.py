"""Organizations as ActivityPub actors, found by WebFinger; the server described by NodeInfo;
all through real requests, as another server would ask."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from internationale.organizations.models import OrganizationSector
from internationale.organizations.tests.factories import (
    EmployerFactory,
    OrganizationFactory,
    PresenceFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
ACTOR = f"{SITE}/federation/actors/dockers"
AS = "https://www.w3.org/ns/activitystreams"


@pytest.fixture
def union(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = SITE
    org = OrganizationFactory(
        slug="dockers",
        name="Dock Workers' Union",
        country="NG",
        description="We organize the **port** of Lagos.",
        languages=["en", "yo"],
    )
    OrganizationSector.objects.create(organization=org, code="H")
    PresenceFactory(
        organization=org,
        employer=EmployerFactory(name="Meridian Freight", slug="meridian"),
        visibility="public",
    )
    PresenceFactory(
        organization=org,
        employer=EmployerFactory(name="Secret Shipping", slug="secret"),
        visibility="network",
    )
    return org


@pytest.mark.parametrize(
    "accept", ["application/activity+json", f'application/ld+json; profile="{AS}"']
)
def test_an_organization_is_a_group_for_activitypub_clients(client, union, accept):
    response = client.get("/federation/actors/dockers", headers={"Accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/activity+json")
    actor = response.json()
    assert actor["@context"] == [AS, "https://w3id.org/security/v1", f"{SITE}/federation/context"]
    assert actor["id"] == ACTOR
    assert actor["type"] == "Group"
    assert actor["preferredUsername"] == "dockers"
    assert actor["name"] == "Dock Workers' Union"
    assert "<strong>port</strong>" in actor["summary"]
    assert actor["inbox"] == f"{ACTOR}/inbox"
    assert actor["outbox"] == f"{ACTOR}/outbox"
    assert actor["followers"] == f"{ACTOR}/followers"
    assert actor["endpoints"]["sharedInbox"] == f"{SITE}/federation/inbox"
    assert actor["url"] == f"{SITE}/organizations/dockers/"
    # What routing reads, as extension properties of the platform's context.
    assert actor["languages"] == ["en", "yo"]
    assert actor["country"] == "NG"
    assert actor["sectors"] == ["H"]
    # Only the presence the directory shows anyone; the one shared with the network stays here.
    assert [e["name"] for e in actor["employers"]] == ["Meridian Freight"]
    key = actor["publicKey"]
    assert key["owner"] == ACTOR
    assert key["id"] == f"{ACTOR}/keys/1"
    public = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048
    assert "icon" not in actor  # no logo


def test_a_browser_is_sent_to_the_profile_page(client, union):
    response = client.get("/federation/actors/dockers", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/dockers/"


def test_the_same_key_is_served_until_it_is_rotated(client, union):
    first = client.get(
        "/federation/actors/dockers", headers={"Accept": "application/activity+json"}
    )
    again = client.get(
        "/federation/actors/dockers", headers={"Accept": "application/activity+json"}
    )
    assert first.json()["publicKey"] == again.json()["publicKey"]
    key = client.get("/federation/actors/dockers/keys/1")
    assert key.status_code == 200
    assert key.json()["publicKeyPem"] == first.json()["publicKey"]["publicKeyPem"]
    assert client.get("/federation/actors/dockers/keys/2").status_code == 404


def test_an_organization_the_directory_does_not_list_is_no_actor(client, union):
    OrganizationFactory(slug="pending", verified_at=None)
    ap = {"Accept": "application/activity+json"}
    for path in ("", "/outbox", "/followers", "/keys/1"):
        assert client.get(f"/federation/actors/pending{path}", headers=ap).status_code == 404
    assert client.get("/federation/actors/nobody", headers=ap).status_code == 404
    webfinger = client.get("/.well-known/webfinger?resource=acct:pending@127.0.0.1:8000")
    assert webfinger.status_code == 404


def test_the_context_defines_the_extension_properties(client, union):
    response = client.get("/federation/context")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    terms = response.json()["@context"]
    assert terms["int"] == f"{SITE}/federation/context#"
    for term in ("languages", "country", "sectors", "employers", "verified", "slug"):
        assert terms[term]["@id"] == f"int:{term}"


def test_the_outbox_of_an_organization_that_published_nothing_is_empty(client, union):
    response = client.get("/federation/actors/dockers/outbox")
    assert response.json() == {
        "@context": AS,
        "id": f"{ACTOR}/outbox",
        "type": "OrderedCollection",
        "totalItems": 0,
        "first": f"{ACTOR}/outbox?page=1",
        "last": f"{ACTOR}/outbox?page=1",
    }
    page = client.get("/federation/actors/dockers/outbox?page=1").json()
    assert (page["type"], page["orderedItems"]) == ("OrderedCollectionPage", [])


def test_webfinger_finds_the_organization_by_its_account(client, union):
    response = client.get("/.well-known/webfinger?resource=acct:dockers@127.0.0.1:8000")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    found = response.json()
    assert found["subject"] == "acct:dockers@127.0.0.1:8000"
    self_link = next(link for link in found["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": "application/activity+json", "href": ACTOR}
    by_url = client.get(f"/.well-known/webfinger?resource={ACTOR}")
    assert by_url.json()["subject"] == "acct:dockers@127.0.0.1:8000"


def test_webfinger_finds_the_account_whatever_its_letters_case(client, union):
    response = client.get("/.well-known/webfinger?resource=acct:Dockers@127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json()["subject"] == "acct:dockers@127.0.0.1:8000"


@pytest.mark.parametrize(
    "resource", ["acct:nobody@127.0.0.1:8000", "acct:dockers@elsewhere.example"]
)
def test_webfinger_does_not_find_what_is_not_here(client, union, resource):
    assert client.get(f"/.well-known/webfinger?resource={resource}").status_code == 404


@pytest.mark.parametrize("query", ["", "?resource=", "?resource=dockers", "?resource=acct:a@b@c"])
def test_webfinger_refuses_a_malformed_resource(client, union, query):
    response = client.get(f"/.well-known/webfinger{query}")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_resource"


def test_nodeinfo_describes_the_server_without_counting_people(client, union, settings):
    settings.ACCOUNT_SIGNUP_OPEN = False
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links == [
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": f"{SITE}/federation/nodeinfo/2.1",
        }
    ]
    OrganizationFactory(verified_at=None)
    info = client.get("/federation/nodeinfo/2.1").json()
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "internationale"
    assert info["protocols"] == ["activitypub"]
    assert info["openRegistrations"] is False
    assert info["usage"] == {"users": {}}
    assert info["metadata"]["organizations"] == 1


def test_the_logo_is_the_actors_icon(client, union):
    union.logo.name = "logos/dockers.png"
    union.save(update_fields=["logo"])
    actor = client.get(
        "/federation/actors/dockers", headers={"Accept": "application/activity+json"}
    )
    assert actor.json()["icon"] == {
        "type": "Image",
        "mediaType": "image/png",
        "url": f"{SITE}/media/logos/dockers.png",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/federation/actors/dockers",
        "/federation/actors/dockers/outbox",
        "/federation/actors/dockers/followers",
        "/federation/context",
        "/.well-known/webfinger?resource=acct:dockers@127.0.0.1:8000",
        "/.well-known/nodeinfo",
    ],
)
def test_federation_documents_answer_head_as_get_without_a_body(client, union, path):
    get = client.get(path, headers={"Accept": "application/activity+json"})
    head = client.head(path, headers={"Accept": "application/activity+json"})
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""
