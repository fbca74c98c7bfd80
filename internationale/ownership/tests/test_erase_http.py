"""The emergency erase through real requests: the pages (what goes, that it is irreversible, asked
for, confirmed by a second person) and the API (with the admins' tokens), and the clear refusals
that change nothing."""

import datetime

import pytest
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.actors import System
from internationale.organizations.models import Membership
from internationale.ownership.models import EraseRequest

pytestmark = pytest.mark.django_db


def _bearer(user, organization) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="erase"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_two_admins_erase_through_the_pages(client_for, owner_org, ana, ada, sam, oscar):
    secret = AppealFactory(organization=owner_org, created_by=sam, title="Quarry strike fund")
    page = f"/ownership/{owner_org.slug}/erase/"
    first = client_for(ana)
    shown = first.get(page).content.decode()
    assert "What an erase removes" in shown
    assert "cannot be undone" in shown
    assert "No erase was ever asked for." in shown

    # Without saying they understand, nothing is asked for.
    refused = first.post(page, {"profile": "keep"})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not EraseRequest.objects.exists()

    assert first.post(page, {"profile": "keep", "understood": "on"}).status_code == 302
    waiting = first.get(page).content.decode()
    assert "An erase is waiting for its second confirmation." in waiting
    assert "A second person must confirm it" in waiting
    pending = EraseRequest.objects.get()

    second = client_for(ada)
    assert f"/erase/{pending.pk}/confirm/" in second.get(page).content.decode()
    confirm = f"{page}{pending.pk}/confirm/"
    asked = second.get(confirm).content.decode()
    assert "cannot be undone" in asked and ana.name in asked
    assert second.post(confirm, {}).status_code == 200  # not understood: nothing erased
    assert Appeal.objects.filter(pk=secret.pk).exists()

    done = second.post(confirm, {"understood": "on"})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert not Appeal.objects.filter(pk=secret.pk).exists()
    # Of its members' list, the two admins who erased stay, and can still act for it; the
    # secretary is no longer one of its people.
    assert set(Membership.objects.filter(organization=owner_org).values_list("user", "role")) == {
        (ana.pk, "admin"),
        (ada.pk, "admin"),
    }
    history = first.get(page).content.decode()
    assert "Done" in history and ada.name in history
    assert client_for(sam).get(page).status_code == 404
    assert client_for(oscar).get(page).status_code == 200


def test_the_person_who_asked_cannot_confirm_on_the_page(client_for, owner_org, ana):
    page = f"/ownership/{owner_org.slug}/erase/"
    client = client_for(ana)
    client.post(page, {"profile": "erase", "understood": "on"})
    pending = EraseRequest.objects.get()
    answer = client.post(f"{page}{pending.pk}/confirm/", {"understood": "on"})
    assert answer.status_code == 200
    assert "confirmed by a second person" in answer.content.decode()
    assert Membership.objects.filter(organization=owner_org).exists()


def test_a_request_is_withdrawn_on_the_page(client_for, owner_org, ana, ada):
    page = f"/ownership/{owner_org.slug}/erase/"
    client_for(ana).post(page, {"profile": "keep", "understood": "on"})
    pending = EraseRequest.objects.get()
    assert client_for(ada).post(f"{page}{pending.pk}/cancel/").status_code == 302
    assert EraseRequest.objects.get().status == "cancelled"
    assert "Withdrawn" in client_for(ada).get(page).content.decode()


@pytest.mark.parametrize("persona", ["sam", "mo", "olu", "kai", "nell"])
def test_the_pages_answer_404_to_anyone_else(client_for, owner_org, ana, persona, request):
    client_for(ana).post(
        f"/ownership/{owner_org.slug}/erase/", {"profile": "keep", "understood": "on"}
    )
    pending = EraseRequest.objects.get()
    client = client_for(request.getfixturevalue(persona))
    page = f"/ownership/{owner_org.slug}/erase/"
    assert client.get(page).status_code == 404
    assert client.post(page, {"profile": "keep", "understood": "on"}).status_code == 404
    assert client.post(f"{page}{pending.pk}/confirm/", {"understood": "on"}).status_code == 404
    assert EraseRequest.objects.get().status == "pending"


