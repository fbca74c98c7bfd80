"""Members, roles, invitations: the pages an organization's admin uses, through real requests."""

import datetime

from django.utils import timezone

from internationale.organizations.models import Invitation, Membership
from internationale.organizations.services import invitation_create


def _membership(user):  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user)


# Members ----------------------------------------------------------------------------------------


def test_the_members_page_lists_people_and_their_roles(client_for, ana, sam, mo):
    page = client_for(mo).get("/organizations/metal-sp/members/").content.decode()
    assert "ana@metal.example" in page and "sam@metal.example" in page
    assert "Secretary" in page
    assert "Change role" not in page  # only admins change roles
    assert f"/organizations/metal-sp/members/{_membership(mo).pk}/remove/" in page  # leave


def test_an_admin_sees_a_role_form_for_every_member(client_for, ana, mo):
    page = client_for(ana).get("/organizations/metal-sp/members/").content.decode()
    assert f'action="/organizations/metal-sp/members/{_membership(mo).pk}/role/"' in page
    assert f'<label for="role-{_membership(mo).pk}"' in page


def test_people_outside_the_organization_may_not_see_its_members(client_for, ana, kim):
    assert client_for(kim).get("/organizations/metal-sp/members/").status_code == 403


def test_an_admin_changes_a_members_role(client_for, ana, mo):
    response = client_for(ana).post(
        f"/organizations/metal-sp/members/{_membership(mo).pk}/role/",
        {"role": "secretary"},
        follow=True,
    )
    assert "mo@metal.example is now Secretary." in response.content.decode()
    assert _membership(mo).role == "secretary"


def test_the_last_admin_cannot_step_down_and_is_told_why(client_for, ana):
    response = client_for(ana).post(
        f"/organizations/metal-sp/members/{_membership(ana).pk}/role/",
        {"role": "member"},
        follow=True,
    )
    assert "always keeps at least one admin" in response.content.decode()
    assert _membership(ana).role == "admin"


def test_an_unknown_role_is_refused(client_for, ana, mo):
    response = client_for(ana).post(
        f"/organizations/metal-sp/members/{_membership(mo).pk}/role/", {"role": "king"}
    )
    assert response.status_code == 400
    assert _membership(mo).role == "member"


def test_a_membership_of_another_organization_is_not_found_under_this_one(client_for, ana, kit):
    response = client_for(ana).post(
        f"/organizations/metal-sp/members/{_membership(kit).pk}/role/", {"role": "admin"}
    )
    assert response.status_code == 404
    assert _membership(kit).role == "member"


def test_an_admin_removes_a_member_after_confirming(client_for, ana, mo):
    client = client_for(ana)
    url = f"/organizations/metal-sp/members/{_membership(mo).pk}/remove/"
    confirmation = client.get(url).content.decode()
    assert "Remove mo@metal.example (Member) from Metalworkers of São Paulo?" in confirmation
    assert Membership.objects.filter(user=mo).exists()
    response = client.post(url, follow=True)
    assert "mo@metal.example was removed." in response.content.decode()
    assert not Membership.objects.filter(user=mo).exists()


def test_a_member_leaves_the_organization(client_for, ana, mo):
    client = client_for(mo)
    url = f"/organizations/metal-sp/members/{_membership(mo).pk}/remove/"
    assert "Leave Metalworkers of São Paulo" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == "/dashboard/"
    assert not Membership.objects.filter(user=mo).exists()


def test_the_last_admin_cannot_leave(client_for, ana, mo):
    response = client_for(ana).post(
        f"/organizations/metal-sp/members/{_membership(ana).pk}/remove/", follow=True
    )
    assert "always keeps at least one admin" in response.content.decode()
    assert _membership(ana).role == "admin"


def test_a_secretary_may_not_remove_someone_else(client_for, sam, mo):
    response = client_for(sam).post(f"/organizations/metal-sp/members/{_membership(mo).pk}/remove/")
    assert response.status_code == 403
    assert Membership.objects.filter(user=mo).exists()


# Invitations ------------------------------------------------------------------------------------


