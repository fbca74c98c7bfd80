"""Reads shared by the pages that show who something was addressed to, or would be (an appeal's
summary, its send preview): the counts per country, counted by the database or over routing's
answer, the countries' names, and one page of a long list whose length is known already.

None checks a permission: the addressed app's selector does, then calls these.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, QuerySet
from django.utils.translation import get_language
from django_countries import countries as all_countries

from .models import AddresseeBase

T = TypeVar("T")

# Country names per language, built once per process and language: a page of a hundred addressees
# names their countries a hundred times, and django-countries translates and looks each up anew.
_names: dict[str, dict[str, str]] = {}


def country_name(code: str) -> str:
    """The country's name in the active language ("" for no country; the code for an unknown
    one)."""
    language = get_language() or settings.LANGUAGE_CODE
    names = _names.get(language)
    if names is None:
        names = _names[language] = {str(c): str(name) for c, name in all_countries}
    return names.get(code, code)


@dataclass(frozen=True)
class CountryCount:
    """How many organizations of one country, named in the reader's language."""

    code: str
    count: int

    @property
    def name(self) -> str:
        return country_name(self.code)


def countries_counted(counts: Iterable[tuple[Any, int]]) -> list[CountryCount]:
    """(country code, count) pairs as CountryCounts, most first, then by code."""
    counted = [CountryCount(str(code), n) for code, n in counts]
    return sorted(counted, key=lambda c: (-c.count, c.code))


def addressees_of(model: type[AddresseeBase], target: Model, *, country: str = "") -> QuerySet[Any]:
    """The addressee rows of `target` (of one country if given), in the order they were chosen:
    the first send's, then each widening's (ring), each in the order recorded. Served by the
    indexes of `models.addressee_indexes`: a page of it reads a page of rows."""
    qs = model._default_manager.filter(**{model.target_field: target})
    if country:
        qs = qs.filter(country=country.upper())
    return qs.order_by("ring", "pk")


def addressee_countries(model: type[AddresseeBase], target: Model) -> list[CountryCount]:
    """How many organizations of each country `target` was addressed to, most first: counted
    by the database in the index (target, country, …), without reading the organizations."""
    rows = (
        model._default_manager.filter(**{model.target_field: target})
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    return countries_counted(rows)


def page_of(items: Sequence[T] | QuerySet[Any], *, count: int, number: Any, size: int) -> Page:
    """Page `number` (as the request gave it: a bad one gives the first page, one past the end
    the last) of `items`, whose length the caller counted already (with the figures above): no
    count of its own, only the page is read."""
    paginator = Paginator(items, size)
    paginator.count = count  # a cached property: the count is not asked of `items`
    return paginator.get_page(number)
