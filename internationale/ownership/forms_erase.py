"""Forms of the emergency erase pages: they parse; the services in erase.py decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

PROFILE_CHOICES = [
    ("keep", _("Keep the public profile (name, description, logo, languages, sectors)")),
    (
        "erase",
        _("Erase the public profile too: the organization stays only as “Erased organization”"),
    ),
]
UNDERSTOOD = _(
    "I understand that the erase cannot be undone: what it removes cannot be brought back by "
    "anyone, operators included."
)


class EraseRequestForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("The public profile"),
        choices=PROFILE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Public appeals, documents, meetings and statements stay in either case."),
    )
    understood = forms.BooleanField(label=UNDERSTOOD)


class EraseConfirmForm(forms.Form):
    understood = forms.BooleanField(label=UNDERSTOOD)
