"""A public appeal, once sent, reaches its organization's followers on other servers as the
`Create` of an `Article` in every language it has; an appeal not public never does."""

import json
from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals.services import (
    appeal_close,
    appeal_post_update,
    appeal_resolve,
    appeal_send,
)
from internationale.appeals.tests.factories import AppealFactory
from internationale.federation.models import OutgoingActivity

pytestmark = pytest.mark.django_db

ACTOR = "http://127.0.0.1:8000/federation/actors/metal-sp"


@pytest.fixture
def followed_and_sent(  # type: ignore[no-untyped-def]
    client, alice, work_off, owner_org, sam, other_org, django_capture_on_commit_callbacks
):
    """Alice follows the Metalworkers, who send an appeal; every task runs. What alice's server
    received, by type."""

    def run(**appeal_fields: Any) -> dict[str, dict[str, Any]]:
        with django_capture_on_commit_callbacks(execute=True):  # the Accept's delivery queued
            response = alice.post(
                client, "/federation/actors/metal-sp/inbox", alice.activity("Follow", object=ACTOR)
            )
        assert response.status_code == 202, response.content
        appeal = AppealFactory(organization=owner_org, created_by=sam, **appeal_fields)
        appeal_send(actor=sam, appeal=appeal, criteria=Criteria(add=[other_org.pk]))
        work_off()
        received = {}
        for _path, _headers, body in alice.server.posted:
            activity = json.loads(body)
            received[activity["type"]] = activity
        return received

    return run


def test_a_public_appeal_is_published_to_the_followers(followed_and_sent):
    received = followed_and_sent(visibility="public", title="Lockout")
    assert set(received) == {"Accept", "Create"}
    create = received["Create"]
    assert create["actor"] == ACTOR
    assert create["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert create["cc"] == [f"{ACTOR}/followers"]
    article = create["object"]
    assert (article["type"], article["name"], article["attributedTo"]) == (
        "Article",
        "Lockout",
        ACTOR,
    )
    assert article["nameMap"] == {"pt-BR": "Lockout"}
    assert "<strong>1,200</strong>" in article["contentMap"]["pt-BR"]
    assert article["id"].startswith("http://127.0.0.1:8000/appeals/")
    # Recorded once, whatever number of batches the notice of the appeal had.
    assert OutgoingActivity.objects.filter(activity_type="Create").count() == 1


@pytest.mark.parametrize("visibility", ["network", "addressed"])
def test_an_appeal_that_is_not_public_is_never_sent_to_followers(followed_and_sent, visibility):
    received = followed_and_sent(visibility=visibility)
    assert set(received) == {"Accept"}
    assert not OutgoingActivity.objects.filter(activity_type="Create").exists()


# The appeal's life after its Create -------------------------------------------------------------


@pytest.fixture
def published(
    client, alice, work_off, owner_org, sam, other_org, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """Alice follows the Metalworkers, who send an appeal with the visibility asked; every task
    runs. Returns the appeal; `alice.server.posted` holds what her server received."""

    def run(visibility: str = "public") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post(
                client, "/federation/actors/metal-sp/inbox", alice.activity("Follow", object=ACTOR)
            )
        assert response.status_code == 202, response.content
        appeal = AppealFactory(organization=owner_org, created_by=sam, visibility=visibility)
        appeal_send(actor=sam, appeal=appeal, criteria=Criteria(add=[other_org.pk]))
        work_off()
        appeal.refresh_from_db()
        return appeal

    return run


def received(alice: Any) -> list[dict[str, Any]]:
    return [json.loads(body) for _path, _headers, body in alice.server.posted]


def test_an_update_resolution_and_closing_follow_the_published_appeal(
    published, alice, sam, work_off, django_capture_on_commit_callbacks
):
    appeal = published()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_post_update(actor=sam, appeal=appeal, text="The *strike* holds.")
        appeal_resolve(actor=sam, appeal=appeal, outcome="won", report="All **reinstated**.")
        appeal_close(actor=sam, appeal=appeal)
    work_off()
    activities = received(alice)
    assert [a["type"] for a in activities] == ["Accept", "Create", "Create", "Update", "Update"]
    article_id = activities[1]["object"]["id"]
    note = activities[2]["object"]
    assert (note["type"], note["inReplyTo"]) == ("Note", article_id)
    assert "<em>strike</em>" in note["content"]
    assert note["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    resolved, closed = activities[3]["object"], activities[4]["object"]
    assert resolved["id"] == article_id
    assert (resolved["status"], resolved["outcome"]) == ("resolved", "won")
    assert "<strong>reinstated</strong>" in resolved["content"]
    assert closed["status"] == "closed" and "updated" in closed
    # A second run of the tasks sends nothing twice.
    work_off()
    assert len(received(alice)) == 5


@pytest.mark.parametrize("visibility", ["network", "addressed"])
def test_the_life_of_an_appeal_that_is_not_public_never_leaves_the_server(
    published, alice, sam, work_off, visibility, django_capture_on_commit_callbacks
):
    appeal = published(visibility)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_post_update(actor=sam, appeal=appeal, text="Confidential: the strike fund.")
        appeal_resolve(actor=sam, appeal=appeal, outcome="lost", report="Names of the leaders.")
        appeal_close(actor=sam, appeal=appeal)
        appeal.delete()
    work_off()
    assert [a["type"] for a in received(alice)] == ["Accept"]
    assert not OutgoingActivity.objects.exclude(activity_type="Accept").exists()


def test_a_deleted_public_appeal_is_sent_as_a_tombstone(
    published, alice, work_off, django_capture_on_commit_callbacks
):
    appeal = published()
    url = f"http://127.0.0.1:8000/appeals/{appeal.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        appeal.delete()
    work_off()
    delete = received(alice)[-1]
    assert delete["type"] == "Delete"
    assert delete["object"]["type"] == "Tombstone"
    assert delete["object"]["id"] == url


def test_the_outbox_lists_what_was_published_newest_first_by_pages(
    client, published, alice, sam, work_off, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("internationale.federation.views.OUTBOX_PAGE", 2)
    appeal = published()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_post_update(actor=sam, appeal=appeal, text="Day two.")
        appeal_post_update(actor=sam, appeal=appeal, text="Day three.")
    outbox = client.get("/federation/actors/metal-sp/outbox").json()
    assert outbox["totalItems"] == 3  # the Accept of alice's follow was to her alone
    assert outbox["first"].endswith("/outbox?page=1") and outbox["last"].endswith("?page=2")
    first = client.get("/federation/actors/metal-sp/outbox?page=1").json()
    assert first["type"] == "OrderedCollectionPage"
    assert [a["object"]["content"] for a in first["orderedItems"]] == [
        "<p>Day three.</p>",
        "<p>Day two.</p>",
    ]
    assert first["next"].endswith("?page=2") and "prev" not in first
    second = client.get("/federation/actors/metal-sp/outbox?page=2").json()
    assert [a["object"]["type"] for a in second["orderedItems"]] == ["Article"]
    for bad in ("0", "3", "x", "-1"):
        answer = client.get(f"/federation/actors/metal-sp/outbox?page={bad}")
        assert (answer.status_code, answer.json()["error"]) == (400, "bad_page")