def test_an_admin_invites_someone_by_email_with_a_role(client_for, ana):
    client = client_for(ana)
    form = client.get("/organizations/metal-sp/invite/").content.decode()
    assert 'name="submission_key"' in form
    response = client.post(
        "/organizations/metal-sp/invite/",
        {"email": "New.Person@Example.org", "role": "secretary"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/organizations/metal-sp/members/"
    assert "An invitation was sent to new.person@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new.person@example.org", "secretary")


def test_inviting_a_current_member_says_so_on_the_email_field(client_for, ana, mo):
    response = client_for(ana).post(
        "/organizations/metal-sp/invite/", {"email": "mo@metal.example", "role": "member"}
    )
    page = response.content.decode()
    assert "This person is already a member." in page
    assert 'id="id_email_error"' in page
    assert not Invitation.objects.exists()


def test_an_invitation_sent_twice_at_once_is_sent_once(client_for, ana):
    client = client_for(ana)
    data = {"email": "twice@example.org", "role": "member", "submission_key": "same-key"}
    client.post("/organizations/metal-sp/invite/", data)
    client.post("/organizations/metal-sp/invite/", data)
    assert Invitation.objects.count() == 1


def test_an_invalid_email_address_is_refused(client_for, ana):
    response = client_for(ana).post(
        "/organizations/metal-sp/invite/", {"email": "not-an-address", "role": "member"}
    )
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_secretary_may_not_invite(client_for, sam):
    response = client_for(sam).post(
        "/organizations/metal-sp/invite/", {"email": "x@example.org", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# Accepting an invitation ------------------------------------------------------------------------


def test_the_invited_person_sees_the_invitation_and_joins(client_for, ana, nell, owner_org):
    _invitation, token = invitation_create(
        actor=ana, organization=owner_org, email=nell.email, role="member"
    )
    client = client_for(nell)
    page = client.get(f"/invitations/{token}/").content.decode()
    assert "You are invited to join Metalworkers of São Paulo as Member" in page
    assert "Accept and join" in page
    response = client.post(f"/invitations/{token}/", follow=True)
    assert response.redirect_chain[-1][0] == "/organizations/metal-sp/"
    assert "Welcome to Metalworkers of São Paulo." in response.content.decode()
    assert Membership.objects.get(user=nell).role == "member"


def test_an_anonymous_visitor_is_offered_to_sign_in_or_sign_up_and_come_back(
    client_for, ana, owner_org
):
    _invitation, token = invitation_create(
        actor=ana, organization=owner_org, email="someone@example.org", role="member"
    )
    page = client_for().get(f"/invitations/{token}/").content.decode()
    assert f"/accounts/login/?next=/invitations/{token}/" in page
    assert f"/accounts/signup/?next=/invitations/{token}/" in page
    response = client_for().post(f"/invitations/{token}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_signed_in_with_another_address_cannot_accept(client_for, ana, kim, owner_org):
    _invitation, token = invitation_create(
        actor=ana, organization=owner_org, email="nell@example.org", role="admin"
    )
    client = client_for(kim)
    assert (
        "Sign out, then sign in as nell@example.org"
        in client.get(f"/invitations/{token}/").content.decode()
    )
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=kim, organization=owner_org).exists()


def test_an_expired_invitation_shows_a_clear_page(client_for, ana, nell, owner_org):
    invitation, token = invitation_create(
        actor=ana, organization=owner_org, email=nell.email, role="member"
    )
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    response = client_for(nell).get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "This invitation has expired or was already used" in response.content.decode()
    assert client_for(nell).post(f"/invitations/{token}/").status_code == 404
    assert not Membership.objects.filter(user=nell).exists()


def test_an_invitation_works_only_once(client_for, ana, nell, owner_org):
    _invitation, token = invitation_create(
        actor=ana, organization=owner_org, email=nell.email, role="member"
    )
    client = client_for(nell)
    assert client.post(f"/invitations/{token}/").status_code == 302
    again = client.get(f"/invitations/{token}/")
    assert again.status_code == 404
    assert "expired or was already used" in again.content.decode()


def test_an_unknown_invitation_token_is_not_found(client_for, nell):
    assert client_for(nell).get("/invitations/made-up-token/").status_code == 404
