"""The organizer's form for news and the result."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CampaignUpdate


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CampaignUpdate.Kind.choices, initial=CampaignUpdate.Kind.NEWS
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", "—"), *CampaignUpdate.Result.choices],
        required=False,
        help_text=_("For the result only."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Sent by e-mail to the signers who asked for news."),
    )
