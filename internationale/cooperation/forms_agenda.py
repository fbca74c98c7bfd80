"""Forms for the agenda and minutes pages. They parse what people type; agenda.py and minutes.py
validate and write."""

import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core import uploads
from internationale.core.forms import SubmissionForm
from internationale.organizations.models import Organization

from .forms import DATETIME_INPUT, LocalDateTimeField, OrganizationChoiceField, _speaking_for
from .models import AgendaItem, Meeting


class AgendaItemForm(SubmissionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Shown when the language detected in the texts is not the meeting's (agenda.py).
    language_confirmed = forms.BooleanField(
        label=_("The item is written in the meeting's language"),
        required=False,
        widget=forms.HiddenInput,
    )
    # Any organization is parsed; the service says when it does not take part in the meeting.
    rapporteur = OrganizationChoiceField(
        label=_("Rapporteur"),
        required=False,
        queryset=Organization.objects.all(),
        to_field_name="slug",
        help_text=_("The organization that introduces the item: the host or a participant."),
    )
    start = LocalDateTimeField(
        label=_("From"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Optional, at the time where the meeting is held."),
    )
    end = LocalDateTimeField(label=_("Until"), required=False, widget=DATETIME_INPUT)

    def __init__(
        self,
        *args: Any,
        participants: list[Organization],
        item: AgendaItem | None = None,
        **kwargs: Any,
    ) -> None:
        if item is not None:
            zone = zoneinfo.ZoneInfo(item.meeting.time_zone)
            kwargs["initial"] = {
                "title": item.title,
                "description": item.description,
                "rapporteur": item.rapporteur.slug if item.rapporteur else None,
                "start": item.starts_at.astimezone(zone).replace(tzinfo=None)
                if item.starts_at
                else None,
                "end": item.ends_at.astimezone(zone).replace(tzinfo=None) if item.ends_at else None,
            }
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].widget.choices = [("", "—")] + [
            (o.slug, o.name) for o in participants
        ]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in uploads.EVIDENCE_TYPES)}
        ),
        # Checked by its size and content in the service (agenda_document_add).
        help_text=_(
            "A link or a file: PDF, JPEG, PNG, GIF, WebP, plain text, ODT or DOCX, at most 5 MB. "
            "Only those who may see the meeting can open it."
        ),
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown. What was said and decided on this item."),
    )
    # Shown when the language detected in the texts is not the meeting's (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The minutes are written in the meeting's language"),
        required=False,
        widget=forms.HiddenInput,
    )


class SubmitMinutesForm(forms.Form):
    deadline = LocalDateTimeField(
        label=_("Approval deadline"),
        widget=DATETIME_INPUT,
        help_text=_(
            "At the time where the meeting is held. Past it, with no correction open, the "
            "minutes are frozen."
        ),
    )


class ParticipantForm(forms.Form):
    """Acting for one of the viewer's organizations that took part."""

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Your organization"))


class CorrectionForm(ParticipantForm):
    item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none())
    text = forms.CharField(
        label=_("Proposed text"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The item's minutes as your organization proposes them. Markdown."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting).order_by(  # type: ignore[attr-defined]
            "position", "pk"
        )


class AnswerCorrectionForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("accept", _("Accept: the proposed text replaces the minutes of the item")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject."),
    )


class MoveForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Later meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = choices  # type: ignore[attr-defined]
