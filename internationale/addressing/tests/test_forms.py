"""The criteria form: countries chosen by name, organizations named as people know them."""

import pytest
from django.http import QueryDict
from django.utils import translation

from internationale.addressing.forms import CriteriaForm
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_countries_are_offered_by_name_in_the_readers_language():
    with translation.override("es"):
        html = str(CriteriaForm()["countries"])
    assert '<option value="KR">Corea del Sur</option>' in html
    assert html.index("Alemania") < html.index("Brasil")  # sorted by the Spanish names


def test_chosen_countries_and_a_hand_written_list_of_codes_both_count():
    chosen = CriteriaForm(QueryDict("countries=BR&countries=KR"))
    written = CriteriaForm(QueryDict("countries=br,+KR"))
    assert chosen.is_valid() and written.is_valid()
    assert chosen.cleaned_data["countries"] == written.cleaned_data["countries"] == ["BR", "KR"]


def test_organizations_added_by_hand_are_found_by_name():
    union = OrganizationFactory(name="Hamburg Port Union", slug="hafen")
    form = CriteriaForm(QueryDict("add=hamburg+port+union"))
    assert form.is_valid()
    assert form.cleaned_data["add"] == [union.pk]
    unknown = CriteriaForm(QueryDict("add=Nobody+at+all"))
    assert not unknown.is_valid()
    assert unknown.errors["add"] == ["No verified organization is called: Nobody at all."]


def test_an_address_wins_over_a_short_name_another_organization_has_and_case_does_not_count():
    gtl = OrganizationFactory(name="Gewerkschaft Transport", slug="gtl")
    OrganizationFactory(name="Global Transport League", short_name="GTL", slug="global-tl")
    form = CriteriaForm(QueryDict("add=GTL"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["add"] == [gtl.pk]


def test_too_many_organizations_at_once_are_refused_without_a_query_each(
    django_assert_max_num_queries,
):
    text = "\n".join(f"union {n}" for n in range(60))
    with django_assert_max_num_queries(2):
        form = CriteriaForm(QueryDict(mutable=True) | {"add": text})
        assert not form.is_valid()
    assert form.errors["add"] == ["Name at most 50 organizations at a time."]
