"""Appeals of other servers received as appeals: an accepted remote organization's `Create` of an
`Article` becomes an appeal of that organization here, addressed to the organizations of this
server it names (in their inboxes) or public; sent again it changes nothing; its `Update` resolves
or closes it, its `Delete` withdraws it, a `Note` in reply to it is an update of it. From anyone
else it is recorded and changes nothing; a bad document is refused with its reason and nothing
written."""

from typing import Any
from urllib.parse import urlencode

import pytest

from internationale.appeals.models import Appeal, AppealUpdate
from internationale.core.tests.test_periodic_queries import plan, table_scans
from internationale.federation import acting
from internationale.federation.held import act_on_held
from internationale.federation.models import OutgoingActivity, ReceivedActivity, ReceivedObject
from internationale.federation.receiving import early_updates
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Employer, Organization
from internationale.organizations.tests.factories import (
    EmployerFactory,
    PresenceFactory,
    RelationFactory,
)
from internationale.translation.models import LanguageVersion

from .conftest import DOCKS, INBOX, METAL, SITE, Remote, article, create, handle, received
from .remote_server import key_pair

pytestmark = pytest.mark.django_db

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def test_an_addressed_appeal_is_received_as_an_appeal_in_the_addressees_inbox(
    client, client_for, rotterdam, accepted, sam, kim, work_off
):
    response = rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL]))
    assert response.status_code == 202, response.content
    work_off()
    appeal = received(rotterdam)
    assert (appeal.organization, appeal.status, appeal.visibility) == (
        accepted,
        "open",
        "addressed",
    )
    assert (appeal.title, appeal.text, appeal.language) == (
        "Lockout at the container terminal",
        "The terminal locked out **400** dockers.",
        "nl",
    )
    assert (appeal.situation, appeal.urgency, str(appeal.country)) == ("lockout", 1, "NL")
    assert appeal.asked_forms == ["propaganda", "material_aid"]
    assert (appeal.aid_goal_amount, appeal.aid_goal_currency) == (10000, "EUR")
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["metal-sp"]
    inbox = InboxEntry.objects.about(appeal).values_list("organization__slug", flat=True)
    assert list(inbox) == ["metal-sp"]
    assert ReceivedActivity.objects.get().outcome == "appeal_received"
    # Its page: the addressee reads it; another organization, and the public, do not.
    assert client_for(sam).get(f"/appeals/{appeal.pk}/").status_code == 200
    assert client_for(kim).get(f"/appeals/{appeal.pk}/").status_code == 404
    assert client_for().get(f"/appeals/{appeal.pk}/").status_code == 404
    # Nothing of it is published again from here.
    assert not OutgoingActivity.objects.filter(activity_type="Create").exists()


def test_the_same_appeal_sent_again_changes_nothing_and_sent_to_another_adds_it(
    client, rotterdam, accepted, other_org, work_off
):
    activity = create(rotterdam, article(rotterdam), [METAL])
    assert rotterdam.post(client, INBOX, activity).status_code == 202
    # Replayed: refused as such. Sent again under another id: recorded, nothing changes.
    assert rotterdam.post(client, INBOX, activity).status_code == 409
    again = create(rotterdam, article(rotterdam), [METAL])
    assert rotterdam.post(client, INBOX, again).status_code == 202
    assert Appeal.objects.count() == 1 and ReceivedObject.objects.count() == 1
    appeal = received(rotterdam)
    assert appeal.addressees.count() == 1
    # Its server sends it to the dockworkers too (one Create per addressee): one appeal, two.
    to_docks = create(rotterdam, article(rotterdam), [DOCKS])
    assert rotterdam.post(client, "/federation/actors/docks-kr/inbox", to_docks).status_code == 202
    work_off()
    assert Appeal.objects.count() == 1
    assert sorted(appeal.addressees.values_list("organization__slug", flat=True)) == [
        "docks-kr",
        "metal-sp",
    ]


