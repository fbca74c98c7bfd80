"""Writes on organizations, through the services every front end calls, on the real database."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.accounts.tests.factories import UserFactory
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.notifications.models import InboxEntry
from internationale.organizations import services
from internationale.organizations.models import (
    Employer,
    Invitation,
    Membership,
    Organization,
    Presence,
    Relation,
    Vouch,
)
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    MembershipFactory,
    OrganizationFactory,
)


def actions(organization):  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(organization=organization)
        .order_by("id")
        .values_list("action", flat=True)
    )


def membership(user, organization):  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user, organization=organization)


# Registering and editing organizations ----------------------------------------------------------


def test_a_person_registers_an_organization_unverified_and_becomes_its_admin(nell):
    org = services.organization_create(
        actor=nell,
        name="  Garment Workers of Dhaka ",
        country="bd",
        kind="union",
        languages=["bn", "en"],
        sectors=["c"],
    )
    assert org.name == "Garment Workers of Dhaka"
    assert org.country == "BD"
    assert org.verified_at is None
    assert membership(nell, org).role == Membership.Role.ADMIN
    assert list(org.languages.values_list("tag", flat=True)) == ["bn", "en"]
    assert list(org.sectors.values_list("code", flat=True)) == ["C"]
    assert actions(org) == ["organization.create"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("country", "XX"),
        ("kind", "guild"),
        ("languages", ["not a language!"]),
        ("sectors", ["Z"]),
    ],
)
def test_registering_with_a_bad_country_kind_language_or_sector_writes_nothing(nell, field, value):
    arguments = {"name": "Bad Data Union", "country": "BR", "kind": "union"} | {field: value}
    with pytest.raises(ValidationError) as error:
        services.organization_create(actor=nell, **arguments)
    assert field in error.value.message_dict
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_language_tags_are_normalized_and_duplicates_dropped(nell):
    org = services.organization_create(
        actor=nell, name="Union", country="PT", kind="union", languages=["pt-br", "pt-BR", "PT"]
    )
    assert list(org.languages.values_list("tag", flat=True)) == ["pt-BR", "pt"]


def test_two_organizations_with_the_same_name_get_different_addresses(nell):
    first = services.organization_create(actor=nell, name="Bakers", country="FR", kind="union")
    second = services.organization_create(actor=nell, name="Bakers", country="BE", kind="union")
    assert first.slug != second.slug


def test_an_anonymous_visitor_cannot_register_an_organization(db):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=AnonymousUser(), name="Ghosts", country="BR", kind="union"
        )
    assert not Organization.objects.exists()


def test_only_an_operator_registers_an_organization_verified_or_for_someone_else(nell, oscar):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=nell, name="Self-verified", country="BR", kind="union", verified=True
        )
    org = services.organization_create(
        actor=oscar, name="Miners", country="ZA", kind="union", verified=True, admin=nell
    )
    assert org.verified_at is not None
    assert membership(nell, org).role == Membership.Role.ADMIN
    assert not Membership.objects.filter(user=oscar).exists()


def test_the_admin_edits_the_organization_and_a_member_cannot(ana, mo, owner_org):
    services.organization_update(actor=ana, organization=owner_org, city="Santo André")
    owner_org.refresh_from_db()
    assert owner_org.city == "Santo André"
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=mo, organization=owner_org, city="Elsewhere")


def test_the_address_and_verification_cannot_be_edited(ana, owner_org):
    with pytest.raises(ValidationError):
        services.organization_update(actor=ana, organization=owner_org, slug="taken-over")
    with pytest.raises(ValidationError):
        services.organization_update(actor=ana, organization=owner_org, verified_at=None)


# Members and roles ------------------------------------------------------------------------------


def test_an_admin_changes_a_role_and_it_is_audited(ana, mo, owner_org):
    services.membership_set_role(
        actor=ana, membership=membership(mo, owner_org), role=Membership.Role.SECRETARY
    )
    assert membership(mo, owner_org).role == Membership.Role.SECRETARY
    entry = AuditEntry.objects.get(organization=owner_org, action="membership.role")
    assert entry.actor == ana
    assert entry.data == {
        "email": mo.email,
        "user": mo.pk,
        "old": "member",
        "new": "secretary",
    }
    assert entry.target_id == str(membership(mo, owner_org).pk)


def test_a_secretary_cannot_change_roles(sam, mo, owner_org):
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=sam, membership=membership(mo, owner_org), role="admin")
    assert membership(mo, owner_org).role == Membership.Role.MEMBER


def test_an_unknown_role_is_refused(ana, mo, owner_org):
    with pytest.raises(ValidationError):
        services.membership_set_role(actor=ana, membership=membership(mo, owner_org), role="boss")


def test_the_last_admin_cannot_step_down_or_leave(ana, owner_org):
    with pytest.raises(ValidationError) as error:
        services.membership_set_role(
            actor=ana, membership=membership(ana, owner_org), role=Membership.Role.MEMBER
        )
    assert error.value.code == "last_admin"
    with pytest.raises(ValidationError):
        services.membership_remove(actor=ana, membership=membership(ana, owner_org))
    assert membership(ana, owner_org).role == Membership.Role.ADMIN


def test_two_admins_stepping_down_one_after_the_other_leave_one_admin(ana, owner_org):
    ada = MembershipFactory(organization=owner_org, role=Membership.Role.ADMIN).user
    services.membership_set_role(actor=ana, membership=membership(ana, owner_org), role="member")
    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=ada, membership=membership(ada, owner_org), role="member"
        )
    assert list(
        Membership.objects.filter(organization=owner_org, role="admin").values_list(
            "user", flat=True
        )
    ) == [ada.pk]


def test_an_admin_who_steps_down_loses_admin_rights_at_once(ana, mo, owner_org):
    MembershipFactory(organization=owner_org, role=Membership.Role.ADMIN)
    services.membership_set_role(actor=ana, membership=membership(ana, owner_org), role="member")
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=ana, membership=membership(mo, owner_org), role="admin")


def test_a_member_may_leave_but_not_remove_others(mo, olu, owner_org):
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=mo, membership=membership(olu, owner_org))
    services.membership_remove(actor=mo, membership=membership(mo, owner_org))
    assert not Membership.objects.filter(user=mo).exists()
    assert not mo.has_perm("organizations.view_inbox", owner_org)
    assert "membership.remove" in actions(owner_org)


def test_an_admin_removes_a_member(ana, mo, owner_org):
    services.membership_remove(actor=ana, membership=membership(mo, owner_org))
    assert not Membership.objects.filter(user=mo, organization=owner_org).exists()


def test_adding_someone_twice_is_refused(ana, mo, owner_org):
    with pytest.raises(ValidationError):
        services.membership_add(actor=ana, organization=owner_org, user=mo, role="member")


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_admins_stepping_down_at_the_same_moment_leave_one_admin(attempt):
    org = OrganizationFactory()
    first, second = (
        MembershipFactory(organization=org, role=Membership.Role.ADMIN) for _ in range(2)
    )

    def step_down(m):  # type: ignore[no-untyped-def]
        user = type(m.user).objects.get(pk=m.user_id)
        return services.membership_set_role(actor=user, membership=m, role="member")

    outcomes = concurrently(lambda: step_down(first), lambda: step_down(second))
    assert Membership.objects.filter(organization=org, role="admin").count() == 1
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert refused[0].code == "last_admin"


# Invitations ------------------------------------------------------------------------------------


def test_an_invitation_is_emailed_and_accepted_once_by_the_invited_address(
    ana, owner_org, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=ana, organization=owner_org, email=" Rui@Metal.Example ", role="secretary"
        )
    run_tasks()
    assert [m.to for m in mail.outbox] == [["rui@metal.example"]]
    assert f"/invitations/{token}/" in mail.outbox[0].body
    assert token not in Invitation.objects.values_list("token_hash", flat=True)

    rui = UserFactory(email="rui@metal.example")
    joined = services.invitation_accept(actor=rui, token=token)
    assert (joined.organization, joined.role) == (owner_org, Membership.Role.SECRETARY)
    assert rui.has_perm("organizations.speak_for", owner_org)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(actor=rui, token=token)
    assert error.value.code == "invitation_invalid"
    assert services.invitation_find(token) is None
    assert actions(owner_org) == ["invitation.create", "invitation.accept"]


def test_an_expired_invitation_is_refused(ana, owner_org):
    invitation, token = services.invitation_create(
        actor=ana, organization=owner_org, email="late@example.org", role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    late = UserFactory(email="late@example.org")
    assert services.invitation_find(token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=late, token=token)
    assert not Membership.objects.filter(user=late).exists()


def test_an_invitation_for_another_address_is_refused(ana, nell, owner_org):
    _invitation, token = services.invitation_create(
        actor=ana, organization=owner_org, email="rui@metal.example", role="admin"
    )
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(actor=nell, token=token)
    assert error.value.code == "invitation_other_email"
    assert not Membership.objects.filter(user=nell).exists()
    assert services.invitation_find(token) is not None  # still usable by the right person


def test_only_the_admin_invites_and_not_an_existing_member(ana, sam, mo, owner_org):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=sam, organization=owner_org, email="x@example.org", role="member"
        )
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=ana, organization=owner_org, email="MO@metal.example", role="member"
        )
    assert not Invitation.objects.exists()


# Verification and vouches -----------------------------------------------------------------------


def test_an_operator_verifies_an_organization_and_it_is_audited(oscar, uma, unverified_org):
    with pytest.raises(PermissionDenied):
        services.organization_verify(actor=uma, organization=unverified_org)
    services.organization_verify(actor=oscar, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None
    assert actions(unverified_org) == ["organization.verify"]
    services.organization_unverify(actor=oscar, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None


def test_two_vouches_from_verified_organizations_verify(sam, kim, uma, unverified_org):
    services.vouch_add(actor=kim, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None  # one vouch is not enough

    services.vouch_add(actor=sam, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None
    assert actions(unverified_org) == [
        "vouch.add",
        "vouch.add",
        "organization.verify",
    ]
    assert "vouch.give" in actions(kim.memberships.get().organization)


def test_a_vouch_from_an_organization_no_longer_verified_does_not_count(
    sam, kim, oscar, other_org, unverified_org
):
    services.vouch_add(actor=kim, organization=unverified_org)
    services.organization_unverify(actor=oscar, organization=other_org)
    services.vouch_add(actor=sam, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None


def test_an_unverified_organization_cannot_vouch(uma, owner_org):
    target = OrganizationFactory(verified_at=None)
    with pytest.raises(PermissionDenied):
        services.vouch_add(actor=uma, organization=target)
    assert not Vouch.objects.exists()


def test_members_and_observers_cannot_vouch(mo, olu, unverified_org):
    for person in (mo, olu):
        with pytest.raises(PermissionDenied):
            services.vouch_add(actor=person, organization=unverified_org)
    assert not Vouch.objects.exists()


def test_nobody_vouches_for_their_own_organization(ana, owner_org):
    with pytest.raises(PermissionDenied):
        services.vouch_add(actor=ana, organization=owner_org)


def test_vouching_twice_is_refused(kim, unverified_org):
    services.vouch_add(actor=kim, organization=unverified_org)
    with pytest.raises(ValidationError) as error:
        services.vouch_add(actor=kim, organization=unverified_org)
    assert error.value.code == "already_vouched"
    assert Vouch.objects.count() == 1


def test_a_withdrawn_vouch_no_longer_counts_and_may_be_given_again(sam, kim, kit, unverified_org):
    vouch = services.vouch_add(actor=kim, organization=unverified_org)
    with pytest.raises(PermissionDenied):
        services.vouch_withdraw(actor=kit, vouch=vouch)
    services.vouch_withdraw(actor=kim, vouch=vouch)
    assert vouch.withdrawn_at is not None
    assert "vouch.withdraw" in actions(unverified_org)

    services.vouch_add(actor=sam, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None  # one standing vouch

    services.vouch_add(actor=kim, organization=unverified_org)
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_vouches_given_at_the_same_moment_verify(attempt):
    target = OrganizationFactory(verified_at=None)
    speakers = [
        MembershipFactory(organization=OrganizationFactory(), role=Membership.Role.SECRETARY).user
        for _ in range(2)
    ]
    concurrently(*(lambda s=s: services.vouch_add(actor=s, organization=target) for s in speakers))
    assert Vouch.objects.filter(organization=target).count() == 2
    target.refresh_from_db()
    assert target.verified_at is not None


# Relations --------------------------------------------------------------------------------------


def test_a_proposed_relation_reaches_the_partners_inbox(
    sam, kim, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        relation = services.relation_propose(
            actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
        )
    assert relation.status == Relation.Status.PROPOSED
    work_off()
    entry = InboxEntry.objects.get()
    assert entry.organization == other_org
    assert "Metalworkers of São Paulo" in entry.title
    assert entry.url == f"/organizations/{other_org.slug}/relations/"
    assert [m.to for m in mail.outbox] == [["kim@docks.example"]]


def test_the_partner_accepts_or_declines_and_only_once(sam, kim, owner_org, other_org):
    relation = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
    )
    with pytest.raises(PermissionDenied):  # the proposer cannot answer its own proposal
        services.relation_decide(actor=sam, relation=relation, accept=True)
    services.relation_decide(actor=kim, relation=relation, accept=True)
    relation.refresh_from_db()
    assert relation.status == Relation.Status.ACCEPTED
    assert relation.decided_at is not None
    with pytest.raises(ValidationError):
        services.relation_decide(actor=kim, relation=relation, accept=False)

    cooperation = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind="cooperation"
    )
    services.relation_decide(actor=kim, relation=cooperation, accept=False)
    cooperation.refresh_from_db()
    assert cooperation.status == Relation.Status.DECLINED


def test_either_side_ends_a_relation_and_a_new_one_may_then_be_proposed(
    sam, kim, mo, owner_org, other_org
):
    relation = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
    )
    services.relation_decide(actor=kim, relation=relation, accept=True)
    with pytest.raises(PermissionDenied):
        services.relation_end(actor=mo, relation=relation)
    services.relation_end(actor=kim, relation=relation)
    relation.refresh_from_db()
    assert relation.status == Relation.Status.ENDED
    again = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
    )
    assert again.pk != relation.pk


def test_a_relation_with_itself_or_a_duplicate_is_refused(sam, kim, owner_org, other_org):
    with pytest.raises(ValidationError):
        services.relation_propose(
            actor=sam, proposer=owner_org, partner=owner_org, kind="fraternal"
        )
    services.relation_propose(actor=sam, proposer=owner_org, partner=other_org, kind="fraternal")
    with pytest.raises(ValidationError):
        services.relation_propose(
            actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
        )
    with pytest.raises(ValidationError):  # the same relation, proposed from the other side
        services.relation_propose(
            actor=kim, proposer=other_org, partner=owner_org, kind="fraternal"
        )
    assert Relation.objects.count() == 1


def test_a_member_cannot_propose_a_relation(mo, owner_org, other_org):
    with pytest.raises(PermissionDenied):
        services.relation_propose(actor=mo, proposer=owner_org, partner=other_org, kind="fraternal")
    assert not Relation.objects.exists()
    assert not InboxEntry.objects.exists()


# Employers and presences ------------------------------------------------------------------------


def test_a_speaker_of_a_verified_organization_adds_an_employer_once(sam, uma, oscar):
    employer = services.employer_create(actor=sam, name="Vale S.A.", headquarters="br")
    assert (employer.headquarters, employer.slug) == ("BR", "vale-sa")
    with pytest.raises(ValidationError) as error:
        services.employer_create(actor=oscar, name="  VALE s.a. ")
    assert "name" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.employer_create(actor=uma, name="Uber")
    assert Employer.objects.count() == 1


def test_an_organization_records_its_presence_at_an_employer_once(sam, mo, owner_org):
    employer = EmployerFactory()
    site = EmployerSiteFactory(employer=employer)
    with pytest.raises(PermissionDenied):
        services.presence_add(actor=mo, organization=owner_org, employer=employer)
    general = services.presence_add(actor=sam, organization=owner_org, employer=employer)
    at_site = services.presence_add(
        actor=sam, organization=owner_org, employer=employer, site=site, visibility="public"
    )
    with pytest.raises(ValidationError):
        services.presence_add(actor=sam, organization=owner_org, employer=employer)
    with pytest.raises(ValidationError):
        services.presence_add(actor=sam, organization=owner_org, employer=employer, site=site)
    with pytest.raises(ValidationError):  # a site of another employer
        services.presence_add(
            actor=sam, organization=owner_org, employer=EmployerFactory(), site=site
        )
    assert set(Presence.objects.values_list("pk", flat=True)) == {general.pk, at_site.pk}
    services.presence_remove(actor=sam, presence=general)
    assert list(Presence.objects.values_list("pk", flat=True)) == [at_site.pk]
