from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from internationale.accounts.models import User
from internationale.core.notices import label as notices_label
from internationale.core.notices import registered_kinds
from internationale.organizations.models import Membership, Organization

from .email_groups import KindGroup
from .models import EmailPreference
from .selectors import email_choices


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


# "As chosen by kind": an organization with no choice of its own (see EmailPreference).
BY_KIND = "kinds"


class EmailEverythingForm(forms.Form):
    """One choice for every kind of notice of every organization: it replaces all the others."""

    everything = forms.ChoiceField(
        label=_("E-mail me every notice of every organization"),
        choices=EmailPreference.Mode.choices,
        help_text=_("Replaces every other choice, by kind and by organization."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = email_choices(user.pk).get((None, ""), EmailPreference.Mode.NOW)
        self.fields["everything"].initial = mode


def _speaking(user: User) -> QuerySet[Membership]:
    """The person's memberships whose organizations' notices may be e-mailed to them: they are its
    secretary or admin."""
    return Membership.objects.filter(
        user=user, role__in=[Membership.Role.SECRETARY, Membership.Role.ADMIN]
    )


def speaks(user: User) -> bool:
    return _speaking(user).exists()


def spoken_for(user: User) -> dict[int, Organization]:
    """The organizations whose notices may be e-mailed to this person, by id, by name."""
    return {
        m.organization_id: m.organization
        for m in _speaking(user).select_related("organization").order_by("organization__name")
    }


class _EmailChoicesForm(forms.Form):
    """Choices of notice e-mails, each of at once, in a daily digest, or never, shown as they
    apply now (at once when nothing is chosen). A choice the form does not hold (another page's
    kind, an organization the person does not speak for) is not silently left out: nothing is
    saved."""

    organizations: dict[int, Organization]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {}
        self.chosen = email_choices(user.pk)

    def clean(self) -> dict[str, Any] | None:
        unknown = [
            name
            for name in self.data
            if name.startswith(("kind_", "organization_")) and name not in self.fields
        ]
        if unknown:
            raise forms.ValidationError(
                _("There is no such kind of notice or organization of yours."), code="unknown"
            )
        return super().clean()

    def changes(self) -> list[tuple[Organization | None, str, str]]:
        """What the person changed, as (organization or None, kind or "", mode) for
        email_preference_set; a blank mode takes back an organization's own choice."""
        changes: list[tuple[Organization | None, str, str]] = []
        for field in self.changed_data:
            value = self.cleaned_data[field]
            if field.startswith("kind_"):
                changes.append((None, field.removeprefix("kind_"), value))
            else:
                organization = self.organizations[int(field.removeprefix("organization_"))]
                changes.append((organization, "", "" if value == BY_KIND else value))
        return changes


class KindEmailsForm(_EmailChoicesForm):
    """The notice e-mails of the kinds under one heading (one app's), in all the person's
    organizations."""

    def __init__(self, *args: Any, user: User, group: KindGroup, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        everywhere = self.chosen.get((None, ""), EmailPreference.Mode.NOW)
        kinds = registered_kinds()
        for name in group.kinds:
            self.fields[f"kind_{name}"] = forms.ChoiceField(
                label=str(kinds[name].label),
                choices=EmailPreference.Mode.choices,
                initial=self.chosen.get((None, name), everywhere),
                widget=forms.RadioSelect,
            )


class OrganizationEmailsForm(_EmailChoicesForm):
    """For each organization the person speaks for, one choice for all its notices, or "as
    chosen by kind"."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.organizations = spoken_for(user)
        for pk, organization in self.organizations.items():
            self.fields[f"organization_{pk}"] = forms.ChoiceField(
                label=organization.display_name,
                choices=[(BY_KIND, _("as chosen by kind")), *EmailPreference.Mode.choices],
                initial=self.chosen.get((pk, ""), BY_KIND),
                widget=forms.RadioSelect,
            )

    def organization_rows(self) -> list[tuple[forms.BoundField, list[tuple[str, str]]]]:
        """Each organization's field, and the kinds chosen for it alone: (label, mode label)."""
        modes = dict(EmailPreference.Mode.choices)
        rows = []
        for pk in self.organizations:
            kinds = [
                (notices_label(kind), str(modes.get(mode, mode)))
                for (organization, kind), mode in self.chosen.items()
                if organization == pk and kind
            ]
            rows.append((self[f"organization_{pk}"], kinds))
        return rows
