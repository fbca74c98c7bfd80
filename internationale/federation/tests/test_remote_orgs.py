"""Remote organizations: a Group on another server waits in a moderation queue until an operator,
or the admin of the organization it relates to, accepts it; accepted, it is in the directory,
marked with its server, and what it sends is acted on as that organization (answers, pledges,
withdrawal), refused with its reason and nothing changed when it may not; appeals addressed to
it go to its inbox alone."""

import json

import pytest

from internationale.addressing.routing import Criteria
from internationale.aid.models import Contribution
from internationale.appeals.models import Pledge, Response
from internationale.appeals.services import (
    appeal_close,
    appeal_post_update,
    appeal_resolve,
    appeal_send,
)
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.models import AuditEntry
from internationale.federation.models import ReceivedActivity, RemoteOrganization
from internationale.organizations.models import Organization

from .conftest import INBOX, METAL, SITE, appeal_url, handle, offer

pytestmark = pytest.mark.django_db


def test_an_operator_asks_for_a_remote_organization_which_waits_until_accepted(
    client_for, rotterdam, oscar
):
    client = client_for(oscar)
    response = client.post("/federation/remote/", {"handle": handle(rotterdam)})
    assert response.status_code == 302
    entry = RemoteOrganization.objects.get()
    assert (entry.name, entry.status, entry.organization) == (
        "Havenbond Rotterdam",
        "pending",
        None,
    )
    assert entry.properties["country"] == "NL" and entry.inbox == f"{rotterdam.actor}/inbox"
    # Pending: not in the directory, nothing made.
    assert not Organization.objects.filter(name="Havenbond Rotterdam").exists()
    page = client.get("/federation/remote/")
    assert "Havenbond Rotterdam" in page.content.decode()
    # The confirmation first, then the decision.
    confirm = client.get(f"/federation/remote/{entry.pk}/?decision=accept")
    assert "Yes, accept it" in confirm.content.decode()
    assert not Organization.objects.filter(name="Havenbond Rotterdam").exists()
    done = client.post(f"/federation/remote/{entry.pk}/", {"decision": "accept"})
    assert done.status_code == 302
    organization = Organization.objects.get(name="Havenbond Rotterdam")
    assert organization.remote_actor_url == rotterdam.actor
    assert organization.is_verified and str(organization.country) == "NL"
    assert sorted(organization.languages.values_list("tag", flat=True)) == ["en", "nl"]
    assert list(organization.sectors.values_list("code", flat=True)) == ["H"]
    assert not organization.memberships.exists()
    assert AuditEntry.objects.filter(action="federation.remote_accept").count() == 1
    # In the directory, marked with its server and linked to its actor; no actor here.
    directory = client_for().get("/organizations/").content.decode()
    host = rotterdam.server.url.removeprefix("http://")
    assert "Havenbond Rotterdam" in directory and f"on {host}" in directory
    detail = client_for().get(f"/organizations/{organization.slug}/").content.decode()
    assert f'href="{rotterdam.actor}"' in detail
    actor = client_for().get(
        f"/federation/actors/{organization.slug}", HTTP_ACCEPT="application/activity+json"
    )
    assert actor.status_code == 404


def test_a_refused_organization_stays_out_of_the_directory(client_for, rotterdam, oscar):
    client = client_for(oscar)
    client.post("/federation/remote/", {"handle": handle(rotterdam)})
    entry = RemoteOrganization.objects.get()
    client.post(f"/federation/remote/{entry.pk}/", {"decision": "refuse"})
    entry.refresh_from_db()
    assert entry.status == "refused" and entry.organization is None
    assert not Organization.objects.filter(name="Havenbond Rotterdam").exists()
    assert AuditEntry.objects.filter(action="federation.remote_refuse").count() == 1


@pytest.mark.parametrize(
    ("given", "code"),
    [("not a handle", "bad_handle"), ("nobody@{host}", "unknown_handle")],
)
def test_a_handle_that_is_not_found_is_refused(client_for, rotterdam, oscar, given, code):
    host = rotterdam.server.url.removeprefix("http://")
    response = client_for(oscar).post("/federation/remote/", {"handle": given.format(host=host)})
    assert response.status_code == 400
    assert not RemoteOrganization.objects.exists()


