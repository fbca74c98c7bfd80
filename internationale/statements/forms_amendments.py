"""Forms for amendments and versions. They parse what people type; the services
(statements/amendments.py) validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm
from internationale.organizations.models import Organization

from .models import Amendment

TEXT = forms.Textarea(attrs={"rows": 5, "dir": "auto"})


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return obj.name


class ProposeForm(SubmissionForm):
    organization = OrganizationChoiceField(
        label=_("For"), queryset=Organization.objects.none(), to_field_name="slug"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    paragraph = forms.IntegerField(
        label=_("Paragraph"),
        min_value=0,
        help_text=_("Its number in the current version; 0 inserts before the first."),
    )
    kind = forms.ChoiceField(
        label=_("Change"), choices=Amendment.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Proposed text"),
        required=False,
        max_length=10_000,
        widget=TEXT,
        help_text=_("In Markdown. Leave empty to delete the paragraph."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=TEXT)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        if len(organizations) == 1:
            field.initial = organizations[0].slug
            field.widget = forms.HiddenInput()


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept it: a new version is made with it")),
            ("merge", _("Merge it by hand: a new version with the paragraph as written below")),
            ("reject", _("Reject it, with a reason")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Merged paragraph"),
        required=False,
        max_length=10_000,
        widget=TEXT,
        help_text=_("Only to merge by hand."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=TEXT,
        help_text=_("Needed to reject; told to the proposer."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the amendment and confirm this decision."), required=True
    )


class RebaseForm(forms.Form):
    paragraph = forms.IntegerField(
        label=_("Paragraph"),
        min_value=0,
        help_text=_("Its number in the current version; 0 inserts before the first."),
    )
    kind = forms.ChoiceField(
        label=_("Change"), choices=Amendment.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Proposed text"), required=False, max_length=10_000, widget=TEXT)
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=TEXT)


class ReviseForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=400 * 10_000,
        widget=forms.Textarea(attrs={"rows": 20, "dir": "auto"}),
        help_text=_("The whole text in Markdown, paragraphs separated by a blank line."),
    )
    note = forms.CharField(
        label=_("What changed, and why"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