def test_a_public_appeal_is_read_by_anyone_and_edited_by_nobody_here(
    client, client_for, rotterdam, accepted, sam, ana
):
    activity = create(rotterdam, article(rotterdam), [PUBLIC, f"{rotterdam.actor}/followers"])
    assert rotterdam.post(client, "/federation/inbox", activity).status_code == 202
    appeal = received(rotterdam)
    assert (appeal.visibility, appeal.status, appeal.addressees.count()) == ("public", "open", 0)
    page = client_for().get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 200
    assert "Lockout at the container terminal" in page.content.decode()
    # Marked with its organization's home server.
    host = rotterdam.server.url.removeprefix("http://")
    assert f"from {host}</span>" in page.content.decode()
    # Nobody here speaks for its issuer: no update, no resolution.
    for person in (sam, ana):
        update = client_for(person).post(f"/appeals/{appeal.pk}/update/", {"text": "Won!"})
        assert update.status_code in (403, 404)
    assert not AppealUpdate.objects.filter(appeal=appeal, kind="update").exists()


def test_its_life_follows_it_a_note_an_update_a_resolution_a_closing_and_a_delete(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    note = {
        "id": f"{obj['id']}#update-7",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "content": "<p>Day 3: the terminal <em>still</em> stands still.</p>",
        "contentMap": {"en": "<p>Day 3: the terminal <em>still</em> stands still.</p>"},
    }
    activity = create(rotterdam, note, [METAL])
    assert rotterdam.post(client, INBOX, activity).status_code == 202
    update = AppealUpdate.objects.get(appeal=appeal, kind="update")
    assert (update.text, update.language) == ("Day 3: the terminal still stands still.", "en")
    # The same note again: nothing more.
    assert rotterdam.post(client, INBOX, create(rotterdam, note, [METAL])).status_code == 202
    assert AppealUpdate.objects.filter(appeal=appeal, kind="update").count() == 1
    # Resolved by its issuer.
    resolved = {
        **obj,
        "status": "resolved",
        "outcome": "won",
        "outcomeReport": "All 400 are back at work.",
    }
    activity = rotterdam.activity("Update", object=resolved, to=[METAL])
    assert rotterdam.post(client, INBOX, activity).status_code == 202, activity
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.outcome_report) == (
        "resolved",
        "won",
        "All 400 are back at work.",
    )
    # An edit of the text is not taken: a sent appeal is not edited.
    edited = {**resolved, "source": {"content": "Other words", "mediaType": "text/markdown"}}
    assert (
        rotterdam.post(client, INBOX, rotterdam.activity("Update", object=edited)).status_code
        == 202
    )
    appeal.refresh_from_db()
    assert appeal.text == "The terminal locked out **400** dockers."
    # Deleted by its issuer: withdrawn (closed) here.
    tombstone = {"id": obj["id"], "type": "Tombstone", "formerType": "Article"}
    delete = rotterdam.activity("Delete", object=tombstone, to=[METAL])
    assert rotterdam.post(client, INBOX, delete).status_code == 202
    appeal.refresh_from_db()
    assert appeal.status == "closed"
    assert ReceivedObject.objects.get(update=None).withdrawn_at is not None
    assert not OutgoingActivity.objects.filter(activity_type__in=["Create", "Update"]).exists()


def test_from_an_organization_not_accepted_it_is_recorded_and_changes_nothing(
    client, rotterdam, oscar, owner_org, alice
):
    remote_request(actor=oscar, handle=handle(rotterdam))  # pending
    for sender in (rotterdam, alice):
        activity = create(sender, article(sender, attributedTo=sender.actor), [METAL])
        assert sender.post(client, INBOX, activity).status_code == 202
    assert ReceivedActivity.objects.count() == 2
    assert not Appeal.objects.exists() and not ReceivedObject.objects.exists()


def test_a_bad_appeal_is_refused_with_its_reason_and_nothing_written(
    client, rotterdam, accepted, alice
):
    cases = [
        (
            article(rotterdam, name="", nameMap={}, source={}, content="", contentMap={}),
            422,
            "no_text",
        ),
        (article(rotterdam, attributedTo=f"{rotterdam.actor}-other"), 403, "forged_origin"),
        (article(rotterdam, forms=["sympathy"]), 422, "sympathy_target_required"),
        (article(rotterdam, aidGoal={"amount": "lots", "currency": "EUR"}), 422, "bad_amount"),
        (article(rotterdam, situation="lockout", country="XX"), 422, "invalid_choice"),
    ]
    for obj, status, code in cases:
        response = rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL]))
        assert (response.status_code, response.json()["error"]) == (status, code), obj
    # Neither public nor addressed to anyone here.
    hidden = create(rotterdam, article(rotterdam), [f"{rotterdam.actor}/followers"])
    response = rotterdam.post(client, INBOX, hidden)
    assert (response.status_code, response.json()["error"]) == (422, "no_addressee")
    assert not Appeal.objects.exists() and not ReceivedObject.objects.exists()
    assert not ReceivedActivity.objects.exists()


