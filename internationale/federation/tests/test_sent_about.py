"""Each activity sent records the address of this server's content it is about, so that an erase
finds those about what it removes with one indexed query, not by reading every payload; the rows
recorded before the upgrade get it from their payloads (migration 0028), on the schema of their
time."""

import pytest

from internationale.federation import publishing
from internationale.federation.models import OutgoingActivity
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import SITE

BEFORE = ("federation", "0027_received_about_again")
AFTER = ("federation", "0028_outgoing_activity_about")
REMOTE = "https://haven.example/users/havenbond"


@pytest.mark.django_db(transaction=True)
def test_activities_sent_before_the_upgrade_are_found_by_what_they_are_about(migrate):
    appeal = f"{SITE}/appeals/12/"
    meeting = f"{SITE}/meetings/3/"
    organization = OrganizationFactory()
    old = migrate(BEFORE).get_model("federation", "OutgoingActivity")

    def sent(n: int, payload: dict) -> int:
        return old.objects.create(
            organization_id=organization.pk,
            activity_id=f"{SITE}/federation/activities/{n}",
            activity_type=payload["type"],
            payload=payload,
            inbox=f"{REMOTE}/inbox",
        ).pk

    created = sent(1, {"type": "Create", "object": {"id": appeal, "type": "Article"}})
    update = sent(
        2, {"type": "Create", "object": {"id": f"{appeal}#update-4", "inReplyTo": appeal}}
    )
    cancelled = sent(3, {"type": "Update", "object": {"id": meeting, "type": "Event"}})
    deleted = sent(4, {"type": "Delete", "object": {"id": appeal, "type": "Tombstone"}})
    theirs = sent(5, {"type": "Offer", "object": {}, "target": "https://haven.example/a/1"})
    followed = sent(6, {"type": "Accept", "object": "https://haven.example/follows/9"})

    new = migrate(AFTER).get_model("federation", "OutgoingActivity")

    found = dict(new.objects.values_list("pk", "about"))
    assert found == {
        created: appeal,
        update: appeal,
        cancelled: meeting,
        deleted: appeal,
        theirs: "",
        followed: "",
    }
    # The erase's query: by the address, not by reading every payload.
    assert set(new.objects.filter(about=appeal).values_list("pk", flat=True)) == {
        created,
        update,
        deleted,
    }


@pytest.mark.django_db
def test_an_activity_sent_records_what_it_is_about():
    organization = OrganizationFactory()
    appeal = f"{SITE}/appeals/12/"
    recorded = publishing.record(
        organization.pk,
        f"{SITE}/federation/activities/note-1",
        "Create",
        {"type": "Create", "object": {"id": f"{appeal}#update-1", "inReplyTo": appeal}},
        inbox=f"{REMOTE}/inbox",
    )

    assert recorded is not None
    assert OutgoingActivity.objects.get(pk=recorded.pk).about == appeal
