"""A person's own data: downloaded as JSON after their password again (profile, memberships, what
they wrote in their organizations, the audit entries about them); their account deleted, what
they wrote staying with the organization, attributed to "a former member"."""

import json

import pytest
from django.test import Client

from internationale.accounts.models import ApiToken, User
from internationale.accounts.tests.factories import PASSWORD
from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.audit import audit
from internationale.organizations.models import Membership

pytestmark = pytest.mark.django_db


def reauthenticated(client):  # type: ignore[no-untyped-def]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


def test_a_person_downloads_their_data(client_for, owner_org, other_org, sam, kim):
    mine = AppealFactory(organization=owner_org, created_by=sam, title="Our lockout")
    AppealFactory(organization=other_org, created_by=sam, title="Written before leaving")
    AppealFactory(organization=owner_org, created_by=kim, title="Someone else's")
    audit(actor=sam, action="organization.export_start", organization=owner_org, id=1)
    audit(actor=sam, action="organization.export_start", organization=other_org, id=2)
    client = client_for(sam)
    asked = client.post("/ownership/people/me/data/")
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"]

    response = reauthenticated(client).post("/ownership/people/me/data/")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == "sam@metal.example"
    assert data["memberships"] == [
        {
            "organization": "metal-sp",
            "name": owner_org.name,
            "role": "secretary",
            "since": Membership.objects.get(user=sam).created_at.isoformat(),
        }
    ]
    appeals = data["written"]["appeals.appeal"]
    assert [(a["id"], a["title"], a["created_by"]) for a in appeals] == [
        (mine.pk, "Our lockout", "you")
    ]
    # What they did here, and that they exported their data; not the log of an organization
    # they left.
    assert [(e["action"], e["organization"]) for e in data["audit"]] == [
        ("organization.export_start", "metal-sp"),
        ("account.export_data", None),
    ]


def test_the_api_asks_for_the_password_again(client_for, sam):
    client = client_for(sam)
    wrong = client.post("/api/v1/me/data", {"password": "no"}, content_type="application/json")
    assert wrong.status_code == 400 and "password" in wrong.json()["errors"]
    ok = client.post("/api/v1/me/data", {"password": PASSWORD}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["profile"]["email"] == "sam@metal.example"


def test_a_deleted_account_leaves_what_it_wrote_to_a_former_member(client_for, owner_org, ana, sam):
    appeal = AppealFactory(organization=owner_org, created_by=sam, title="Our lockout")
    ApiToken.objects.create(user=sam, organization=owner_org, name="t", key_hash="x" * 64)
    client = reauthenticated(client_for(sam))
    page = client.get("/ownership/people/me/delete/")
    assert "This cannot be undone" in page.content.decode()
    response = client.post("/ownership/people/me/delete/")
    assert response.status_code == 302 and response["Location"] == "/"

    former = User.objects.get(pk=sam.pk)
    assert str(former) == "a former member" and former.name == ""
    assert "sam@metal.example" not in former.email and not former.has_usable_password()
    assert not Membership.objects.filter(user=former).exists()
    assert not ApiToken.objects.filter(user=former).exists()
    assert Appeal.objects.get(pk=appeal.pk).created_by == former  # stays with the organization
    # Signed out, and cannot sign in again.
    assert client.get("/dashboard/").status_code == 302
    assert not Client().login(email="sam@metal.example", password=PASSWORD)


def test_the_last_admin_cannot_delete_their_account(client_for, owner_org, ana):
    client = reauthenticated(client_for(ana))
    response = client.post("/ownership/people/me/delete/", follow=True)
    assert "You are the last admin of Metalworkers of São Paulo" in response.content.decode()
    ana.refresh_from_db()
    assert ana.is_active and ana.email == "ana@metal.example"
    assert Membership.objects.filter(user=ana).exists()


def test_the_api_deletes_an_account_only_when_confirmed(client_for, sam):
    client = client_for(sam)
    body = {"password": PASSWORD}
    refused = client.post("/api/v1/me/delete", body, content_type="application/json")
    assert refused.status_code == 400 and "confirm" in refused.json()["errors"]
    assert User.objects.get(pk=sam.pk).is_active
    done = client.post(
        "/api/v1/me/delete", {**body, "confirm": True}, content_type="application/json"
    )
    assert done.status_code == 204 and str(User.objects.get(pk=sam.pk)) == "a former member"


def test_the_settings_page_leads_to_ones_data(client_for, sam):
    page = client_for(sam).get("/settings/").content.decode()
    assert 'href="/ownership/people/me/"' in page
    mine = client_for(sam).get("/ownership/people/me/").content.decode()
    assert "Download my data" in mine and 'href="/ownership/people/me/delete/"' in mine


def test_a_deleted_account_leaves_no_address_in_the_organizations_audit(
    client_for, owner_org, ana, sam
):
    """The audit keeps what happened (a member left, a token was made), not who they were."""
    from internationale.accounts.services import token_create
    from internationale.core.models import AuditEntry

    token_create(actor=sam, user=sam, organization=owner_org, name="press office")
    response = reauthenticated(client_for(sam)).post("/ownership/people/me/delete/")
    assert response.status_code == 302
    entries = list(AuditEntry.objects.all())
    assert {e.action for e in entries} >= {"membership.remove", "account.delete"}
    for entry in entries:
        assert "sam@metal.example" not in entry.summary
        assert "sam@metal.example" not in json.dumps(entry.data)
    page = client_for(ana).get(f"/organizations/{owner_org.slug}/audit/")
    assert page.status_code == 200 and "sam@metal.example" not in page.content.decode()
