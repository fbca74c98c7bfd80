"""The criteria form of every addressed thing's routing step (HTML)."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from internationale.core.text import sort_key
from internationale.organizations.directory import RenderCache
from internationale.organizations.forms import OrganizationNamesField
from internationale.organizations.models import Organization
from internationale.organizations.reference import region_name, regions, subregion_of

from .routing import Criteria, Origin


def country_choices() -> list[tuple[str, str]]:
    """Countries by name in the reader's language, sorted as a reader expects."""
    return sorted(((code, str(name)) for code, name in countries), key=lambda c: sort_key(c[1]))


class CountriesField(forms.MultipleChoiceField):
    """Countries chosen by name; a link written by hand may still give codes ("br, KR")."""

    def to_python(self, value: Any) -> list[str]:
        values = super().to_python(value)
        return [code for v in values for code in re.split(r"[\s,;]+", v.strip().upper()) if code]


def region_choices() -> list[tuple[str, Any]]:
    names = set(regions()) | {subregion_of(code) for code in dict(countries)}
    return sorted(
        ((name, region_name(name)) for name in names if name), key=lambda c: sort_key(c[1])
    )


class CriteriaForm(forms.Form):
    """What the issuer combines to choose the addressees. Read from the query string to preview,
    and posted, unchanged, to send. `criteria()` gives them to `routing.route`."""

    employer = forms.BooleanField(label=_("Organizations at the same employer"), required=False)
    sector = forms.BooleanField(label=_("Organizations in the same sector"), required=False)
    relations = forms.BooleanField(label=_("Our partner organizations"), required=False)
    languages = forms.BooleanField(label=_("Organizations sharing a language"), required=False)
    countries = CountriesField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Choose one or several (Ctrl or ⌘ and click)."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    add = OrganizationNamesField(label=_("Add organizations by hand"), required=False)
    remove = forms.CharField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["countries"].choices = country_choices()  # type: ignore[attr-defined]

    def clean_add(self) -> list[int]:
        slugs = self.cleaned_data["add"]
        found = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        return [found[slug] for slug in slugs]

    def clean_remove(self) -> list[int]:
        values = self.data.getlist("remove") if hasattr(self.data, "getlist") else []
        try:
            return list(dict.fromkeys(int(v) for v in values if v))  # each once
        except ValueError:
            raise ValidationError(_("Enter whole numbers."), code="invalid") from None

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            employer=data["employer"],
            sector=data["sector"],
            relations=data["relations"],
            languages=data["languages"],
            countries=data["countries"],
            regions=list(data["regions"]),
            add=data["add"],
            remove=data["remove"],
        )

    def hidden_items(self) -> list[tuple[str, str]]:
        """The criteria chosen, as (name, value) pairs: the hidden inputs of the form that sends
        (or invites) with them; none while the form is invalid."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        items = [
            (name, "on") for name in ("employer", "sector", "relations", "languages") if data[name]
        ]
        items += [("countries", code) for code in data["countries"]]
        items += [("regions", region) for region in data["regions"]]
        items.append(("add", self.data.get("add", "")))
        items += [("remove", str(pk)) for pk in data["remove"]]
        return items

    @staticmethod
    def defaults(origin: Origin) -> dict[str, Any]:
        """The first preview: the same employer when there is one, the sector, the partners."""
        data: dict[str, Any] = {"sector": "on", "relations": "on"}
        if origin.employer_id:
            data["employer"] = "on"
        return data


# The criteria form's fields as HTML, by language and what was chosen: its two lists of every
# country and region cost more to render than the rest of the routing step's page.
_rendered = RenderCache(size=128)


def criteria_fields_html(form: CriteriaForm) -> SafeString:
    """The fields of a criteria form (includes/form_fields.html), kept when it has no errors:
    then the HTML follows from the language and the values chosen alone."""

    def render() -> SafeString:
        return render_to_string("includes/form_fields.html", {"form": form})

    if not form.is_valid():
        return render()
    data = form.data
    chosen = tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name))
        for name in form.fields
    )
    return _rendered.get((get_language(), chosen), render)
