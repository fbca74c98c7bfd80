"""Forms for days of action. They parse what people type; the services validate and write."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from internationale.addressing.forms import CriteriaForm, country_choices
from internationale.core.forms import SubmissionForm, add_service_errors, fold_field
from internationale.core.zones import known_zones
from internationale.organizations.forms import OrganizationNamesField
from internationale.organizations.models import Organization
from internationale.statements.forms_drafting import speaking_for

from .models import DAY_VISIBILITIES, MAX_PARTICIPANTS, Answer, Kind

__all__ = ["CriteriaForm", "add_service_errors"]

WALL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def organizations_named(slugs: list[str]) -> list[Organization]:
    found = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
    return [found[s] for s in slugs if s in found]


class DayForm(SubmissionForm):
    """Calling a day of action: who calls it, the call, the date, and who calls it too."""

    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.CharField(
        label=_("Language of the call"),
        max_length=35,
        help_text=_("A language tag, such as en, es or pt-BR."),
    )
    # Shown when the language detected in the call is not the one given (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The call is written in this language"), required=False, widget=forms.HiddenInput
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "A calendar day: it begins and ends at different moments around the world, and each "
            "action is on that day on its own clocks."
        ),
    )
    text = forms.CharField(
        label=_("The call"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("Markdown is allowed (*emphasis*, lists, links)."),
    )
    demands = forms.CharField(
        label=_("Demands"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("One demand a line."),
    )
    suggested_kinds = forms.MultipleChoiceField(
        label=_("Kinds of action suggested"),
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    called_visibility = forms.ChoiceField(
        label=_("Visibility once called"),
        choices=DAY_VISIBILITIES,
        initial="network",
        help_text=_(
            "Network: members of verified organizations. Public: anyone, without signing in. "
            "Until you call organizations, only the callers read it."
        ),
    )
    cocallers = OrganizationNamesField(label=_("Call it together with"), required=False)
    appeal = forms.IntegerField(required=False, widget=forms.HiddenInput)
    statement = forms.IntegerField(required=False, widget=forms.HiddenInput)
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("Called by"))
        self.fields["cocallers"].help_text = _(
            "Organizations invited to call the day with yours, one per line: each accepts or "
            "declines. Optional."
        )


class ChangeForm(forms.Form):
    """Changing the call: its date, language and visibility stay as called."""

    title = DayForm.base_fields["title"]
    text = DayForm.base_fields["text"]
    demands = DayForm.base_fields["demands"]
    suggested_kinds = DayForm.base_fields["suggested_kinds"]
    # Shown when the language detected in the call is not the day's (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The call is written in the day's language"),
        required=False,
        widget=forms.HiddenInput,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the day is cancelled"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Optional. Shown on the day's page to whoever reads it."),
    )


class InviteForm(forms.Form):
    cocallers = OrganizationNamesField(
        label=_("Organizations to invite"),
        help_text=_(
            "Verified organizations invited to call the day with yours, one per line: each "
            "accepts or declines."
        ),
    )


class CocallForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("We call the day with you")), ("0", _("We decline"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("For"))


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Answer"), choices=Answer.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Required when the organization cannot act; the callers read it."),
    )
    passed_to = OrganizationNamesField(label=_("Passed on to"), required=False)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("For"))
        self.fields["passed_to"].help_text = _(
            "When you pass the call on: the organizations, one per line. They are called in "
            "their turn."
        )


class WallTimeField(forms.DateTimeField):
    """A date and time on the clocks of the place, left naive: the service reads it in the
    place's zone (the reader's own zone plays no part)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for fmt in WALL_FORMATS:
            try:
                # A wall time of the place, naive on purpose: the service reads it in its zone.
                return datetime.datetime.strptime(text, fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise ValidationError(_("Enter a date and time, such as 2027-05-01 10:00."), code="invalid")


class LocalActionForm(SubmissionForm):
    kind = forms.ChoiceField(label=_("Kind of action"), choices=Kind.choices)
    city = forms.CharField(label=_("City or place"), max_length=120)
    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(
        label=_("Time zone of the place"),
        help_text=_("The times below are on the clocks of this zone."),
    )
    start = WallTimeField(label=_("Start, local time"))
    start_fold = fold_field(_("If the start happens twice"))
    end = WallTimeField(label=_("End, local time"))
    end_fold = fold_field(_("If the end happens twice"))
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        help_text=_("Optional, both or neither: where the action is on the map."),
    )
    expected_participants = forms.IntegerField(
        label=_("Expected participants"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
    )
    description = forms.CharField(
        label=_("Public description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Whoever reads the day reads it."),
    )
    contact = forms.CharField(
        label=_("Contact for the callers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Who the callers may reach on the day, and how. Only the callers read it."),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("Organization acting"))
        self.fields["country"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((name, name) for name in sorted(known_zones())),
        ]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data
