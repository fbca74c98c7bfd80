"""Upgrading to federation 0016 and 0017: a remote vouch or pledge received before its row kept
the id of its `Vouch` or `Offer` gets it from its received activity (still there, not pruned), so
that a later `Undo` (or `Add`, `Update`) still finds it; on the real schema of each version."""

import pytest

from internationale.appeals.tests.factories import AppealFactory, PledgeFactory
from internationale.organizations.models import Vouch
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_IDS = [
    ("organizations", "0011_organization_stored_vectors"),
    ("appeals", "0012_pledge_campaign_ref"),
    ("federation", "0015_move_again"),
]
FILLED = ("federation", "0017_pledge_offer_ids")
ROTTERDAM = "https://rotterdam.example/actors/havenbond"


def received(old, activity_id: str, outcome: str, result_id: int) -> None:  # type: ignore[no-untyped-def]
    """The activity as the inbox recorded it, on the schema before the upgrade."""
    old.get_model("federation", "ReceivedActivity").objects.create(
        activity_id=activity_id,
        activity_type="Vouch" if outcome == "vouched" else "Offer",
        actor=ROTTERDAM,
        key_id=f"{ROTTERDAM}#main-key",
        signature_scheme="rfc9421",
        payload={"id": activity_id},
        outcome=outcome,
        result_id=result_id,
    )


def test_remote_vouches_and_pledges_received_before_the_upgrade_get_their_activitys_id(
    migrate,
):
    rotterdam = OrganizationFactory(slug="havenbond", remote_actor_url=ROTTERDAM)
    riders = OrganizationFactory(slug="riders-new", verified_at=None)
    cleaners = OrganizationFactory(slug="cleaners", verified_at=None)
    vouch = Vouch.objects.create(organization=riders, voucher=rotterdam)
    pruned_vouch = Vouch.objects.create(organization=cleaners, voucher=rotterdam)
    appeal = AppealFactory()
    pledge = PledgeFactory(appeal=appeal, organization=rotterdam)
    pruned_pledge = PledgeFactory(appeal=AppealFactory(), organization=rotterdam)
    for target in BEFORE_IDS:
        old = migrate(target)  # the last: federation 0015, before both fill-ins
    old_vouch = old.get_model("organizations", "Vouch")
    assert not any(f.name == "remote_activity_id" for f in old_vouch._meta.get_fields())
    received(old, f"{ROTTERDAM}/activities/vouch-1", "vouched", vouch.pk)
    received(old, f"{ROTTERDAM}/activities/offer-1", "pledged", pledge.pk)
    # Another outcome for the same row ids: not a vouch or a pledge, so not taken.
    received(old, f"{ROTTERDAM}/activities/ack-1", "acknowledged", pruned_pledge.pk)

    new = migrate(FILLED)

    vouches = new.get_model("organizations", "Vouch").objects
    assert dict(vouches.values_list("pk", "remote_activity_id")) == {
        vouch.pk: f"{ROTTERDAM}/activities/vouch-1",
        pruned_vouch.pk: "",  # its activity was pruned before the upgrade: nothing to fill in
    }
    pledges = new.get_model("appeals", "Pledge").objects
    assert dict(pledges.values_list("pk", "remote_activity_id")) == {
        pledge.pk: f"{ROTTERDAM}/activities/offer-1",
        pruned_pledge.pk: "",
    }
