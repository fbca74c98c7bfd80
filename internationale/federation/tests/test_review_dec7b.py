"""Review of 7 December (afternoon): what a remote organization sends about its own appeals
(receiving.py) cannot reach an organization that blocked it, and an odd date does not break the
inbox."""

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Appeal, Pledge, Response
from internationale.appeals.services import appeal_send
from internationale.appeals.tests.factories import AppealFactory
from internationale.federation.blocks import block_add
from internationale.federation.models import ReceivedActivity, ReceivedObject
from internationale.notifications.models import InboxEntry

from .conftest import DOCKS, INBOX, METAL, SITE, article, create, received, taken_as_blocked

pytestmark = pytest.mark.django_db


def test_an_appeal_with_an_impossible_deadline_is_received_without_one(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam, endTime="2027-13-45T00:00:00Z")
    response = rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL]))
    assert response.status_code == 202, response.content
    work_off()
    appeal = received(rotterdam)
    assert (appeal.status, appeal.deadline) == ("open", None)


def test_an_organization_that_blocked_a_remote_one_is_not_sent_its_appeals(
    client, rotterdam, accepted, ana, owner_org, other_org, work_off
):
    host = rotterdam.server.url.removeprefix("http://")
    block_add(actor=ana, organization=owner_org, host=host)
    # Through the shared inbox, naming both: the dockworkers receive it, the metalworkers not.
    both = create(rotterdam, article(rotterdam), [METAL, DOCKS])
    assert rotterdam.post(client, "/federation/inbox", both).status_code == 202
    work_off()
    appeal = received(rotterdam)
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["docks-kr"]
    inbox = InboxEntry.objects.about(appeal).values_list("organization__slug", flat=True)
    assert list(inbox) == ["docks-kr"]
    # Sent again through the dockworkers' inbox, to the metalworkers alone: refused, unchanged.
    again = create(rotterdam, article(rotterdam), [METAL])
    response = rotterdam.post(client, "/federation/actors/docks-kr/inbox", again)
    assert response.status_code == 202  # the same appeal again: nothing to add
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["docks-kr"]
    # Another appeal to the metalworkers alone, through the shared inbox: taken as if it had
    # reached them (the answer tells nothing of the block), and it goes nowhere.
    only_metal = create(rotterdam, article(rotterdam, 2), [METAL])
    response = rotterdam.post(client, "/federation/inbox", only_metal)
    assert response.status_code == 202, response.content
    assert Appeal.objects.count() == 1 and ReceivedObject.objects.count() == 1
    assert ReceivedActivity.objects.get(activity_id=only_metal["id"]).outcome == ""


def test_an_appeal_naming_thousands_of_addresses_here_is_received_in_a_few_queries(
    client, rotterdam, accepted, django_assert_max_num_queries
):
    # As large as the inbox takes: thousands of addresses of this server, of no organization.
    names = [f"{METAL.rsplit('/', 1)[0]}/x{n:05d}" for n in range(2400)]
    obj = {**article(rotterdam), "to": [METAL, *names]}
    activity = rotterdam.activity("Create", object=obj, to=[METAL])
    with django_assert_max_num_queries(100):
        response = rotterdam.post(client, INBOX, activity)
    assert response.status_code == 202, response.content
    appeal = received(rotterdam)
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["metal-sp"]


def test_an_update_and_an_outcome_report_received_are_no_longer_than_ours(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    words = "Still out. " * 20_000  # 220,000 characters: the forms and the API take 20,000
    note = {
        "id": f"{obj['id']}#update-1",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "source": {"content": words, "mediaType": "text/markdown"},
    }
    assert rotterdam.post(client, INBOX, create(rotterdam, note, [METAL])).status_code == 202
    resolved = {**obj, "status": "resolved", "outcome": "won", "outcomeReport": words}
    update = rotterdam.activity("Update", object=resolved, to=[METAL])
    assert rotterdam.post(client, INBOX, update).status_code == 202
    appeal = received(rotterdam)
    assert appeal.status == "resolved"
    assert 0 < len(appeal.outcome_report) <= 20_000
    assert 0 < len(appeal.updates.get(kind="update").text) <= 20_000


def test_a_remote_organization_blocked_by_an_issuer_answers_its_appeal_through_the_shared_inbox_to_no_effect(
    client, rotterdam, accepted, owner_org, sam, ana, work_off
):
    appeal = AppealFactory(organization=owner_org, created_by=sam, visibility="addressed")
    appeal_send(actor=sam, appeal=appeal, criteria=Criteria(add=[accepted.pk]))
    work_off()
    host = rotterdam.server.url.removeprefix("http://")
    block_add(actor=ana, organization=owner_org, host=host)
    url = f"{SITE}/appeals/{appeal.pk}/"
    pledge = rotterdam.activity("Offer", target=url)
    pledge["object"] = {
        "id": f"{pledge['id']}/pledge",
        "type": "Pledge",
        "forms": ["propaganda"],
        "content": "A statement.",
    }
    for activity in (rotterdam.activity("Accept", object=url), pledge):
        response = rotterdam.post(client, "/federation/inbox", activity)
        taken_as_blocked(response, owner_org)
    assert not Response.objects.filter(appeal=appeal).exists()
    assert not Pledge.objects.filter(appeal=appeal).exists()
