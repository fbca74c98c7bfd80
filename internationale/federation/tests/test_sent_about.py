"""Each activity sent records the address of this server's content it is about, so that an erase
finds those about what it removes with one indexed query, not by reading every payload; the rows
recorded before the upgrade get it from their payloads (migration 0028), on the schema of their
time."""

import pytest

from internationale.federation import erasing, publishing
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


@pytest.mark.django_db(transaction=True)
def test_an_erase_still_withdraws_what_was_sent_before_an_upgrade_run_under_another_site_url(
    migrate, settings
):
    """`migrate` run with another SITE_URL than the server's (a one-off job's default) leaves
    the rows sent before the upgrade without what they are about: the erase still finds the
    confidential appeal's `Create` in them, withdraws it and tells its recipient."""
    organization = OrganizationFactory()
    appeal = f"{SITE}/appeals/12/"
    old = migrate(BEFORE).get_model("federation", "OutgoingActivity")
    pk = old.objects.create(
        organization_id=organization.pk,
        activity_id=f"{SITE}/federation/activities/1",
        activity_type="Create",
        payload={
            "type": "Create",
            "to": [REMOTE],
            "object": {"id": appeal, "type": "Article", "content": "Strike fund at Banco X"},
        },
        inbox=f"{REMOTE}/inbox",
    ).pk
    other = old.objects.create(
        organization_id=organization.pk,
        activity_id=f"{SITE}/federation/activities/2",
        activity_type="Create",
        payload={"type": "Create", "to": [REMOTE], "object": {"id": f"{SITE}/appeals/1/"}},
        inbox=f"{REMOTE}/inbox",
    ).pk
    real = settings.SITE_URL
    settings.SITE_URL = "https://solidarity.example.org"
    migrate(AFTER)
    settings.SITE_URL = real
    assert OutgoingActivity.objects.get(pk=pk).about == ""
    outgoing = OutgoingActivity.objects.filter(organization=organization)

    assert erasing._recipients(outgoing, [appeal]) == {appeal: {(REMOTE, f"{REMOTE}/inbox")}}
    erasing._purge(outgoing, [appeal])

    assert not OutgoingActivity.objects.filter(pk=pk).exists()
    assert OutgoingActivity.objects.filter(pk=other).exists()  # /appeals/1/ is not /appeals/12/


@pytest.mark.django_db
def test_an_undo_sent_is_about_the_content_it_undoes_not_its_activity():
    """An `Undo` embeds the activity it undoes, whose address is this server's too: what it is
    about is that activity's object."""
    organization = OrganizationFactory()
    meeting = f"{SITE}/meetings/3/"
    recorded = publishing.record(
        organization.pk,
        f"{SITE}/federation/activities/undo-1",
        "Undo",
        {
            "type": "Undo",
            "object": {
                "id": f"{SITE}/federation/activities/accept-1",
                "type": "Accept",
                "target": meeting,
            },
        },
        inbox=f"{REMOTE}/inbox",
    )

    assert recorded is not None
    assert OutgoingActivity.objects.get(pk=recorded.pk).about == meeting