@pytest.fixture
def neighbour(rotterdam, oscar, accepted) -> Remote:  # type: ignore[no-untyped-def]
    """A second organization on Rotterdam's server (the tug crews), accepted too."""
    server = rotterdam.server
    public_pem, private_pem = key_pair()
    actor, key_id = server.add_actor("tugs", public_pem)
    server.documents["/users/tugs"].update(
        type="Group", name="Tug Crews Rotterdam", country="NL", languages=["nl"], verified=True
    )
    host = server.url.removeprefix("http://")
    query = urlencode({"resource": f"acct:tugs@{host}"})
    server.documents[f"/.well-known/webfinger?{query}"] = {
        "subject": f"acct:tugs@{host}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": actor}],
    }
    remote_accept(actor=oscar, entry=remote_request(actor=oscar, handle=f"tugs@{host}"))
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=private_pem)


def test_an_organization_cannot_take_the_address_of_another_organization_of_its_server(
    client, rotterdam, neighbour, accepted, work_off
):
    # The tug crews send first an appeal at the address of the port workers' next one.
    taken = article(neighbour, attributedTo=neighbour.actor, name="Not theirs")
    assert taken["id"] == article(rotterdam)["id"]
    response = neighbour.post(client, INBOX, create(neighbour, taken, [METAL]))
    assert response.status_code == 202, response.content
    # The port workers' own appeal at that address is received all the same, as theirs.
    response = rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL]))
    assert response.status_code == 202, response.content
    work_off()
    theirs = ReceivedObject.objects.get(actor=rotterdam.actor).appeal
    tugs = Organization.objects.get(name="Tug Crews Rotterdam")
    assert (theirs.organization, theirs.title) == (accepted, "Lockout at the container terminal")
    assert ReceivedObject.objects.get(actor=neighbour.actor).appeal.organization == tugs
    # What each then sends about that address changes its own appeal only.
    note = {
        "id": f"{taken['id']}#update-1",
        "type": "Note",
        "attributedTo": neighbour.actor,
        "inReplyTo": taken["id"],
        "content": "<p>An update of the tugs.</p>",
    }
    assert neighbour.post(client, INBOX, create(neighbour, note, [METAL])).status_code == 202
    tombstone = {"id": taken["id"], "type": "Tombstone", "formerType": "Article"}
    delete = neighbour.activity("Delete", object=tombstone, to=[METAL])
    assert neighbour.post(client, INBOX, delete).status_code == 202
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert not AppealUpdate.objects.filter(appeal=theirs, kind="update").exists()
    assert Appeal.objects.get(organization=tugs).status == "closed"
    # And the port workers' own note is theirs, though the tugs sent one at its address first.
    mine = {**note, "attributedTo": rotterdam.actor, "content": "<p>Day 2.</p>"}
    assert rotterdam.post(client, INBOX, create(rotterdam, mine, [METAL])).status_code == 202
    assert AppealUpdate.objects.get(appeal=theirs, kind="update").text == "Day 2."


def test_a_delete_naming_another_servers_object_by_its_address_alone_is_refused(
    client, rotterdam, accepted, alice, work_off
):
    created = rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL]))
    assert created.status_code == 202
    work_off()
    appeal = received(rotterdam)
    # Another server deletes the port workers' appeal, named by its address alone.
    forged = alice.activity("Delete", object=article(rotterdam)["id"], to=[METAL])
    response = alice.post(client, INBOX, forged)
    assert (response.status_code, response.json()["error"]) == (403, "forged_origin")
    # And an appeal of this server, named the same way.
    local = alice.activity("Delete", object=f"{SITE}/appeals/{appeal.pk}/", to=[METAL])
    response = alice.post(client, INBOX, local)
    assert (response.status_code, response.json()["error"]) == (403, "forged_origin")
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert ReceivedActivity.objects.filter(actor=alice.actor).count() == 0
    # Its own server's plain-URL Delete still withdraws it.
    own = rotterdam.activity("Delete", object=article(rotterdam)["id"], to=[METAL])
    assert rotterdam.post(client, INBOX, own).status_code == 202
    appeal.refresh_from_db()
    assert appeal.status == "closed"


