"""Who stands with whom: a pledge that is not public names its organization to the issuer and the
pledger only. The other addressees see that a pledge was made, not by whom."""

from decimal import Decimal

import pytest

from internationale.appeals.models import Addressee
from internationale.appeals.services import appeal_acknowledge, pledge_create
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def rival(sent):
    """Another organization the appeal was sent to, and its secretary."""
    organization = OrganizationFactory(name="Río Textile Union", slug="textile-rio")
    Addressee.objects.create(appeal=sent, organization=organization)
    return MembershipFactory(organization=organization, role="secretary").user


def pledged(kim, sent, other_org, *, public=False):  # type: ignore[no-untyped-def]
    return pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["sympathy"],
        description="Letters from our executive.",
        public=public,
    )


def test_other_addressees_see_a_private_pledge_on_the_appeal_page_but_not_who_made_it(
    client_for, sent, kim, ana, other_org, rival
):
    pledged(kim, sent, other_org)

    page = client_for(rival).get(f"/appeals/{sent.pk}/").content.decode()
    assert "Letters from our executive." in page
    assert "An organization" in page
    assert "Korean Dockworkers" not in page
    for who in (ana, kim):
        assert "Korean Dockworkers" in client_for(who).get(f"/appeals/{sent.pk}/").content.decode()


def test_the_api_names_a_private_pledger_to_the_issuer_and_the_pledger_only(
    client_for, sent, kim, ana, other_org, rival
):
    pledged(kim, sent, other_org)

    def named(person, url):  # type: ignore[no-untyped-def]
        rows = client_for(person).get(url).json()["items"]
        return [row["organization"] and row["organization"]["slug"] for row in rows]

    for url in (f"/api/v1/appeals/{sent.pk}/pledges", f"/api/v1/appeals/{sent.pk}/responses"):
        assert named(rival, url) == [None], url
        assert named(ana, url) == named(kim, url) == ["docks-kr"], url


def test_a_public_pledge_and_other_answers_name_their_organization_to_every_addressee(
    client_for, sent, kim, other_org, rival
):
    appeal_acknowledge(actor=kim, appeal=sent, organization=other_org)
    pledged(kim, sent, other_org, public=True)

    responses = client_for(rival).get(f"/api/v1/appeals/{sent.pk}/responses").json()["items"]
    assert [(r["kind"], r["organization"]["slug"]) for r in responses] == [
        ("acknowledged", "docks-kr"),
        ("pledged", "docks-kr"),
    ]
    pledges = client_for(rival).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["items"]
    assert [p["organization"]["slug"] for p in pledges] == ["docks-kr"]


def test_other_addressees_see_the_forms_of_a_private_pledge_but_not_its_amount_nor_who(
    client_for, sent, kim, ana, other_org, rival
):
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid", "sympathy"],
        description="Letters, and a collection at the gate.",
        amount=Decimal("750"),
        currency="EUR",
    )

    page = client_for(rival).get(f"/appeals/{sent.pk}/").content.decode()
    assert "Sympathy: protest letters, messages, actions; Material aid: money, goods" in page
    assert "750" not in page
    assert "Korean Dockworkers" not in page
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    [seen] = client_for(rival).get(url).json()["items"]
    assert seen["forms"] == ["sympathy", "material_aid"]
    assert (seen["organization"], seen["amount"], seen["currency"]) == (None, None, "")
    [issuers] = client_for(ana).get(url).json()["items"]
    assert (issuers["forms"], issuers["amount"]) == (["sympathy", "material_aid"], "750.00")
