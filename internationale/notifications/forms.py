from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.accounts.models import User
from internationale.organizations.models import Membership, Organization

from .models import EmailPreference
from .selectors import email_modes


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An https address on the public internet. Each delivery is a POST signed by the "
            "Standard Webhooks convention with the secret shown once after you add it."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )


class EmailPreferencesForm(forms.Form):
    """For each organization the person speaks for: e-mail me at once, in a daily digest, never."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {
            m.organization_id: m.organization
            for m in Membership.objects.filter(
                user=user, role__in=[Membership.Role.SECRETARY, Membership.Role.ADMIN]
            )
            .select_related("organization")
            .order_by("organization__name")
        }
        mode_of = email_modes({user.pk}, set(self.organizations))
        for pk, organization in self.organizations.items():
            self.fields[f"organization_{pk}"] = forms.ChoiceField(
                label=_("E-mail me the notices of %(org)s") % {"org": organization.display_name},
                choices=EmailPreference.Mode.choices,
                initial=mode_of(user.pk, pk, ""),
            )

    def choices(self) -> list[tuple[Organization, str]]:
        return [
            (organization, self.cleaned_data[f"organization_{pk}"])
            for pk, organization in self.organizations.items()
        ]
