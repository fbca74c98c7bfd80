"""Forms for calling positions, stating one, signing and declining a signature. They parse what
people type; the services (statements/consensus.py) validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm
from internationale.organizations.models import Organization

from .consensus import MAX_TEXT
from .models import Position

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return obj.name


class CallPositionsForm(forms.Form):
    positions_until = forms.DateTimeField(
        label=_("Deadline for positions"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("In your time zone. Leave it empty to keep the current deadline."),
    )


class PositionForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        empty_label=None,
        help_text=_("The participating organization whose position this is."),
    )
    # The version the form showed: a position on another one is refused as outdated.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stance = forms.ChoiceField(
        label=_("Position"), choices=Position.Stance.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Reservations or reason"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Required to agree with reservations and to block."),
    )
    publish_reservations = forms.BooleanField(
        label=_("Publish our reservations with the adopted statement"), required=False
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by(
            "name"
        )


class SignForm(SubmissionForm):
    organization = OrganizationChoiceField(
        label=_("Sign for"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        empty_label=None,
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by(
            "name"
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline it"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The organization reads it. It will not be able to sign again."),
    )
