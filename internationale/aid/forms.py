"""Forms for the material aid pages. They parse what people type; the services validate and
write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.organizations.forms import SubmissionForm


class ContributionForm(SubmissionForm):
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=14, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("An ISO 4217 code.")
    )
    goods = forms.CharField(
        label=_("Goods"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("A transfer reference, a waybill."),
    )

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_key"}


class ConfirmReceiptForm(forms.Form):
    """Confirm receipt. The page ticks "completes the pledge" when the aid covers the amount
    pledged; the issuer may change it. A form that did not show the box (`decides` missing)
    leaves the decision to the automatic rule."""

    completes_pledge = forms.BooleanField(label=_("This completes the pledge"), required=False)
    decides = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def completes(self) -> bool | None:
        if not self.cleaned_data.get("decides"):
            return None
        return bool(self.cleaned_data.get("completes_pledge"))
