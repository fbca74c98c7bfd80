"""A database that ran the first federation 0019 (which read only the payloads) kept an empty
`about` on the aid declared and pledges fulfilled received before it: 0027 fills them with the
appeal of the pledge or aid they were applied to, so that an erase of the appeal finds them; on
the real schema of that version, and again without changing anything."""

import pytest

from internationale.aid.models import Contribution
from internationale.appeals.tests.factories import PledgeFactory

from .conftest import SITE

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("federation", "0026_sent_activity")
AFTER = ("federation", "0027_received_about_again")
REMOTE = "https://haven.example/users/havenbond"


def test_aid_received_before_the_first_upgrade_is_found_by_its_appeal_after_the_next(migrate):
    pledge = PledgeFactory()
    contribution = Contribution.objects.create(
        pledge=pledge,
        appeal=pledge.appeal,
        organization=pledge.organization,
        goods="Two generators",
        reference="waybill 7731",
    )
    old = migrate(BEFORE).get_model("federation", "ReceivedActivity")

    def received(n: int, outcome: str, result_id: int | None, about: str = "") -> int:
        return old.objects.create(
            activity_id=f"https://haven.example/activities/{n}",
            activity_type="Add" if outcome == "aid_declared" else "Update",
            actor=REMOTE,
            key_id=f"{REMOTE}#main-key",
            signature_scheme="rfc9421",
            payload={"type": "Add", "target": "https://haven.example/offers/1"},
            outcome=outcome,
            result_id=result_id,
            about=about,
        ).pk

    # As the first 0019 left them: nothing in the payload names this server's appeal.
    aid = received(1, "aid_declared", contribution.pk)
    fulfilled = received(2, "pledge_fulfilled", pledge.pk)
    elsewhere = f"{SITE}/appeals/999/"
    set_before = received(3, "pledge_fulfilled", pledge.pk, about=elsewhere)
    gone = received(4, "aid_declared", contribution.pk + 1000)
    other = received(5, "pledged", pledge.pk)

    new = migrate(AFTER).get_model("federation", "ReceivedActivity")

    appeal = f"{SITE}/appeals/{pledge.appeal_id}/"
    expected = {aid: appeal, fulfilled: appeal, set_before: elsewhere, gone: "", other: ""}
    assert dict(new.objects.values_list("pk", "about")) == expected
    assert set(new.objects.filter(about=appeal).values_list("pk", flat=True)) == {aid, fulfilled}

    # Run again (its reverse changes nothing): the same.
    migrate(BEFORE)
    again = migrate(AFTER).get_model("federation", "ReceivedActivity")
    assert dict(again.objects.values_list("pk", "about")) == expected