def test_a_person_that_follows_is_no_organization_and_waits_nowhere(
    client, alice, owner_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = alice.post(client, INBOX, alice.activity("Follow", object=METAL))
    assert response.status_code == 202
    assert not RemoteOrganization.objects.exists()


def test_a_group_that_follows_waits_for_the_organizations_admin(
    client, client_for, rotterdam, ana, kai, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = rotterdam.post(client, INBOX, rotterdam.activity("Follow", object=METAL))
    assert response.status_code == 202
    entry = RemoteOrganization.objects.get()
    assert (entry.status, entry.relates_to.slug) == ("pending", "metal-sp")
    assert not Organization.objects.filter(name="Havenbond Rotterdam").exists()
    # Another organization's admin cannot decide it.
    assert client_for(kai).get(f"/federation/remote/{entry.pk}/?decision=accept").status_code == 404
    admin = client_for(ana)
    page = admin.get("/organizations/metal-sp/federation/remote/").content.decode()
    assert "Havenbond Rotterdam" in page
    assert admin.post(f"/federation/remote/{entry.pk}/", {"decision": "accept"}).status_code == 302
    assert Organization.objects.get(name="Havenbond Rotterdam").is_verified


# Acting on what it sends ------------------------------------------------------------------------


def test_an_addressed_appeal_goes_to_the_remote_organization_alone(addressed, rotterdam):
    posted = [json.loads(body) for path, _h, body in rotterdam.server.posted]
    creates = [a for a in posted if a["type"] == "Create"]
    assert len(creates) == 1
    create = creates[0]
    assert create["to"] == [rotterdam.actor] and "cc" not in create
    assert create["object"]["to"] == [rotterdam.actor] and "cc" not in create["object"]
    assert create["object"]["id"] == appeal_url(addressed)
    assert create["actor"] == METAL
    assert rotterdam.server.posted[0][0] == "/users/havenbond/inbox"


def test_the_life_of_an_addressed_appeal_follows_it_to_the_remote_organization_alone(
    addressed, rotterdam, sam, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal_post_update(actor=sam, appeal=addressed, text="The *strike* holds.")
        appeal_resolve(actor=sam, appeal=addressed, outcome="won", report="All **reinstated**.")
        appeal_close(actor=sam, appeal=addressed)
    work_off()
    sent = [(path, json.loads(body)) for path, _h, body in rotterdam.server.posted]
    assert [a["type"] for _p, a in sent] == ["Create", "Create", "Update", "Update"]
    for path, activity in sent:
        assert path == "/users/havenbond/inbox"
        assert activity["to"] == [rotterdam.actor] and "cc" not in activity
        assert activity["object"]["to"] == [rotterdam.actor] and "cc" not in activity["object"]
    note, resolved, closed = (activity["object"] for _p, activity in sent[1:])
    assert (note["type"], note["inReplyTo"]) == ("Note", appeal_url(addressed))
    assert (resolved["status"], resolved["outcome"]) == ("resolved", "won")
    assert resolved["outcomeReport"] == "All **reinstated**."
    assert closed["status"] == "closed"
    # A second run of the tasks sends nothing twice.
    work_off()
    assert len(rotterdam.server.posted) == 4


def test_a_deleted_addressed_appeal_is_withdrawn_from_the_remote_organization_alone(
    addressed, rotterdam, work_off, django_capture_on_commit_callbacks
):
    url = appeal_url(addressed)
    with django_capture_on_commit_callbacks(execute=True):
        addressed.delete()
    work_off()
    sent = [(path, json.loads(body)) for path, _h, body in rotterdam.server.posted]
    assert [a["type"] for _p, a in sent] == ["Create", "Delete"]
    path, delete = sent[-1]
    assert path == "/users/havenbond/inbox"
    assert delete["actor"] == METAL
    assert delete["to"] == [rotterdam.actor] and "cc" not in delete
    assert (delete["object"]["type"], delete["object"]["id"]) == ("Tombstone", url)
    # A second run of the tasks sends nothing twice.
    work_off()
    assert len(rotterdam.server.posted) == 2


def test_a_remote_organization_pledges_declares_aid_and_withdraws(
    client, addressed, rotterdam, accepted
):
    activity = offer(rotterdam, addressed)
    response = rotterdam.post(client, INBOX, activity)
    assert response.status_code == 202, response.content
    pledge = Pledge.objects.get()
    assert (pledge.organization, pledge.amount, pledge.currency) == (accepted, 500, "EUR")
    assert pledge.forms == ["propaganda", "material_aid"]
    assert Response.objects.filter(organization=accepted, kind="pledged").count() == 1
    entry = AuditEntry.objects.get(action="federation.remote_act")
    assert entry.acting_for == accepted and entry.actor is None
    assert entry.data["remote_actor"] == rotterdam.actor
    # The same activity again changes nothing.
    again = rotterdam.post(client, INBOX, activity)
    assert again.status_code == 409 and Pledge.objects.count() == 1
    # Aid declared sent against the pledge, for the issuer to confirm here.
    aid = rotterdam.activity("Add", target=activity["id"])
    aid["object"] = {
        "id": f"{aid['id']}/aid",
        "type": "Contribution",
        "amount": "200.00",
        "currency": "EUR",
        "reference": "Transfer 42",
    }
    assert rotterdam.post(client, INBOX, aid).status_code == 202
    contribution = Contribution.objects.get()
    assert (contribution.pledge, contribution.amount, contribution.confirmed_at) == (
        pledge,
        200,
        None,
    )
    elsewhere = rotterdam.activity("Add", target=f"{rotterdam.server.url}/activities/none")
    elsewhere["object"] = {**aid["object"], "id": f"{elsewhere['id']}/aid"}
    refused = rotterdam.post(client, INBOX, elsewhere)
    assert (refused.status_code, refused.json()["error"]) == (404, "unknown_pledge")
    assert Contribution.objects.count() == 1
    undo = rotterdam.activity("Undo", object=activity["id"])
    assert rotterdam.post(client, "/federation/inbox", undo).status_code == 202
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.WITHDRAWN


def test_a_remote_organization_acknowledges_declines_and_passes(
    client, addressed, rotterdam, accepted, other_org
):
    ack = rotterdam.activity("Accept", object=appeal_url(addressed))
    assert rotterdam.post(client, INBOX, ack).status_code == 202
    passed = rotterdam.activity(
        "Announce", object=appeal_url(addressed), target=f"{SITE}/federation/actors/docks-kr"
    )
    assert rotterdam.post(client, INBOX, passed).status_code == 202
    assert addressed.addressees.filter(organization=other_org, passed_by=accepted).exists()
    # Found by the appeal it passes on (an erase of the appeal deletes it), not by the actor.
    assert ReceivedActivity.objects.get(activity_id=passed["id"]).about == appeal_url(addressed)
    declined = rotterdam.activity(
        "Reject", object=appeal_url(addressed), content="Our port is on strike too."
    )
    assert rotterdam.post(client, INBOX, declined).status_code == 202
    kinds = set(Response.objects.filter(organization=accepted).values_list("kind", flat=True))
    assert kinds == {"acknowledged", "passed", "declined"}
    assert Response.objects.get(kind="declined").reason == "Our port is on strike too."


def test_a_fallback_note_is_recorded_and_changes_nothing(client, addressed, rotterdam):
    activity = rotterdam.activity("Offer", target=appeal_url(addressed))
    activity["object"] = {"id": f"{activity['id']}/n", "type": "Note", "content": "We pledge."}
    assert rotterdam.post(client, INBOX, activity).status_code == 202
    assert ReceivedActivity.objects.get().outcome == "ignored"
    assert not Pledge.objects.exists()


def test_what_it_may_not_do_is_refused_with_its_reason_and_nothing_changed(
    client, addressed, rotterdam, owner_org, sam, other_org, work_off
):
    # Public, but sent to another organization only.
    elsewhere = AppealFactory(organization=owner_org, created_by=sam, visibility="public")
    appeal_send(actor=sam, appeal=elsewhere, criteria=Criteria(add=[other_org.pk]))
    work_off()
    hidden = AppealFactory(organization=owner_org, created_by=sam, visibility="network")
    cases = [
        (offer(rotterdam, hidden), 404, "unknown_appeal"),
        (offer(rotterdam, addressed, type="Question"), 422, "not_pledge"),
        (offer(rotterdam, addressed, forms=["bribes"]), 422, "invalid_form"),
        (offer(rotterdam, addressed, amount="lots"), 422, "bad_amount"),
        (
            {**offer(rotterdam, addressed), "target": f"{SITE}/appeals/999999/"},
            404,
            "unknown_appeal",
        ),
        (offer(rotterdam, elsewhere), 422, "not_addressee"),
        (rotterdam.activity("Reject", object=appeal_url(addressed)), 422, "reason_required"),
    ]
    for activity, status, code in cases:
        response = rotterdam.post(client, INBOX, activity)
        assert (response.status_code, response.json()["error"]) == (status, code), activity
    assert not Pledge.objects.exists() and not Response.objects.exists()
    assert not ReceivedActivity.objects.exists()


def test_a_pending_organization_changes_nothing(client, rotterdam, oscar, owner_org, sam):
    from internationale.federation.remote_orgs import remote_request

    remote_request(actor=oscar, handle=handle(rotterdam))
    appeal = AppealFactory(organization=owner_org, created_by=sam, visibility="public")
    response = rotterdam.post(client, INBOX, offer(rotterdam, appeal))
    assert response.status_code == 202
    # Held until it is accepted (held.py).
    assert ReceivedActivity.objects.get().outcome == "held"
    assert not Pledge.objects.exists()


def test_a_server_blocked_for_everyone_takes_its_organizations_out_of_the_directory(
    client, accepted, rotterdam, oscar
):
    from internationale.federation.blocks import block_add

    host = rotterdam.server.url.removeprefix("http://")
    block_add(actor=oscar, organization=None, host=host)
    accepted.refresh_from_db()
    assert not accepted.is_verified
    assert RemoteOrganization.objects.get().status == "refused"
    assert "Havenbond Rotterdam" not in client.get("/organizations/").content.decode()
