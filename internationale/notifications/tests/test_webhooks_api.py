"""An organization's webhooks through the API: what the Webhooks page does, with a token."""

import pytest
import standardwebhooks
from django.test import Client

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.notifications.models import Webhook, WebhookDelivery

from .webhook_server import Receiver

HOOKS = "/api/v1/organizations/metal-sp/webhooks"
PUBLIC_HOOK = "https://93.184.216.34/hooks/internationale"  # a public address: no DNS needed

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(ana, owner_org):  # type: ignore[no-untyped-def]
    """Ana's script: a token of the admin of metal-sp."""
    _token, raw = token_create(actor=System(reason="test"), user=ana, organization=owner_org)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_script_adds_a_webhook_and_gets_its_secret_once(api, owner_org):
    response = api.post(HOOKS, {"url": PUBLIC_HOOK}, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    webhook = Webhook.objects.get(organization=owner_org)
    assert body["secret"] == webhook.secret and body["secret"].startswith("whsec_")
    assert (body["url"], body["rotating"], body["previous_secret_until"]) == (
        PUBLIC_HOOK,
        False,
        None,
    )
    listed = api.get(HOOKS).json()
    assert [h["id"] for h in listed["items"]] == [webhook.pk]
    assert "secret" not in listed["items"][0]
    assert AuditEntry.objects.filter(action="webhook.create").count() == 1


def test_adding_the_same_webhook_twice_with_one_key_adds_one(api, owner_org):
    first = api.post(
        HOOKS, {"url": PUBLIC_HOOK}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = api.post(
        HOOKS, {"url": PUBLIC_HOOK}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    other = api.post(
        HOOKS,
        {"url": PUBLIC_HOOK + "/2"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.json()["id"] == first.json()["id"]
    assert Webhook.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["http://[::127.0.0.1]/", "http://[::ffff:0:7f00:1]/", "https://[fec0::1]/", "ftp://x/"]
)
def test_an_address_that_is_not_allowed_is_refused_with_a_clear_error(api, url):
    response = api.post(HOOKS, {"url": url}, content_type="application/json")
    assert response.status_code == 400
    assert "url" in response.json()["errors"]
    assert not Webhook.objects.exists()


def test_a_script_changes_the_secret_and_retires_the_old_one(
    api, allow_private, receiver, owner_org, deliver, run_tasks
):
    server: Receiver = receiver()
    created = api.post(HOOKS, {"url": server.url}, content_type="application/json").json()
    old = created["secret"]

    rotated = api.post(f"{HOOKS}/{created['id']}/secret")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new != old and rotated.json()["rotating"]
    assert rotated.json()["previous_secret_until"]
    refused = api.post(f"{HOOKS}/{created['id']}/secret")
    assert refused.status_code == 400
    assert "already being changed" in refused.json()["detail"]

    deliver(owner_org, key="appeal:1")
    run_tasks()
    for secret in (old, new):
        standardwebhooks.Webhook(secret).verify(
            server.received[-1].body, server.received[-1].headers
        )

    retired = api.delete(f"{HOOKS}/{created['id']}/previous-secret")
    assert retired.status_code == 200
    assert (retired.json()["rotating"], "secret" in retired.json()) == (False, False)
    deliver(owner_org, key="appeal:2")
    run_tasks()
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(old).verify(server.received[-1].body, server.received[-1].headers)
    assert api.delete(f"{HOOKS}/{created['id']}/previous-secret").status_code == 400
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_a_script_deletes_a_webhook(api, owner_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    assert api.delete(f"{HOOKS}/{webhook.pk}").status_code == 204
    assert not Webhook.objects.exists()


def test_the_webhooks_of_another_organization_are_not_found(api, other_org):
    theirs = Webhook.objects.create(organization=other_org, url=PUBLIC_HOOK, secret="s" * 64)
    for response in (
        api.get("/api/v1/organizations/docks-kr/webhooks"),
        api.delete(f"{HOOKS}/{theirs.pk}"),
        api.post(f"{HOOKS}/{theirs.pk}/secret"),
    ):
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.secret == "s" * 64


def test_a_secretary_cannot_manage_webhooks(client_for, sam, owner_org):
    webhook = Webhook.objects.create(organization=owner_org, url=PUBLIC_HOOK, secret="s" * 64)
    client = client_for(sam)
    assert client.get(HOOKS).status_code == 404
    assert client.post(f"{HOOKS}/{webhook.pk}/secret").status_code == 404
    webhook.refresh_from_db()
    assert not webhook.rotating
