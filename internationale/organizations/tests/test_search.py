"""The directory's search finds names and short names in every script, without regard to case or
accents, by the beginning of their words as people type; the same on SQLite and PostgreSQL."""

import pytest
from django.contrib.auth.models import AnonymousUser

from internationale.organizations import services
from internationale.organizations.models import Organization
from internationale.organizations.selectors import DirectoryFilters, organization_list
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    OrganizationFactory(name="Sindicato dos Metalúrgicos do ABC", slug="abc", short_name="SMABC")
    OrganizationFactory(name="الاتحاد العام التونسي للشغل", slug="ugtt", short_name="UGTT")
    OrganizationFactory(name="中华全国总工会", slug="acftu", country="CN")
    OrganizationFactory(name="भारतीय मज़दूर संघ", slug="bms", country="IN")
    OrganizationFactory(name="Türkiye Devrimci İşçi Sendikaları", slug="disk", short_name="DİSK")
    OrganizationFactory(name="Confédération générale du travail", slug="cgt", short_name="CGT")


def found(q: str) -> set[str]:
    filters = DirectoryFilters(q=q)
    return {org.slug for org in organization_list(viewer=AnonymousUser(), filters=filters)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("metalurgicos", {"abc"}),  # without the accent
        ("METALÚR", {"abc"}),  # any case, part of a word as it is typed
        ("smabc", {"abc"}),  # the short name
        ("confederation gen", {"cgt"}),  # every word, each by its beginning
        ("confederation metal", set()),
        ("الاتحاد", {"ugtt"}),
        ("الإتحاد التونسي", {"ugtt"}),  # with a hamza under the alef, as often typed
        ("التون", {"ugtt"}),
        ("工会", {"acftu"}),  # Chinese: characters side by side, anywhere in the name
        ("全国", {"acftu"}),
        ("会工", set()),
        ("मजदूर", {"bms"}),  # Hindi: with or without the nukta
        ("मज़दूर सं", {"bms"}),
        ("işçi", {"disk"}),
        ("isci sendika", {"disk"}),
        ("disk", {"disk"}),
        ("ugtt", {"ugtt"}),
        ("union", set()),
    ],
)
def test_the_search_finds_names_in_every_script(world, query, expected):
    assert found(query) == expected


def test_a_search_of_punctuation_alone_finds_nothing(world):
    assert found("-- ' ?") == set()
    assert found('"*) OR (*') == set()  # the syntax of the databases' queries means nothing here


def test_a_renamed_organization_is_found_by_its_new_name_only(world, ana, owner_org):
    services.organization_update(actor=ana, organization=owner_org, name="Metalúrgicos de Recife")
    assert found("recife") == {"metal-sp"}
    assert found("paulo") == set()


def test_a_deleted_organization_is_no_longer_found(world):
    Organization.objects.filter(slug="cgt").delete()
    assert found("cgt") == set()
