"""The signed-in floor (core/signed_in.py): the session, the person and their memberships read in
two queries at each request, and nothing of them kept between requests: every change to a
session, a person or a membership counts from the very next request."""

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse

from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory


def _inbox(organization):  # type: ignore[no-untyped-def]
    return reverse("inbox", args=[organization.slug])


def test_a_signed_in_page_reads_the_session_then_the_person_with_their_memberships(
    sam, owner_org, client_for, django_assert_num_queries
):
    client = client_for(sam)
    client.get("/no-such-page/")  # the site's frame, kept for the next request
    with django_assert_num_queries(2) as captured:
        # A page that reads nothing of its own: what every signed-in page reads first.
        assert client.get("/no-such-page/").status_code == 404
    session_read, person_read = (query["sql"] for query in captured.captured_queries)
    assert "django_session" in session_read
    assert "organizations_membership" in person_read and "accounts_user" in person_read


def test_a_member_removed_loses_the_inbox_at_the_next_request(sam, owner_org, client_for):
    client = client_for(sam)
    assert client.get(_inbox(owner_org)).status_code == 200

    Membership.objects.filter(user=sam, organization=owner_org).delete()

    assert client.get(_inbox(owner_org)).status_code == 404


def test_a_person_given_a_membership_reads_the_inbox_at_the_next_request(
    nell, owner_org, client_for
):
    client = client_for(nell)
    assert client.get(_inbox(owner_org)).status_code == 404

    MembershipFactory(organization=owner_org, user=nell, role=Membership.Role.MEMBER)

    assert client.get(_inbox(owner_org)).status_code == 200


def test_a_role_lowered_counts_at_the_next_request(ana, owner_org, client_for):
    MembershipFactory(organization=owner_org, role=Membership.Role.ADMIN)  # ana may step down
    client = client_for(ana)
    members = reverse("member_list", args=[owner_org.slug])
    assert "Change role" in client.get(members).content.decode()

    Membership.objects.filter(user=ana).update(role=Membership.Role.MEMBER)

    assert "Change role" not in client.get(members).content.decode()


def test_a_deleted_session_signs_the_person_out_at_the_next_request(sam, owner_org, client_for):
    client = client_for(sam)
    assert client.get(_inbox(owner_org)).status_code == 200

    Session.objects.all().delete()  # signed out elsewhere, or the session expired and was cleared

    response = client.get(_inbox(owner_org))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_session_is_no_session(sam, owner_org, client_for):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(sam)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(_inbox(owner_org))
    assert response.status_code == 302


def test_a_deactivated_person_is_signed_out_at_the_next_request(sam, owner_org, client_for):
    client = client_for(sam)
    assert client.get(_inbox(owner_org)).status_code == 200

    type(sam).objects.filter(pk=sam.pk).update(is_active=False)

    assert client.get(_inbox(owner_org)).status_code == 302


def test_a_password_changed_elsewhere_signs_every_other_session_out(sam, owner_org, client_for):
    client = client_for(sam)
    assert client.get(_inbox(owner_org)).status_code == 200

    sam.set_password("a new and long passphrase")
    sam.save()

    assert client.get(_inbox(owner_org)).status_code == 302
    assert not Session.objects.exists()  # the session whose hash no longer matched is gone


def test_a_session_of_a_person_who_no_longer_exists_is_anonymous(sam, owner_org, client_for):
    client = client_for(sam)
    session = Session.objects.get()
    data = session.get_decoded()
    assert data[SESSION_KEY] == str(sam.pk) and data[HASH_SESSION_KEY]

    type(sam).objects.filter(pk=sam.pk).delete()

    assert client.get(_inbox(owner_org)).status_code == 302
