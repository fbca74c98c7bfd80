"""Forms for the meeting pages. They parse what people type; the services validate and write."""

import datetime
import re
import zoneinfo
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from internationale.addressing.forms import CriteriaForm
from internationale.core.forms import (
    Fieldset,
    SubmissionForm,
    add_service_errors,
    fieldsets,
    fold_field,
)
from internationale.organizations.forms import OrganizationNamesField
from internationale.organizations.models import Membership, Organization

from .models import MEETING_VISIBILITIES, Meeting

# Inviting uses the routing step's form, shared by everything addressed.
__all__ = ["CriteriaForm", "add_service_errors"]

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock where the meeting is held: left naive, for the service
    to place in the meeting's time zone (not the reader's)."""

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            result = timezone.make_naive(result, timezone.get_current_timezone())
        return result


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} · {cast(Country, obj.country).name}"


def _speaking_for(form: forms.BaseForm, organizations: list[Organization], label: Any) -> None:
    """The organization the person acts for: a choice when there are several, else fixed."""
    field = OrganizationChoiceField(
        label=label,
        queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
        to_field_name="slug",
    )
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        field.initial = organizations[0].slug
    form.fields = {"organization": field, **form.fields}


Groups = tuple[tuple[Any, tuple[str, ...]], ...]


# The times of a meeting: local times where it is held, with which showing is meant when the
# clocks show one twice.
WHEN = ("start", "end", "time_zone", "start_fold", "end_fold")


class MeetingForm(SubmissionForm):
    GROUPS: Groups = (
        (_("What"), ("kind", "title", "description", "language", "language_confirmed")),
        (_("Delegation visit"), ("visit", "counterpart")),
        (_("When"), WHEN),
        (_("Where"), ("place", "online_link", "languages")),
        (_("Who sees it"), ("visibility",)),
    )

    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.CharField(
        label=_("Written in"),
        max_length=35,
        required=False,
        help_text=_(
            "The language of the title, description, agenda and minutes, as a BCP 47 tag (pt-BR, "
            "en). Left empty: your organization's first language. Participants read them "
            "translated into theirs, marked as translations."
        ),
    )
    # Shown when the language detected in the texts is not the one given (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The title and description are written in this language"),
        required=False,
        widget=forms.HiddenInput,
    )
    visit = forms.ChoiceField(
        label=_("Our organization"),
        required=False,
        choices=[("", "—"), ("sends", _("sends the delegation")), ("receives", _("receives it"))],
        help_text=_("For a delegation visit only."),
    )
    counterpart = OrganizationNamesField(
        label=_("The other organization"),
        required=False,
        help_text=_("For a delegation visit: its name, short name or address. It is invited."),
    )
    start = LocalDateTimeField(label=_("Start"), widget=DATETIME_INPUT)
    end = LocalDateTimeField(label=_("End"), widget=DATETIME_INPUT)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_(
            "Where the meeting is held, as an IANA name (Europe/Paris, America/Sao_Paulo): the "
            "start and end are its local times."
        ),
    )
    start_fold = fold_field(_("If the start happens twice"))
    end_fold = fold_field(_("If the end happens twice"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    languages = forms.CharField(
        label=_("Working languages"),
        max_length=200,
        required=False,
        help_text=_("BCP 47 tags separated by commas: es, en, pt-BR."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=MEETING_VISIBILITIES,
        initial="addressed",
        help_text=_(
            "Addressed: the host and the organizations invited. Network: members of verified "
            "organizations. Public: anyone."
        ),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Hosted by"))
        self.fields["time_zone"].initial = timezone.get_current_timezone_name()

    def fieldsets(self) -> list[Fieldset]:
        return fieldsets(self, self.GROUPS)

    def clean_counterpart(self) -> Organization | None:
        slugs = self.cleaned_data["counterpart"]
        if len(slugs) > 1:
            raise forms.ValidationError(_("Name one organization."), code="too_many")
        return Organization.objects.filter(slug=slugs[0]).first() if slugs else None

    def clean_languages(self) -> list[str]:
        text = self.cleaned_data["languages"] or ""
        return [tag for tag in re.split(r"[\s,;]+", text.strip()) if tag]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        host = data.pop("organization")
        visit, other = data.pop("visit"), data.pop("counterpart")
        data.pop("submission_key", None)
        data["sender"] = data["receiver"] = None
        if data["kind"] == Meeting.Kind.DELEGATION:
            data["sender"], data["receiver"] = (
                (host, other) if visit == "sends" else (other, host) if visit else (None, None)
            )
        return {"organization": host, **data}


class MeetingEditForm(MeetingForm):
    """What the host may change before the meeting: not who hosts it, nor its kind."""

    GROUPS: Groups = (
        (_("What"), ("title", "description", "language_confirmed")),
        (_("When"), WHEN),
        (_("Where"), ("place", "online_link", "languages")),
        (_("Who sees it"), ("visibility",)),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
        kwargs["initial"] = {
            "title": meeting.title,
            "description": meeting.description,
            "start": meeting.start_at.astimezone(zone).replace(tzinfo=None),
            "end": meeting.end_at.astimezone(zone).replace(tzinfo=None),
            "time_zone": meeting.time_zone,
            "place": meeting.place,
            "online_link": meeting.online_link,
            "languages": ", ".join(meeting.languages),
            "visibility": meeting.visibility,
        }
        super().__init__(*args, organizations=[meeting.organization], **kwargs)
        for name in ("organization", "kind", "visit", "counterpart", "submission_key", "language"):
            del self.fields[name]
        self.fields["time_zone"].initial = None

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DelegateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        user = obj.user
        return f"{user.name} ({user.email})" if user.name else user.email


class AnswerForm(forms.Form):
    """Accept, naming delegates among the organization's people, or decline. Declining an
    invitation accepted before withdraws the delegates: it asks to be confirmed."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("We take part")), ("decline", _("We do not take part"))],
        widget=forms.RadioSelect,
    )
    delegates = DelegateChoiceField(
        label=_("Delegates"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who represents the organization: at least one, when it takes part."),
    )
    note = forms.CharField(
        label=_("Note to the host"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw our acceptance and our delegates"), required=False
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[Organization],
        people: Any,
        accepted: bool,
        tentative: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Answering for"))
        if tentative:  # a meeting of another server: its host takes a "maybe"
            field = self.fields["answer"]
            field.choices = [*field.choices, ("tentative", _("Maybe"))]  # type: ignore[attr-defined]
        self.fields["delegates"].queryset = people  # type: ignore[attr-defined]
        self.accepted = accepted
        if not accepted:
            del self.fields["confirm"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        withdrawing = data.get("answer") in ("decline", "tentative")
        if withdrawing and self.accepted and not data.get("confirm"):
            self.add_error(
                "confirm",
                forms.ValidationError(
                    _("This answer withdraws your acceptance: tick the box to confirm."),
                    code="confirm_required",
                ),
            )
        return data


def planned_participants(form: MeetingForm) -> dict[str, Any]:
    """Who takes part in a meeting being planned, as far as the form says: the host and, for a
    delegation visit, the organization on the other side (timing.py)."""
    data = getattr(form, "cleaned_data", {})
    other = data.get("counterpart") if data.get("kind") == Meeting.Kind.DELEGATION else None
    return {"host": data.get("organization"), "organizations": [other] if other else []}
