"""A public appeal, once sent, reaches its organization's followers on other servers as the
`Create` of an `Article` in every language it has; an appeal not public never does."""

import json
from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals.services import appeal_send
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