def test_an_appeal_sent_while_its_organization_waited_appears_once_it_is_accepted(
    client, rotterdam, oscar, owner_org, work_off, django_capture_on_commit_callbacks
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))  # waiting in the queue
    obj = article(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    note = {
        "id": f"{obj['id']}#update-1",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "content": "<p>Day 2: still out.</p>",
    }
    assert rotterdam.post(client, INBOX, create(rotterdam, note, [METAL])).status_code == 202
    # One the services would refuse (sympathy asked without a target).
    bad = article(rotterdam, 2, forms=["sympathy"])
    assert rotterdam.post(client, INBOX, create(rotterdam, bad, [METAL])).status_code == 202
    work_off()
    assert not Appeal.objects.exists()
    assert set(ReceivedActivity.objects.values_list("outcome", flat=True)) == {"held"}
    with django_capture_on_commit_callbacks(execute=True):
        remote_accept(actor=oscar, entry=entry)
    work_off()
    appeal = received(rotterdam)
    assert (appeal.status, appeal.title) == ("open", "Lockout at the container terminal")
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["metal-sp"]
    assert AppealUpdate.objects.get(appeal=appeal, kind="update").text == "Day 2: still out."
    assert InboxEntry.objects.about(appeal).filter(organization=owner_org).exists()
    outcomes = list(
        ReceivedActivity.objects.order_by("received_at").values_list("outcome", flat=True)
    )
    assert outcomes == ["appeal_received", "appeal_updated", "refused"]
    # Run again: nothing is made twice.
    act_on_held.call(entry.pk)
    assert Appeal.objects.count() == 1


def test_a_held_activity_whose_handling_fails_is_refused_and_the_rest_still_appear(
    client, rotterdam, oscar, owner_org, work_off, monkeypatch, django_capture_on_commit_callbacks
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))  # waiting in the queue
    first, second = article(rotterdam, 1), article(rotterdam, 2)
    for obj in (first, second):
        assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    act = acting.act

    def failing_on_the_first(received: Any, activity: Any, entry: Any) -> Any:
        if activity["object"]["id"] == first["id"]:
            raise RuntimeError("a fault in acting on it")
        return act(received, activity, entry)

    monkeypatch.setattr(acting, "act", failing_on_the_first)
    with django_capture_on_commit_callbacks(execute=True):
        remote_accept(actor=oscar, entry=entry)
    work_off()

    outcomes = list(
        ReceivedActivity.objects.order_by("received_at").values_list("outcome", flat=True)
    )
    assert outcomes == ["refused", "appeal_received"]
    assert Appeal.objects.get() == received(rotterdam, 2)


def test_an_organization_accepted_by_one_of_ours_addresses_only_those_that_relate_to_it(
    client, rotterdam, ana, owner_org, other_org, work_off
):
    # The metalworkers' admin asked for the port workers and accepted them, for her organization.
    EmployerFactory(name="Maersk", slug="maersk")
    entry = remote_request(actor=ana, handle=handle(rotterdam), organization=owner_org)
    issuer = remote_accept(actor=ana, entry=entry)
    # The dockworkers never did: an appeal addressed to them alone goes nowhere, and its sender
    # is told nothing (taken, as if it had reached them).
    alone = create(rotterdam, article(rotterdam), [DOCKS])
    assert rotterdam.post(client, INBOX, alone).status_code == 202
    assert not Appeal.objects.exists()
    assert ReceivedActivity.objects.get(activity_id=alone["id"]).outcome == ""
    # Addressed to both: the metalworkers get it, the dockworkers are dropped.
    both = create(rotterdam, article(rotterdam), [METAL, DOCKS])
    assert rotterdam.post(client, INBOX, both).status_code == 202
    work_off()
    appeal = received(rotterdam)
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["metal-sp"]
    # Dockworkers organizing in public at the employer of its next appeal get that one.
    maersk = Employer.objects.get(slug="maersk")
    PresenceFactory(organization=other_org, employer=maersk, visibility="public")
    at_maersk = article(rotterdam, 2, employer={"type": "Employer", "name": "Maersk"})
    assert rotterdam.post(client, INBOX, create(rotterdam, at_maersk, [DOCKS])).status_code == 202
    # And, once in a relation with the port workers, any appeal of theirs.
    RelationFactory(proposer=other_org, partner=issuer, status="accepted")
    third = create(rotterdam, article(rotterdam, 3), [DOCKS])
    assert rotterdam.post(client, INBOX, third).status_code == 202
    work_off()
    for number in (2, 3):
        addressed = received(rotterdam, number).addressees
        assert list(addressed.values_list("organization__slug", flat=True)) == ["docks-kr"]


