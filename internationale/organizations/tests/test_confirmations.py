"""Removing a member, leaving, ending a relation, withdrawing a vouch, removing a presence: each
is offered as the less prominent button and asks on a page of its own. Opening that page changes
nothing; only confirming it acts."""

from internationale.core.tests.confirmations import assert_offered_second, confirmation
from internationale.organizations.models import Membership, Presence, Relation, Vouch
from internationale.organizations.services import vouch_add
from internationale.organizations.tests.factories import PresenceFactory, RelationFactory


def test_an_admin_removes_a_member_only_after_confirming_by_name(client_for, ana, mo, owner_org):
    membership = Membership.objects.get(user=mo, organization=owner_org)
    url = f"/organizations/metal-sp/members/{membership.pk}/remove/"
    client = client_for(ana)
    assert_offered_second(client.get("/organizations/metal-sp/members/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == f"Remove {mo.name} from Metalworkers of São Paulo"
    assert asked.cancel == "/organizations/metal-sp/members/"
    assert Membership.objects.filter(pk=membership.pk).exists()

    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_leaves_only_after_confirming(client_for, ana, mo, owner_org):
    membership = Membership.objects.get(user=mo, organization=owner_org)
    url = f"/organizations/metal-sp/members/{membership.pk}/remove/"
    client = client_for(mo)
    assert_offered_second(client.get("/organizations/metal-sp/members/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == "Leave Metalworkers of São Paulo"
    assert Membership.objects.filter(pk=membership.pk).exists()

    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_relation_ends_only_after_confirming_with_whom(client_for, ana, owner_org, other_org):
    relation = RelationFactory(proposer=owner_org, partner=other_org)
    url = f"/organizations/metal-sp/relations/{relation.pk}/end/"
    client = client_for(ana)
    assert_offered_second(client.get("/organizations/metal-sp/relations/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == "End the relation with Korean Dockworkers"
    assert asked.cancel == "/organizations/metal-sp/relations/"
    relation.refresh_from_db()
    assert relation.status == Relation.Status.ACCEPTED

    client.post(url)
    relation.refresh_from_db()
    assert relation.status == Relation.Status.ENDED


def test_a_proposal_is_withdrawn_only_after_confirming(client_for, ana, owner_org, other_org):
    relation = RelationFactory(
        proposer=owner_org, partner=other_org, status=Relation.Status.PROPOSED
    )
    url = f"/organizations/metal-sp/relations/{relation.pk}/end/"
    client = client_for(ana)
    assert_offered_second(client.get("/organizations/metal-sp/relations/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == "Withdraw the proposal to Korean Dockworkers"
    relation.refresh_from_db()
    assert relation.status == Relation.Status.PROPOSED

    client.post(url)
    relation.refresh_from_db()
    assert relation.status != Relation.Status.PROPOSED


def test_a_vouch_is_withdrawn_only_after_confirming_and_cancel_returns_to_the_profile(
    client_for, ana, owner_org, unverified_org
):
    vouch = vouch_add(actor=ana, organization=unverified_org)
    url = f"/organizations/riders-new/vouches/{vouch.pk}/withdraw/"
    client = client_for(ana)
    for page in ("/organizations/riders-new/", "/organizations/riders-new/vouch/"):
        assert_offered_second(client.get(page).content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == ("Withdraw the vouch of Metalworkers of São Paulo for New Riders Union")
    # Back to the profile, where the vouches are listed and where withdrawing leads too.
    assert asked.cancel == "/organizations/riders-new/"
    assert Vouch.objects.get(pk=vouch.pk).withdrawn_at is None

    client.post(url)
    assert Vouch.objects.get(pk=vouch.pk).withdrawn_at is not None


def test_a_presence_is_removed_only_after_confirming_where(client_for, ana, owner_org):
    presence = PresenceFactory(organization=owner_org)
    url = f"/organizations/metal-sp/presences/{presence.pk}/remove/"
    client = client_for(ana)
    assert_offered_second(client.get("/organizations/metal-sp/presences/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == f"Remove the presence at {presence.employer.name}"
    assert asked.cancel == "/organizations/metal-sp/presences/"
    assert Presence.objects.filter(pk=presence.pk).exists()

    client.post(url)
    assert not Presence.objects.filter(pk=presence.pk).exists()
