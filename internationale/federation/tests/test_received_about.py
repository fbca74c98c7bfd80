"""Each activity received records the address of this server's content it is about, so that an
erase finds those about what it removes with one indexed query; the rows received before the
upgrade get it from their payloads (migration 0019), on the schema of their time."""

import pytest

from internationale.appeals.tests.factories import PledgeFactory

from .conftest import SITE

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("federation", "0018_erased_actor")
AFTER = ("federation", "0019_received_activity_about")
REMOTE = "https://haven.example/users/havenbond"


def test_activities_received_before_the_upgrade_are_found_by_what_they_are_about(
    allow_private, migrate
):
    appeal = f"{SITE}/appeals/12/"
    meeting = f"{SITE}/meetings/3/"
    pledge = PledgeFactory()
    pledged_to = f"{SITE}/appeals/{pledge.appeal_id}/"
    old = migrate(BEFORE).get_model("federation", "ReceivedActivity")

    def received(n: int, payload: dict, **fields: object) -> int:
        return old.objects.create(
            activity_id=f"https://haven.example/activities/{n}",
            activity_type=payload["type"],
            actor=REMOTE,
            key_id=f"{REMOTE}#main-key",
            signature_scheme="rfc9421",
            payload=payload,
            **fields,
        ).pk

    offer = received(1, {"type": "Offer", "object": {"type": "Pledge"}, "target": appeal})
    undo = received(2, {"type": "Undo", "object": {"type": "Offer", "target": appeal}})
    accept = received(3, {"type": "Accept", "object": meeting + "#invitation"})
    theirs = received(4, {"type": "Create", "object": {"id": "https://haven.example/n/1"}})
    passed = received(
        5, {"type": "Announce", "object": appeal, "target": f"{SITE}/federation/actors/docks"}
    )
    # A pledge fulfilled names the remote's own Offer: it is about the pledge's appeal.
    fulfilled = received(
        6,
        {"type": "Update", "object": {"type": "Pledge"}, "target": "https://haven.example/o/1"},
        outcome="pledge_fulfilled",
        result_id=pledge.pk,
    )

    new = migrate(AFTER).get_model("federation", "ReceivedActivity")

    found = dict(new.objects.values_list("pk", "about"))
    assert found == {
        offer: appeal,
        undo: appeal,
        accept: meeting,
        theirs: "",
        passed: appeal,
        fulfilled: pledged_to,
    }
    # The erase's query: by the address, not by reading every payload.
    assert set(new.objects.filter(about__in=[appeal]).values_list("pk", flat=True)) == {
        offer,
        undo,
        passed,
    }
