"""Forms for the organization pages. They parse what people type; services validate and write."""

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from internationale.core.forms import ParseOnlyModelForm, SubmissionForm, add_service_errors
from internationale.core.models import Visibility
from internationale.core.uploads import IMAGE_FORMATS, image_without_metadata

from .models import (
    RELATION_VISIBILITIES,
    Employer,
    EmployerSite,
    Membership,
    Organization,
    Relation,
)
from .reference import language_choices, region_name, regions, sector_choices
from .selectors import NAMED_AT_MOST, DirectoryFilters, verified_slugs_by_name

__all__ = ["add_service_errors"]  # for the views, which call forms.add_service_errors

LOGO_MAX_BYTES = 512 * 1024
LOGO_FORMATS = IMAGE_FORMATS  # PNG, JPEG, GIF, WebP
# A small file can hold a huge image (a 190 KB PNG of 7000×7000 pixels): logos are refused above
# this many pixels before being decoded, and stored at most this wide and high, as every visitor
# of the directory downloads them.
LOGO_MAX_PIXELS = 16_000_000
LOGO_MAX_SIDE = 1024


def _choices(blank: Any, choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", blank), *choices]


# Organizations ----------------------------------------------------------------------------------


def checked_logo(logo: Any) -> Any:
    """An uploaded logo as it is stored: within the size limits, re-encoded so that a photo's EXIF
    (where it was taken, with which camera) is not kept. Anything else passes unchanged (no upload,
    or the logo already stored). For the organization's form and the operators' admin alike."""
    if not isinstance(logo, UploadedFile):
        return logo
    if logo.size and logo.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large: at most %(size)s."),
            code="logo_too_large",
            params={"size": filesizeformat(LOGO_MAX_BYTES)},
        )
    try:
        return image_without_metadata(
            logo, formats=LOGO_FORMATS, max_pixels=LOGO_MAX_PIXELS, max_side=LOGO_MAX_SIDE
        )
    except ValidationError as error:
        if error.code != "image_invalid":
            raise
        raise ValidationError(
            _("Upload a PNG, JPEG, GIF or WebP image."), code="logo_format"
        ) from None


class LanguageSelects(forms.MultiWidget):
    """A few lists of language names, each optional: languages chosen by name, not typed as tags.
    A script may still post the tags typed in one field (`languages=pt-BR es`)."""

    def __init__(self, count: int, choices: list[tuple[str, str]]) -> None:
        options = [("", "—"), *choices]
        super().__init__(
            [
                forms.Select(choices=options, attrs={"aria-label": _("Language %(n)s") % {"n": n}})
                for n in range(1, count + 1)
            ]
        )

    def decompress(self, value: Any) -> list[str]:
        return list(value or [])

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if f"{name}_0" not in data and name in data:
            return [tag for tag in re.split(r"[\s,;]+", data.get(name) or "") if tag]
        return super().value_from_datadict(data, files, name)


class LanguagesField(forms.MultiValueField):
    """The languages chosen in `LanguageSelects`, each once, in order. Tags are checked by the
    service (a script may post any BCP 47 tag, as through the API)."""

    def __init__(self, *, saved: list[str], **kwargs: Any) -> None:
        count = max(4, len(saved) + 1)
        super().__init__(
            fields=[forms.CharField(required=False, max_length=35) for _n in range(count)],
            widget=LanguageSelects(count, language_choices(keep=saved)),
            require_all_fields=False,
            required=False,
            **kwargs,
        )

    def clean(self, value: Any) -> list[str]:
        if isinstance(value, list) and len(value) > len(self.fields):  # tags typed in one field
            return list(dict.fromkeys(tag for tag in value if tag))
        return super().clean(value)  # type: ignore[no-any-return]

    def compress(self, data_list: list[str]) -> list[str]:
        return list(dict.fromkeys(tag for tag in data_list or [] if tag))


