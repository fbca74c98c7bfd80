from django import forms
from django.utils.translation import gettext_lazy as _


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An https address on the public internet. Each delivery is a POST signed with the "
            "secret shown once after you add it (HMAC-SHA256, header X-Internationale-Signature)."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
