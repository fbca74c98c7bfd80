"""What waits for verification says so, and how to get there, instead of a bare refusal."""

import pytest

from internationale.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/appeals/new/",
        "/organizations/riders-new/relations/new/",
        "/organizations/metal-sp/vouch/",
        "/employers/new/",
    ],
)
def test_an_unverified_organizations_admin_is_told_that_it_waits_for_verification(
    client_for, uma, owner_org, path
):
    response = client_for(uma).get(path)
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Waiting for verification</h1>" in page
    assert "New Riders Union" in page
    assert "/organizations/riders-new/vouch/" in page
    assert "2 verified organizations vouch for it" in page


def test_other_refusals_do_not_speak_of_verification(client_for, mo, unverified_org):
    # A member of a verified organization, and a member (not a speaker) of an unverified one.
    member = MembershipFactory(organization=unverified_org, role="member").user
    for person in (mo, member):
        response = client_for(person).get("/appeals/new/")
        assert response.status_code == 403
        assert "Waiting for verification" not in response.content.decode()


def test_the_api_refuses_in_json_as_before(client_for, uma):
    response = client_for(uma).post(
        "/api/v1/employers", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")


def test_vouching_for_ones_own_organization_is_refused_for_that_reason_not_for_verification(
    client_for, uma
):
    response = client_for(uma).get("/organizations/riders-new/vouch/")
    assert response.status_code == 403
    assert "Waiting for verification" not in response.content.decode()
