"""The reference data shipped with the platform: UN M49 regions for every country."""

import csv

import pytest
from django_countries import countries

from internationale.organizations.reference import (
    DATA,
    countries_in,
    region_of,
    regions,
    subregion_of,
)

M49_SUBREGIONS = {
    "Africa": {
        "Northern Africa",
        "Eastern Africa",
        "Middle Africa",
        "Southern Africa",
        "Western Africa",
    },
    "Americas": {"Caribbean", "Central America", "South America", "Northern America"},
    "Asia": {
        "Central Asia",
        "Eastern Asia",
        "South-eastern Asia",
        "Southern Asia",
        "Western Asia",
    },
    "Europe": {"Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"},
    "Oceania": {"Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"},
}


def _rows() -> list[dict[str, str]]:
    with open(DATA / "m49_regions.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_country_django_countries_knows_has_exactly_one_row():
    codes = [row["country"] for row in _rows()]
    assert len(codes) == len(set(codes))
    assert set(codes) == {code for code, _name in countries}


def test_every_row_names_an_m49_region_and_one_of_its_subregions():
    for row in _rows():
        if row["country"] == "AQ":  # Antarctica belongs to no region
            assert row["region"] == row["subregion"] == ""
            continue
        assert row["subregion"] in M49_SUBREGIONS[row["region"]], row


def test_regions_are_the_five_continents():
    assert regions() == ["Africa", "Americas", "Asia", "Europe", "Oceania"]


@pytest.mark.parametrize(
    ("country", "region", "subregion"),
    [
        ("BR", "Americas", "South America"),
        ("KR", "Asia", "Eastern Asia"),
        ("NG", "Africa", "Western Africa"),
        ("DE", "Europe", "Western Europe"),
        ("FJ", "Oceania", "Melanesia"),
        ("MX", "Americas", "Central America"),
        ("EG", "Africa", "Northern Africa"),
        ("TR", "Asia", "Western Asia"),
        ("GB", "Europe", "Northern Europe"),
        ("AU", "Oceania", "Australia and New Zealand"),
    ],
)
def test_spot_checks(country, region, subregion):
    assert region_of(country) == region
    assert region_of(country.lower()) == region
    assert subregion_of(country) == subregion


def test_countries_in_a_region_or_a_subregion():
    south_america = countries_in("South America")
    assert "AR" in south_america and "BR" in south_america
    assert "MX" not in south_america
    assert {"AR", "US", "CA", "MX", "JM"} <= set(countries_in("Americas"))


def test_an_unknown_country_has_no_region():
    assert region_of("XX") == ""
    assert subregion_of("XX") == ""
