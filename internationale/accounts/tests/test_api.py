"""GET /api/v1/me: who the API sees you as. Through real HTTP requests, as the personas."""

from django.test import Client
from django.utils import translation

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.organizations.tests.factories import MembershipFactory

API = "/api/v1"


def test_signed_in_you_see_yourself_and_all_your_organizations(client_for, sam, other_org):
    MembershipFactory(user=sam, organization=other_org, role="observer")
    sam.language = "es"
    sam.save()

    with translation.override("en"):  # the request switches to Spanish; leave no trace after
        response = client_for(sam).get(f"{API}/me")

    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "sam@metal.example"
    assert body["user"]["language"] == "es"
    assert body["user"]["is_operator"] is False
    assert body["token"] is None
    assert [(m["organization"]["slug"], m["role"]) for m in body["memberships"]] == [
        ("docks-kr", "observer"),
        ("metal-sp", "secretary"),
    ]


def test_with_a_token_you_see_only_the_organization_it_acts_for(sam, owner_org, other_org):
    MembershipFactory(user=sam, organization=other_org, role="observer")
    _token, raw = token_create(
        actor=System(reason="test"), user=sam, organization=owner_org, name="bot"
    )

    body = Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me").json()

    assert body["token"]["organization"] == {
        "slug": "metal-sp",
        "name": "Metalworkers of São Paulo",
        "verified": True,
    }
    assert body["token"]["prefix"] == raw[:10]
    assert raw not in str(body)
    assert [m["organization"]["slug"] for m in body["memberships"]] == ["metal-sp"]


def test_a_person_in_no_organization_has_no_memberships(client_for, nell):
    body = client_for(nell).get(f"{API}/me").json()

    assert body["user"]["email"] == "nell@example.org"
    assert body["memberships"] == []


def test_an_operator_is_shown_as_such(client_for, oscar):
    assert client_for(oscar).get(f"{API}/me").json()["user"]["is_operator"] is True


def test_an_anonymous_visitor_is_asked_to_sign_in(db):
    response = Client().get(f"{API}/me")

    assert response.status_code == 401
