"""Forms for agreements and tasks. They parse what people type; the services
(cooperation/agreements.py) validate and write."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from internationale.core import uploads
from internationale.core.forms import SubmissionForm
from internationale.organizations.models import Organization

from .models import Task

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return obj.name


class AgreementForm(SubmissionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What was agreed, in Markdown."),
    )
    parties = PartyChoiceField(
        label=_("Parties"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two of the organizations taking part in the meeting."),
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE_INPUT)

    def __init__(self, *args: Any, participants: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["parties"]
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in participants]).order_by(
            "name"
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data["parties"] = list(data["parties"])
        return data


class TaskForm(SubmissionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organization = forms.ModelChoiceField(
        label=_("Responsible organization"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        help_text=_("One of the agreement's parties."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)

    def __init__(self, *args: Any, parties: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        # Any organization may be named: one that is not a party is refused by the service, with
        # a clear error on this field.
        field.queryset = Organization.objects.all()
        field.widget.choices = [("", "—")] + [(o.slug, o.name) for o in parties]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Task.Status.OPEN, Task.Status.OPEN.label),
            (Task.Status.IN_PROGRESS, Task.Status.IN_PROGRESS.label),
            (Task.Status.DROPPED, Task.Status.DROPPED.label),
        ],
    )
    reason = forms.CharField(
        label=_("Why it is dropped"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to drop the task, which closes it for good."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, drop the task for good"),
        required=False,
        help_text=_("Dropping cannot be undone."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Task.Status.DROPPED and not data.get("confirm"):
            self.add_error("confirm", _("Confirm that the task is dropped for good."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note on the progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    evidence_text = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_link = forms.URLField(
        label=_("Link to evidence"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        # Only a hint for the file picker: the content is checked in clean_evidence_file.
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in uploads.EVIDENCE_TYPES)}
        ),
        help_text=_(
            "PDF, JPEG, PNG, GIF, WebP, plain text, ODT or DOCX, at most 5 MB. Photos are stored "
            "without their metadata (place, camera, time); documents keep theirs. Only those who "
            "may see the task can open it."
        ),
    )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if not isinstance(upload, UploadedFile):
            return upload
        return uploads.checked_document(upload)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "evidence_text": data["evidence_text"],
            "evidence_link": data["evidence_link"],
            "evidence_file": data["evidence_file"] or None,
        }
