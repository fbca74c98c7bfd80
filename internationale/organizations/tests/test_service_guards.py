"""Guards on relations, workplaces, sites and invitations that every front end relies on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from internationale.core.actors import System
from internationale.core.idempotency import once
from internationale.core.models import AuditEntry, SubmissionKey
from internationale.notifications import services as notification_services
from internationale.notifications.models import InboxEntry, InboxRead
from internationale.organizations import services
from internationale.organizations.models import EmployerSite, Invitation, Presence, Relation
from internationale.organizations.selectors import membership_list
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    RelationFactory,
)


def test_a_relation_cannot_be_private_because_the_partner_must_see_it(sam, owner_org, other_org):
    with pytest.raises(ValidationError) as error:
        services.relation_propose(
            actor=sam, proposer=owner_org, partner=other_org, kind="fraternal", visibility="private"
        )
    assert "visibility" in error.value.message_dict
    assert Relation.objects.count() == 0


def test_relations_are_proposed_to_verified_organizations_only(sam, owner_org, unverified_org):
    with pytest.raises(ValidationError) as error:
        services.relation_propose(
            actor=sam, proposer=owner_org, partner=unverified_org, kind="fraternal"
        )
    assert "partner" in error.value.message_dict
    assert Relation.objects.count() == 0


def test_proposing_answering_and_ending_a_relation_are_in_both_audit_logs(
    sam, kim, owner_org, other_org
):
    relation = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind="cooperation"
    )
    services.relation_decide(actor=kim, relation=relation, accept=True)
    services.relation_end(actor=kim, relation=relation)

    owner_actions = set(
        AuditEntry.objects.filter(organization=owner_org).values_list("action", flat=True)
    )
    other_actions = set(
        AuditEntry.objects.filter(organization=other_org).values_list("action", flat=True)
    )
    assert {"relation.propose", "relation.accept", "relation.end"} <= owner_actions
    assert {"relation.accept", "relation.end"} <= other_actions


def test_an_ended_or_declined_relation_cannot_be_ended_again(sam, owner_org, other_org):
    declined = RelationFactory(proposer=owner_org, partner=other_org, status="declined")
    with pytest.raises(ValidationError):
        services.relation_end(actor=sam, relation=declined)
    declined.refresh_from_db()
    assert declined.status == "declined" and declined.decided_at is None


def test_a_workplace_cannot_be_addressed_only_public_network_or_private(sam, owner_org):
    employer = EmployerFactory()
    with pytest.raises(ValidationError) as error:
        services.presence_add(
            actor=sam, organization=owner_org, employer=employer, visibility="addressed"
        )
    assert "visibility" in error.value.message_dict
    assert Presence.objects.count() == 0


def test_the_same_site_is_not_added_twice(sam):
    site = EmployerSiteFactory(name="Santos port", country="BR")
    with pytest.raises(ValidationError) as error:
        services.site_add(actor=sam, employer=site.employer, name="santos port", country="br")
    assert "name" in error.value.message_dict
    assert EmployerSite.objects.count() == 1


def test_the_server_itself_can_invite_without_an_inviting_person(owner_org):
    invitation, token = services.invitation_create(
        actor=System(reason="test"), organization=owner_org, email="New@Example.org", role="member"
    )
    assert invitation.invited_by is None and invitation.email == "new@example.org"
    assert services.invitation_find(token) == Invitation.objects.get()
    assert AuditEntry.objects.filter(organization=owner_org, action="invitation.create").exists()


def test_nobody_marks_read_an_entry_of_another_organizations_inbox(kim, owner_org):
    entry = InboxEntry.objects.create(organization=owner_org, kind="notice", title="Private")
    with pytest.raises(PermissionDenied):
        notification_services.inbox_mark_read(actor=kim, entries=[entry])
    with pytest.raises(PermissionDenied):
        notification_services.inbox_mark_unread(actor=kim, entry=entry)
    assert InboxRead.objects.count() == 0


def test_members_are_listed_admins_first_then_secretaries_members_and_observers(
    ana, sam, mo, olu, owner_org
):
    roles = [m.role for m in membership_list(viewer=mo, organization=owner_org)]
    assert roles == ["admin", "secretary", "member", "observer"]


def test_a_submission_whose_creation_fails_keeps_no_key_and_raises_as_it_is(mo):
    def create():  # type: ignore[no-untyped-def]
        raise IntegrityError("the object's own constraint")

    with pytest.raises(IntegrityError):
        once(user=mo, scope="test", key="k-1", create=create, fetch=lambda pk: pk)
    assert SubmissionKey.objects.count() == 0