class OrganizationNamesField(forms.CharField):
    """Verified organizations named one per line, by name, short name or address (slug), as a
    person knows them; cleaned to their slugs, in the order given. A line naming none, or several
    with the same name, is refused with the line quoted; nothing is half taken."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("One organization per line: its name, its short name or its address (e.g. gtl)."),
        )
        super().__init__(max_length=4000, **kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if len(lines) > NAMED_AT_MOST:
            raise ValidationError(
                _("Name at most %(count)s organizations at a time.") % {"count": NAMED_AT_MOST},
                code="too_many",
            )
        slugs, unknown, ambiguous = verified_slugs_by_name(lines)
        problems = []
        if unknown:
            problems.append(
                _("No verified organization is called: %(names)s.") % {"names": "; ".join(unknown)}
            )
        for line, candidates in ambiguous.items():
            problems.append(
                _(
                    "Several organizations are called %(name)s: write the address of one of them "
                    "(%(slugs)s)."
                )
                % {"name": line, "slugs": ", ".join(candidates)}
            )
        if problems:
            raise ValidationError(problems, code="unknown_organization")
        return slugs


class OrganizationForm(ParseOnlyModelForm, SubmissionForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=sector_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The sectors where your members work (ISIC Rev.4 sections)."),
    )
    # Hidden until the name is found near-identical to another's (see ask_to_confirm).
    similar_confirmed = forms.BooleanField(
        label=_("Ours is another organization"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Tick this only if yours is not one of the organizations named above."),
    )

    field_order = [
        "name",
        "short_name",
        "kind",
        "country",
        "city",
        "languages",
        "sectors",
        "description",
    ]

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "country",
            "city",
            "founded_year",
            "membership_size",
            "website",
            "public_contact",
            "description",
            "logo",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "description": _("Who you are and what you do. Markdown: **bold**, *italic*, links."),
            "logo": _(
                "PNG, JPEG, GIF or WebP, not animated, at most 512 KB. Stored without its "
                "metadata (place, camera, time)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = (
            [language.tag for language in self.instance.languages.all()] if self.instance.pk else []
        )
        self.fields["languages"] = LanguagesField(
            saved=saved,
            label=_("Languages"),
            help_text=_("The languages your organization works in, the main one first."),
        )
        self.order_fields(self.field_order)
        if self.instance.pk:
            del self.fields["submission_key"]  # editing creates nothing
            del self.fields["similar_confirmed"]
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = saved
            self.initial["sectors"] = [sector.code for sector in self.instance.sectors.all()]

    def ask_to_confirm(self) -> None:
        """Show the box that confirms a name near-identical to another organization's."""
        self.fields["similar_confirmed"].widget = forms.CheckboxInput()

    def clean_logo(self) -> Any:
        return checked_logo(self.cleaned_data.get("logo"))

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the service takes it. The logo is passed only when it changes."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("submission_key", "logo")}
        logo = self.cleaned_data.get("logo")
        if logo is False:  # "clear" ticked
            data["logo"] = ""
        elif isinstance(logo, UploadedFile):
            data["logo"] = logo
        return data


class Options(BaseChoiceIterator):
    """Flat choices, with each one's <option> element rendered once, for a FastSelect."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = [(str(value), str(label)) for value, label in choices]
        self.index: dict[str, int] = {}
        for i, (value, _label) in enumerate(self.choices):
            self.index.setdefault(value, i)
        self.html = [_option(value, label, "") for value, label in self.choices]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def render(self, selected: list[str]) -> str:
        # As Django's Select: the first option whose value is among the selected ones.
        found = [self.index[value] for value in selected if value in self.index]
        if not found:
            return "".join(self.html)
        i = min(found)
        value, label = self.choices[i]
        return "".join([*self.html[:i], _option(value, label, " selected"), *self.html[i + 1 :]])


def _option(value: str, label: str, selected: str) -> str:
    # The whitespace of django/forms/widgets/select.html and select_option.html, so the page does
    # not change by a byte.
    return f'\n  <option value="{conditional_escape(value)}"{selected}>{conditional_escape(label)}</option>\n'


class FastSelect(forms.Select):
    """A <select> that renders Options without the template engine, as Django's templates would.

    Rendering a <select> of 250 countries through templates costs milliseconds (an include per
    option); the directory shows five such lists on every page."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        if not isinstance(self.choices, Options):
            return super().render(name, value, attrs, renderer)
        attributes = "".join(
            f" {key}" if val is True else f' {key}="{conditional_escape(val)}"'
            for key, val in self.build_attrs(self.attrs, attrs).items()
            if val is not False
        )
        options = self.choices.render(self.format_value(value))
        return mark_safe(  # noqa: S308 (every value and label is escaped above)
            f'<select name="{conditional_escape(name)}"{attributes}>{options}\n</select>'
        )


