"""Reference data shipped with the platform: ISIC Rev.4 sections, UN M49 regions, BCP 47 tags."""

import csv
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import langcodes
from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy

from internationale.core.text import sort_key

DATA = Path(__file__).parent / "data"

# ISIC Rev.4 sections, code to name (translated in the catalogs, as the UN publishes them).
SECTORS: dict[str, Promise] = {
    "A": gettext_lazy("Agriculture, forestry and fishing"),
    "B": gettext_lazy("Mining and quarrying"),
    "C": gettext_lazy("Manufacturing"),
    "D": gettext_lazy("Electricity, gas, steam and air conditioning supply"),
    "E": gettext_lazy("Water supply; sewerage, waste management and remediation activities"),
    "F": gettext_lazy("Construction"),
    "G": gettext_lazy("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": gettext_lazy("Transportation and storage"),
    "I": gettext_lazy("Accommodation and food service activities"),
    "J": gettext_lazy("Information and communication"),
    "K": gettext_lazy("Financial and insurance activities"),
    "L": gettext_lazy("Real estate activities"),
    "M": gettext_lazy("Professional, scientific and technical activities"),
    "N": gettext_lazy("Administrative and support service activities"),
    "O": gettext_lazy("Public administration and defence; compulsory social security"),
    "P": gettext_lazy("Education"),
    "Q": gettext_lazy("Human health and social work activities"),
    "R": gettext_lazy("Arts, entertainment and recreation"),
    "S": gettext_lazy("Other service activities"),
    "T": gettext_lazy(
        "Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use"
    ),
    "U": gettext_lazy("Activities of extraterritorial organizations and bodies"),
}

# The UN M49 area codes of the regions and subregions named in data/m49_regions.csv: their names
# in the reader's language come from CLDR, through Babel.
M49_AREAS = {
    "Africa": "002",
    "Eastern Africa": "014",
    "Middle Africa": "017",
    "Northern Africa": "015",
    "Southern Africa": "018",
    "Western Africa": "011",
    "Americas": "019",
    "Caribbean": "029",
    "Central America": "013",
    "Northern America": "021",
    "South America": "005",
    "Asia": "142",
    "Central Asia": "143",
    "Eastern Asia": "030",
    "South-eastern Asia": "035",
    "Southern Asia": "034",
    "Western Asia": "145",
    "Europe": "150",
    "Eastern Europe": "151",
    "Northern Europe": "154",
    "Southern Europe": "039",
    "Western Europe": "155",
    "Oceania": "009",
    "Australia and New Zealand": "053",
    "Melanesia": "054",
    "Micronesia": "057",
    "Polynesia": "061",
}


def sectors() -> dict[str, Promise]:
    """ISIC Rev.4 sections, code to name in the active language (when made a string)."""
    return SECTORS


def sector_choices() -> list[tuple[str, Promise]]:
    """(code, "C · Manufacturing"), each name worded in the language active when it is shown."""
    return [(code, format_lazy("{} · {}", code, name)) for code, name in SECTORS.items()]


def sector_name(code: str) -> str:
    """A sector as its choices name it: "C · Manufacturing"; an unknown code as itself."""
    name = SECTORS.get(code)
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


def region_name(region: str, in_language: str | None = None) -> str:
    """A UN M49 region or subregion, named as stored ("Western Africa"), in the reader's language."""
    code = M49_AREAS.get(region)
    if code is None:
        return region
    return _territory_name(code, in_language or get_language() or "en") or region


@lru_cache(maxsize=512)
def _territory_name(code: str, language: str) -> str:
    try:
        return str(Locale.parse(language, sep="-").territories.get(code, ""))
    except (UnknownLocaleError, ValueError):
        return ""


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


# Regional variants offered beside the languages themselves: those whose written form differs
# enough that organizations name them (Brazilian and European Portuguese, simplified Chinese...).
LANGUAGE_VARIANTS = ("pt-BR", "pt-PT", "es-419", "fr-CA", "en-GB", "zh-Hans", "zh-Hant", "sr-Latn")


def language_choices(keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every language with CLDR data, and the common variants, as (tag, name) in the reader's
    language, sorted by name; each name followed by the language's own name when it differs
    ("Portuguese (Brazil) — português (Brasil)"), so that people find theirs. Tags in `keep`
    (values already saved) stay choosable even if the list lacks them."""
    options = list(_language_options(get_language() or "en"))
    known = {tag for tag, _name in options}
    options += [(tag, language_name(tag)) for tag in keep if tag and tag not in known]
    return options


@lru_cache(maxsize=16)
def _language_options(in_language: str) -> tuple[tuple[str, str], ...]:
    tags = [i for i in locale_identifiers() if "_" not in i and i != "root"]
    options = []
    for tag in [*tags, *LANGUAGE_VARIANTS]:
        language = langcodes.Language.get(tag)
        name, own = language.display_name(in_language), language.autonym()
        options.append((tag, name if own.casefold() == name.casefold() else f"{name} — {own}"))
    return tuple(sorted(options, key=lambda option: sort_key(option[1])))
