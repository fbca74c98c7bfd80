"""Forms for drafting a statement. They parse what people type; the services validate and
write."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from internationale.addressing.forms import CriteriaForm
from internationale.core.forms import Fieldset, SubmissionForm, add_service_errors, fieldsets
from internationale.organizations.models import Organization

from .models import ADOPTED_VISIBILITIES, Statement
from .services import split_paragraphs

__all__ = ["CriteriaForm", "add_service_errors"]

# A deadline is typed in the reader's time zone (the active one): the field makes it aware.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
VISIBILITY_HELP = _(
    "Who reads the statement and its signatories once it is adopted. Participants: the "
    "organizations that drafted it. Network: members of verified organizations. Public: anyone, "
    "without signing in. While it is drafted, only the participants read it."
)


class OrganizationChoiceField(forms.ModelChoiceField):
    """The organization one acts for. When there is only one, it is the one, named or not."""

    sole: Organization | None = None

    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} · {cast(Country, obj.country).name}"

    def clean(self, value: Any) -> Any:
        if value in self.empty_values and self.sole is not None:
            value = self.sole.slug
        return super().clean(value)


def speaking_for(
    form: forms.BaseForm, organizations: list[Organization], label: Any, name: str = "organization"
) -> None:
    """The organization the person acts for: a choice when there are several, else fixed."""
    field = OrganizationChoiceField(
        label=label,
        queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
        to_field_name="slug",
    )
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        field.initial = organizations[0].slug
        field.sole = organizations[0]
    form.fields = {name: field, **form.fields}


def _minute(when: datetime.datetime) -> datetime.datetime:
    """As the form shows it: to the minute."""
    return when.replace(second=0, microsecond=0)


class SettingsForm(forms.Form):
    """What the initiator may change while drafting."""

    GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("Deadlines"), ("amendments_until", "positions_until")),
        (_("Consensus"), ("min_agree", "min_supporters", "silence_stands_aside")),
        (_("Once adopted"), ("adopted_visibility",)),
    )

    title = forms.CharField(label=_("Title"), max_length=200)
    amendments_until = forms.DateTimeField(
        label=_("Deadline for amendments"),
        widget=DATETIME_INPUT,
        help_text=_("In your time zone. After it, no amendment is proposed."),
    )
    positions_until = forms.DateTimeField(
        label=_("Deadline for positions"),
        widget=DATETIME_INPUT,
        help_text=_("In your time zone; not before the deadline for amendments."),
    )
    min_agree = forms.IntegerField(
        label=_("Agreements needed"),
        min_value=1,
        max_value=10_000,
        initial=2,
        help_text=_(
            "The statement is adopted when nobody blocks and at least this many participants, "
            "your organization included, agree."
        ),
    )
    min_supporters = forms.IntegerField(
        label=_("Supporters needed"),
        min_value=0,
        max_value=10_000,
        initial=0,
        help_text=_(
            "How many invited organizations must support the draft before you call positions on "
            "it (0: none)."
        ),
    )
    silence_stands_aside = forms.BooleanField(
        label=_("Silence counts as standing aside"),
        required=False,
        help_text=_(
            "At the deadline for positions, a participant that has not answered stands aside: it "
            "does not sign, and does not block."
        ),
    )
    adopted_visibility = forms.ChoiceField(
        label=_("Visibility once adopted"),
        choices=ADOPTED_VISIBILITIES,
        initial="public",
        help_text=VISIBILITY_HELP,
    )

    def __init__(self, *args: Any, statement: Statement | None = None, **kwargs: Any) -> None:
        if statement is not None:
            zone = timezone.get_current_timezone()
            kwargs["initial"] = {
                "title": statement.title,
                "amendments_until": _minute(statement.amendments_until.astimezone(zone)),
                "positions_until": _minute(statement.positions_until.astimezone(zone)),
                "min_agree": statement.min_agree,
                "min_supporters": statement.min_supporters,
                "silence_stands_aside": statement.silence_stands_aside,
                "adopted_visibility": statement.adopted_visibility,
            }
        super().__init__(*args, **kwargs)

    def fieldsets(self) -> list[Fieldset]:
        return fieldsets(self, self.GROUPS)

    def service_fields(self) -> dict[str, Any]:
        """The settings; a deadline shown and sent back as it was is left out, so that one
        passed already does not refuse the other changes."""
        data = dict(self.cleaned_data)
        if self.initial:
            for name in ("amendments_until", "positions_until"):
                if name not in self.changed_data:
                    data.pop(name, None)
        return data


class StatementForm(SubmissionForm, SettingsForm):
    """Starting a statement: who initiates it, its text, and the settings."""

    GROUPS = (
        (_("The text"), ("title", "language", "language_confirmed", "text")),
        *SettingsForm.GROUPS,
    )

    language = forms.CharField(
        label=_("Drafting language"),
        max_length=35,
        help_text=_(
            "A language tag, such as en, es or pt-BR: the language of the authoritative text."
        ),
    )
    # Shown when the language detected in the text is not the one given (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The language I gave is right"), required=False, widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
        help_text=_(
            "Separate paragraphs with a blank line: each becomes a numbered paragraph, which "
            "participants amend and comment on one by one. Markdown is allowed (*emphasis*, "
            "lists, links)."
        ),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Field order: title, language, text first (the groups order the rest).
        speaking_for(self, organizations, _("Initiated by"))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data["paragraphs"] = split_paragraphs(data.pop("text"))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Optional: the participants read it in the notice."),
    )


class SupportForm(forms.Form):
    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("For"))


class CommentForm(SubmissionForm):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaking_for(self, organizations, _("Comment for"))
