"""Sector and region names on pages read in the reader's language, as the rest of the page does."""

import pytest

from internationale.appeals.tests.factories import AppealFactory
from internationale.organizations.models import OrganizationSector

pytestmark = pytest.mark.django_db


def test_the_directory_filters_name_regions_and_sectors_in_spanish(client_for):
    page = client_for().get("/organizations/", headers={"accept-language": "es"}).content.decode()

    assert '<option value="Europe">Europa</option>' in page
    assert '<option value="C">C · Industrias manufactureras</option>' in page
    assert ">Manufacturing<" not in page


def test_a_profile_names_its_sectors_in_arabic(client_for, owner_org):
    OrganizationSector.objects.create(organization=owner_org, code="P")

    page = (
        client_for()
        .get(f"/organizations/{owner_org.slug}/", headers={"accept-language": "ar"})
        .content.decode()
    )

    assert "P · التعليم" in page


def test_the_send_step_offers_regions_and_subregions_in_french_in_french_order(
    client_for, sam, owner_org
):
    appeal = AppealFactory(organization=owner_org, created_by=sam)
    sam.language = "fr"
    sam.save(update_fields=["language"])

    page = client_for(sam).get(f"/appeals/{appeal.pk}/send/").content.decode()

    assert '<option value="Western Africa">Afrique occidentale</option>' in page
    # "Afrique…" sorts beside "Amériques", by letter, not by accent.
    assert page.index("Afrique occidentale") < page.index("Amériques") < page.index("Asie")
