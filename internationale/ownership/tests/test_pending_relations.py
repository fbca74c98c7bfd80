"""Relations brought from another server wait for their partner: once it is here, an admin of the
Metalworkers proposes the relation again from the organization's data page (or the API), and the
partner is asked to accept it; or dismisses it. Either way it leaves the list; a partner not here
yet is refused with the reason, and nothing changes."""

import datetime

import pytest

from internationale.core.models import AuditEntry
from internationale.organizations.models import Relation
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.ownership.models import PendingRelation

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(owner_org):  # type: ignore[no-untyped-def]
    return PendingRelation.objects.create(
        organization=owner_org,
        partner_slug="ports-nl",
        partner_name="Dutch Port Union",
        partner_country="NL",
        kind="fraternal",
        since=datetime.date(2015, 3, 1),
        note="Since the Rotterdam strike.",
    )


def test_an_admin_proposes_a_waiting_relation_once_its_partner_is_here(
    waiting, owner_org, ana, client_for
):
    client = client_for(ana)
    page = client.get(f"/ownership/{owner_org.slug}/").content.decode()
    assert "Dutch Port Union" in page and "Propose now" in page
    partner = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    response = client.post(f"/ownership/{owner_org.slug}/pending/{waiting.pk}/propose/")
    assert response.status_code == 302
    relation = Relation.objects.get(proposer=owner_org, partner=partner)
    assert (relation.kind, relation.since, relation.note, relation.status) == (
        "fraternal",
        datetime.date(2015, 3, 1),
        "Since the Rotterdam strike.",
        "proposed",
    )
    assert not PendingRelation.objects.exists()
    assert AuditEntry.objects.filter(action="ownership.pending_relation_propose").count() == 1
    assert "Propose now" not in client.get(f"/ownership/{owner_org.slug}/").content.decode()


def test_a_relation_whose_partner_is_not_here_yet_is_refused_with_the_reason(
    waiting, owner_org, ana, client_for
):
    client = client_for(ana)
    response = client.post(
        f"/ownership/{owner_org.slug}/pending/{waiting.pk}/propose/", follow=True
    )
    assert "is not on this server yet" in response.content.decode()
    assert PendingRelation.objects.filter(pk=waiting.pk).exists()
    assert not Relation.objects.filter(proposer=owner_org).exists()
    answer = client.post(
        f"/api/v1/organizations/{owner_org.slug}/pending-relations/{waiting.pk}/propose"
    )
    assert answer.status_code == 400
    assert "is not on this server yet" in answer.json()["detail"]
    assert PendingRelation.objects.filter(pk=waiting.pk).exists()


def test_an_admin_dismisses_a_waiting_relation_through_the_api(waiting, owner_org, ana, client_for):
    client = client_for(ana)
    listed = client.get(f"/api/v1/organizations/{owner_org.slug}/pending-relations").json()
    assert [(r["partner_slug"], r["kind"]) for r in listed] == [("ports-nl", "fraternal")]
    path = f"/api/v1/organizations/{owner_org.slug}/pending-relations/{waiting.pk}/dismiss"
    assert client.post(path).status_code == 204
    assert not PendingRelation.objects.exists()
    assert not Relation.objects.exists()
    assert AuditEntry.objects.filter(action="ownership.pending_relation_dismiss").count() == 1
    # Dismissed already: refused, nothing else changes.
    assert client.post(path).status_code == 400


OLD_ACTOR = "https://old.example/federation/actors/ports-nl"
SITE = "http://127.0.0.1:8000"  # SITE_URL of the tests


def test_an_organization_here_with_the_same_slug_from_another_server_is_not_taken_for_the_partner(
    waiting, owner_org, ana, client_for
):
    PendingRelation.objects.filter(pk=waiting.pk).update(partner_actor=OLD_ACTOR)
    # Another organization registered the slug here, with the same name and country: it is not
    # the one that was the partner on the old server.
    OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    response = client_for(ana).post(
        f"/ownership/{owner_org.slug}/pending/{waiting.pk}/propose/", follow=True
    )
    assert "is not on this server yet" in response.content.decode()
    assert not Relation.objects.exists()
    assert PendingRelation.objects.filter(pk=waiting.pk).exists()


def test_an_organization_that_says_it_moved_here_from_the_partners_address_is_shown_not_proposed_to(
    waiting, owner_org, ana, client_for
):
    """Any admin may record that their organization moved here from an address: the relation's
    admins are shown it to check with the partner, and it is not taken for the partner."""
    from internationale.federation.models import ActorAlias

    PendingRelation.objects.filter(pk=waiting.pk).update(partner_actor=OLD_ACTOR)
    claimant = OrganizationFactory(name="Havenbond", slug="havenbond", country="NL")
    ActorAlias.objects.create(organization=claimant, direction="moved_from", url=OLD_ACTOR)
    client = client_for(ana)
    page = client.get(f"/ownership/{owner_org.slug}/").content.decode()
    assert "say they moved here from the partner" in page
    assert f'href="{claimant.get_absolute_url()}">Havenbond</a>' in page
    response = client.post(
        f"/ownership/{owner_org.slug}/pending/{waiting.pk}/propose/", follow=True
    )
    assert "is not on this server yet" in response.content.decode()
    assert not Relation.objects.exists()
    assert PendingRelation.objects.filter(pk=waiting.pk).exists()


def test_a_partner_whose_address_was_on_this_server_is_this_servers_organization_there(
    waiting, owner_org, ana, client_for
):
    """The Metalworkers moved away and back: the partner's actor was this server's."""
    PendingRelation.objects.filter(pk=waiting.pk).update(
        partner_actor=f"{SITE}/federation/actors/havenbond"
    )
    partner = OrganizationFactory(name="Havenbond", slug="havenbond", country="NL")
    response = client_for(ana).post(f"/ownership/{owner_org.slug}/pending/{waiting.pk}/propose/")
    assert response.status_code == 302
    assert Relation.objects.get(proposer=owner_org).partner == partner
    assert not PendingRelation.objects.exists()
