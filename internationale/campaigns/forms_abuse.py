"""Forms of the operators' screening page: a pattern for the allow or block list, and which
signatures to invalidate."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .abuse import Selection
from .models import Campaign, ScreeningRule

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RuleForm(forms.Form):
    list = forms.ChoiceField(label=_("List"), choices=ScreeningRule.List.choices)
    kind = forms.ChoiceField(label=_("What it matches"), choices=ScreeningRule.Kind.choices)
    pattern = forms.CharField(
        label=_("Pattern"),
        max_length=254,
        help_text=_(
            "A domain (example.org, *.example.org), an address (*@example.org), or a network "
            "(203.0.113.0/24). * matches anything; case does not matter."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class InvalidateForm(forms.Form):
    """Which signatures: by e-mail domain or by client address (the hash the trends show),
    within a window, of one campaign (its number) or of all."""

    domain = forms.CharField(label=_("E-mail domain"), max_length=253, required=False)
    client_hash = forms.CharField(
        label=_("Client address (hashed)"),
        max_length=64,
        required=False,
        help_text=_("As the list of addresses trending shows it."),
    )
    campaign = forms.IntegerField(
        label=_("Campaign number"),
        required=False,
        min_value=1,
        help_text=_("Empty: every campaign."),
    )
    since = forms.DateTimeField(label=_("Signed from"), widget=DATETIME_INPUT)
    until = forms.DateTimeField(label=_("Signed until"), widget=DATETIME_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Kept with each signature and in the audit log."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["since"].initial = now - datetime.timedelta(hours=1)
        self.fields["until"].initial = now + datetime.timedelta(minutes=1)

    def clean_campaign(self) -> Campaign | None:
        pk = self.cleaned_data.get("campaign")
        if pk is None:
            return None
        campaign = Campaign.objects.filter(pk=pk).first()
        if campaign is None:
            raise forms.ValidationError(_("No campaign has this number."), code="not_found")
        return campaign

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            since=data["since"],
            until=data["until"],
            domain=(data.get("domain") or "").strip().lower(),
            client_hash=(data.get("client_hash") or "").strip(),
            campaign=data.get("campaign"),
        )
