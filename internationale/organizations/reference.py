"""Reference data shipped with the platform: ISIC Rev.4 sections, UN M49 regions, BCP 47 tags."""

import csv
from functools import cache, lru_cache
from pathlib import Path

import langcodes
from django.utils.translation import get_language

DATA = Path(__file__).parent / "data"


@cache
def sectors() -> dict[str, str]:
    """ISIC Rev.4 sections, code to English name."""
    with open(DATA / "isic_rev4_sections.csv", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def sector_choices() -> list[tuple[str, str]]:
    return [(code, sector_name(code)) for code in sectors()]


def sector_name(code: str) -> str:
    """A sector as its choices name it: "C · Manufacturing"; an unknown code as itself."""
    name = sectors().get(code)
    return f"{code} · {name}" if name else code


@cache
def _regions() -> dict[str, tuple[str, str]]:
    with open(DATA / "m49_regions.csv", encoding="utf-8") as handle:
        return {row["country"]: (row["region"], row["subregion"]) for row in csv.DictReader(handle)}


def region_of(country: str) -> str:
    """The UN M49 region (Africa, Americas, Asia, Europe, Oceania) of an ISO 3166 code."""
    return _regions().get(country.upper(), ("", ""))[0]


def subregion_of(country: str) -> str:
    return _regions().get(country.upper(), ("", ""))[1]


def regions() -> list[str]:
    return sorted({region for region, _sub in _regions().values() if region})


def countries_in(region: str) -> list[str]:
    return sorted(code for code, (reg, sub) in _regions().items() if region in (reg, sub))


def normalize_language(tag: str) -> str:
    """A well-formed BCP 47 tag in its standard form, or ValueError."""
    tag = (tag or "").strip()
    if not tag or not langcodes.tag_is_valid(tag):
        raise ValueError(tag)
    return langcodes.standardize_tag(tag)


def language_name(tag: str, in_language: str | None = None) -> str:
    return _language_name(tag, in_language or get_language() or "en")


# Looking a name up in langcodes' data costs about 0.1 ms; a directory page shows dozens. Tags are
# normalized when saved, so a few hundred cover a server; the bound keeps odd ones from piling up.
@lru_cache(maxsize=4096)
def _language_name(tag: str, in_language: str) -> str:
    try:
        return langcodes.Language.get(tag).display_name(in_language)
    except (LookupError, ValueError):
        return tag