@cache
def _directory_options(language: str) -> dict[str, Options]:
    """The directory's fixed lists, translated and sorted once per language."""
    return {
        "country": Options(_choices(_("Any country"), countries)),
        "region": Options(
            _choices(_("Any region"), [(name, region_name(name)) for name in regions()])
        ),
        "kind": Options(_choices(_("Any kind"), Organization.Kind.choices)),
        "sector": Options(_choices(_("Any sector"), sector_choices())),
        "verified": Options([("", _("Any")), ("yes", _("Verified")), ("no", _("Not verified"))]),
        "language": Options(_choices(_("Any language"), language_choices())),
    }


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=FastSelect)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=FastSelect)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        widget=FastSelect,
        help_text=_("Portuguese finds every kind of Portuguese, Brazilian included."),
    )
    employer = forms.ChoiceField(label=_("Employer"), required=False, widget=FastSelect)
    verified = forms.ChoiceField(label=_("Verification"), required=False, widget=FastSelect)

    def __init__(self, *args: Any, employers: Iterable[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, options in _directory_options(get_language()).items():
            self.fields[name].choices = options  # type: ignore[attr-defined]
        self.fields["employer"].choices = Options(  # type: ignore[attr-defined]
            _choices(_("Any employer"), employers)
        )

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        return DirectoryFilters(
            q=data["q"].strip(),
            country=data["country"],
            region=data["region"],
            kind=data["kind"],
            sector=data["sector"],
            language=data["language"].strip(),
            employer=data["employer"],
            verified={"yes": True, "no": False}.get(data["verified"]),
        )


# Members ----------------------------------------------------------------------------------------


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class InvitationForm(SubmissionForm):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_(
            "Admins manage the organization; secretaries speak for it; members read what it "
            "receives; observers only read."
        ),
    )


# Relations --------------------------------------------------------------------------------------

PRESENCE_VISIBILITIES = [
    choice for choice in Visibility.choices if choice[0] != Visibility.ADDRESSED.value
]


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} · {cast(Country, obj.country).name}"


class RelationForm(SubmissionForm):
    partner = PartnerChoiceField(
        label=_("Partner organization"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        help_text=_("A verified organization. It will be asked to accept."),
    )
    kind = forms.ChoiceField(label=_("Kind of relation"), choices=Relation.Kind.choices)
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the relation began, if it already exists."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=RELATION_VISIBILITIES, initial=Visibility.NETWORK
    )
    note = forms.CharField(
        label=_("Note to the partner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


# Presences --------------------------------------------------------------------------------------


class PresenceForm(SubmissionForm):
    employer = forms.ChoiceField(label=_("Employer"))
    site = forms.ChoiceField(
        label=_("Site"),
        required=False,
        help_text=_("Leave empty if you organize at this employer in general or at many sites."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=PRESENCE_VISIBILITIES,
        initial=Visibility.NETWORK,
        help_text=_("Where workers face a hostile employer, keep it to the network or private."),
    )

    def __init__(self, *args: Any, employers: Iterable[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employers = list(employers)
        self.employers = {e.slug: e for e in employers}
        self.sites: dict[str, EmployerSite] = {
            str(site.pk): site for e in employers for site in e.sites.all()
        }
        cast(forms.ChoiceField, self.fields["employer"]).choices = _choices(
            "---------", [(e.slug, e.name) for e in employers]
        )
        cast(forms.ChoiceField, self.fields["site"]).choices = _choices(
            _("In general"),
            [
                (
                    e.name,
                    [
                        (str(s.pk), f"{s.name} · {cast(Country, s.country).name}")
                        for s in e.sites.all()
                    ],
                )
                for e in employers
                if e.sites.all()
            ],
        )

    def clean_employer(self) -> Employer:
        return self.employers[self.cleaned_data["employer"]]

    def clean_site(self) -> EmployerSite | None:
        pk = self.cleaned_data["site"]
        return self.sites[pk] if pk else None


# Vouches ----------------------------------------------------------------------------------------


class VouchForm(SubmissionForm):
    voucher = forms.ChoiceField(label=_("Vouch as"))

    def __init__(self, *args: Any, vouchers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vouchers = {org.slug: org for org in vouchers}
        field = cast(forms.ChoiceField, self.fields["voucher"])
        field.choices = [(org.slug, org.name) for org in vouchers]
        self.single_voucher = vouchers[0] if len(vouchers) == 1 else None
        if self.single_voucher:
            field.widget = forms.HiddenInput()
            field.initial = vouchers[0].slug
            field.required = False

    def clean_voucher(self) -> Organization | None:
        return self.vouchers.get(self.cleaned_data["voucher"])


# Employers --------------------------------------------------------------------------------------


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class EmployerForm(ParseOnlyModelForm, SubmissionForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["name", "headquarters", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"name": _("The company or group as workers know it.")}

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_key"}


class SiteForm(ParseOnlyModelForm, SubmissionForm):
    class Meta:
        model = EmployerSite
        fields = ["name", "country", "city"]
        help_texts = {"name": _("A plant, port, warehouse, office or shop.")}

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_key"}