@pytest.mark.parametrize("visibility", ["network", "addressed", "private"])
def test_a_presence_at_an_employer_not_shown_in_public_does_not_open_an_inbox_to_a_remote_appeal(
    client, rotterdam, ana, owner_org, other_org, work_off, visibility
):
    EmployerFactory(name="Maersk", slug="maersk")
    entry = remote_request(actor=ana, handle=handle(rotterdam), organization=owner_org)
    remote_accept(actor=ana, entry=entry)
    maersk = Employer.objects.get(slug="maersk")
    PresenceFactory(organization=other_org, employer=maersk, visibility=visibility)
    at_maersk = article(rotterdam, employer={"type": "Employer", "name": "Maersk"})
    to_docks = create(rotterdam, at_maersk, [DOCKS])

    response = rotterdam.post(client, INBOX, to_docks)

    # Answered as an appeal to an organization with no presence there would be: the sender
    # cannot tell the dockworkers organize at Maersk.
    assert response.status_code == 202, response.content
    work_off()
    assert not Appeal.objects.exists()
    assert not InboxEntry.objects.filter(organization=other_org).exists()
    assert ReceivedActivity.objects.get(activity_id=to_docks["id"]).outcome == ""


def test_an_appeal_in_several_languages_keeps_the_others_as_its_translations(
    client, client_for, rotterdam, accepted, sam, work_off
):
    obj = article(
        rotterdam,
        nameMap={"nl": "Uitsluiting aan de containerterminal", "en": "Lockout at the terminal"},
        contentMap={
            "nl": "<p>De terminal sloot <strong>400</strong> havenarbeiders buiten.</p>",
            "en": "<p>The terminal locked out <strong>400</strong> dockers.</p>",
            "fr": "<p>Le terminal a mis 400 dockers en lock-out.</p>",
            "not a tag!": "<p>Dropped.</p>",
        },
    )
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    assert appeal.language == "nl"
    versions = {v.language: v for v in LanguageVersion.objects.filter(object_id=appeal.pk)}
    assert sorted(versions) == ["en", "fr"]
    assert versions["en"].texts == {
        "title": "Lockout at the terminal",
        "text": "The terminal locked out 400 dockers.",
    }
    # Without a title in its language: the first line of its text.
    assert versions["fr"].texts["title"] == "Le terminal a mis 400 dockers en lock-out."
    # Who made them is not said: flagged as a machine's.
    assert {v.status for v in versions.values()} == {"machine"}
    # A reader in French reads the French.
    page = client_for(sam).get(f"/appeals/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Le terminal a mis 400 dockers en lock-out." in page.content.decode()
    # An update in two languages: its translation too.
    note = {
        "id": f"{obj['id']}#update-1",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": obj["id"],
        "contentMap": {"nl": "<p>Dag 2.</p>", "en": "<p>Day 2.</p>"},
    }
    assert rotterdam.post(client, INBOX, create(rotterdam, note, [METAL])).status_code == 202
    update = AppealUpdate.objects.get(appeal=appeal, kind="update")
    assert (update.text, update.language) == ("Dag 2.", "nl")
    version = LanguageVersion.objects.get(object_id=update.pk, language="en")
    assert version.texts == {"text": "Day 2."}


def test_the_updates_that_came_before_their_appeal_are_found_by_their_own_index():
    # Among many activities received, the Create of an appeal looks for the few Updates of its
    # sender kept as early, through the partial index of those, not a walk of every activity.
    lines = plan(early_updates("https://far.example/actors/a", "https://far.example/appeals/1"))
    assert any("federation_received_early" in line for line in lines), "\n".join(lines)
    assert not table_scans(lines), "\n".join(lines)