def test_an_admin_and_an_operator_erase_through_the_api(client, owner_org, ana, oscar, sam):
    secret = AppealFactory(organization=owner_org, created_by=sam, title="Quarry strike fund")
    path = f"/api/v1/organizations/{owner_org.slug}/erase"
    token = _bearer(ana, owner_org)
    asked = client.post(path, {"keep_profile": False}, content_type="application/json", **token)
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["status"], body["keep_profile"], body["requested_by"]) == (
        "pending",
        False,
        ana.name or ana.email,
    )
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - timezone.now() - datetime.timedelta(hours=1)) < datetime.timedelta(
        minutes=1
    )
    again = client.post(path, {"keep_profile": True}, content_type="application/json", **token)
    assert again.status_code == 400
    assert "already waiting" in again.json()["detail"] + str(again.json()["errors"])

    own = client.post(f"{path}/{body['id']}/confirm", **token)
    assert own.status_code == 400
    assert Appeal.objects.filter(pk=secret.pk).exists()

    client.force_login(oscar)
    done = client.post(f"{path}/{body['id']}/confirm")
    assert done.status_code == 200, done.content
    assert done.json()["request"]["status"] == "done"
    assert done.json()["erased"]["appeals.Appeal"] == 1
    assert not Appeal.objects.filter(pk=secret.pk).exists()
    # The profile went with it: the organization has a new address.
    assert client.get(path).status_code == 404
    owner_org.refresh_from_db()
    state = client.get(f"/api/v1/organizations/{owner_org.slug}/erase").json()
    assert state["pending"] is None
    assert state["history"][0]["confirmed_by"] == (oscar.name or oscar.email)


def test_the_api_refuses_bad_input_and_changes_nothing(client, owner_org, ana):
    path = f"/api/v1/organizations/{owner_org.slug}/erase"
    client.force_login(ana)
    for body in ({}, {"keep_profile": "perhaps"}, {"keep_profile": None}):
        answer = client.post(path, body, content_type="application/json")
        assert answer.status_code == 400
        assert "keep_profile" in answer.json()["errors"]
    assert client.post(f"{path}/999999/confirm").status_code == 404
    assert not EraseRequest.objects.exists()


def test_a_lapsed_request_is_shown_lapsed_and_cannot_be_confirmed(client, owner_org, ana, ada):
    path = f"/api/v1/organizations/{owner_org.slug}/erase"
    client.force_login(ana)
    pk = client.post(path, {"keep_profile": True}, content_type="application/json").json()["id"]
    EraseRequest.objects.filter(pk=pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert client.get(path).json()["history"][0]["status"] == "lapsed"
    client.force_login(ada)
    answer = client.post(f"{path}/{pk}/confirm")
    assert answer.status_code == 400
    assert "lapsed" in str(answer.json())
    assert Membership.objects.filter(organization=owner_org).count() == 2


def test_a_members_token_and_other_organizations_get_404(client, owner_org, other_org, mo, kai):
    path = f"/api/v1/organizations/{owner_org.slug}/erase"
    for headers in (_bearer(mo, owner_org), _bearer(kai, other_org)):
        assert client.get(path, **headers).status_code == 404
        answer = client.post(
            path, {"keep_profile": True}, content_type="application/json", **headers
        )
        assert answer.status_code == 404
    assert not EraseRequest.objects.exists()


def test_the_data_page_leads_its_admins_to_the_emergency_erase(client_for, owner_org, ana):
    page = client_for(ana).get(f"/ownership/{owner_org.slug}/").content.decode()
    assert f'href="/ownership/{owner_org.slug}/erase/"' in page
