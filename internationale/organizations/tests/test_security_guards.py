"""What keeps confidential things inside organizations, whoever asks."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from internationale.accounts.tests.factories import UserFactory
from internationale.core.models import AuditEntry
from internationale.notifications.services import webhook_create
from internationale.organizations import services
from internationale.organizations.models import Invitation, Membership, Relation
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory


def test_a_superuser_outside_the_organization_cannot_speak_for_it_or_manage_it(owner_org, mo):
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    membership = Membership.objects.get(user=mo)

    assert not superuser.has_perm("organizations.manage_members", owner_org)
    assert not superuser.has_perm("organizations.view_inbox", owner_org)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=superuser, membership=membership, role="admin")
    with pytest.raises(PermissionDenied):
        webhook_create(actor=superuser, organization=owner_org, url="https://hooks.example.org/x")
    membership.refresh_from_db()
    assert membership.role == "member"


def test_operators_do_not_list_an_organizations_members(client_for, oscar, owner_org, mo):
    assert client_for(oscar).get(f"/organizations/{owner_org.slug}/members/").status_code == 403
    assert client_for(mo).get(f"/organizations/{owner_org.slug}/members/").status_code == 200


def test_an_unverified_organization_cannot_propose_relations(uma, unverified_org, owner_org):
    with pytest.raises(PermissionDenied):
        services.relation_propose(
            actor=uma, proposer=unverified_org, partner=owner_org, kind="fraternal"
        )
    assert Relation.objects.count() == 0


def test_one_person_speaking_for_two_organizations_does_not_verify_anyone_alone(unverified_org):
    person = UserFactory(email="two-hats@example.org")
    first, second = OrganizationFactory(slug="first"), OrganizationFactory(slug="second")
    for org in (first, second):
        MembershipFactory(user=person, organization=org, role="secretary")

    services.vouch_add(actor=person, organization=unverified_org, voucher=first)
    services.vouch_add(actor=person, organization=unverified_org, voucher=second)

    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None


def test_the_invitation_link_is_in_the_mail_but_not_in_the_task_queue(
    ana, owner_org, run_tasks, django_capture_on_commit_callbacks, client_for
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = services.invitation_create(
            actor=ana, organization=owner_org, email="new@example.org", role="member"
        )
    assert token not in str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))

    run_tasks()
    run_tasks()  # a repeated run sends nothing more
    assert len(mail.outbox) == 1
    assert f"/invitations/{token}/" in mail.outbox[0].body
    assert Invitation.objects.get().sent_at is not None
    assert client_for(None).get(f"/invitations/{token}/").status_code == 200


def test_a_webhook_address_is_audited_by_its_host_only(settings, ana, owner_org):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    webhook_create(actor=ana, organization=owner_org, url="https://hooks.example.org/in?key=secret")
    entry = AuditEntry.objects.get(action="webhook.create")
    assert entry.summary == "hooks.example.org"


def test_a_relation_proposed_twice_in_opposite_directions_is_refused(
    sam, kim, owner_org, other_org
):
    services.relation_propose(actor=sam, proposer=owner_org, partner=other_org, kind="fraternal")
    with pytest.raises(ValidationError):
        services.relation_propose(
            actor=kim, proposer=other_org, partner=owner_org, kind="fraternal"
        )
    assert Relation.objects.count() == 1
