from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.accounts.models import User
from internationale.core.notices import label as notices_label
from internationale.core.notices import registered_kinds
from internationale.organizations.models import Membership, Organization

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
        help_text=_("Replaces every choice below, by kind and by organization."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = email_choices(user.pk).get((None, ""), EmailPreference.Mode.NOW)
        self.fields["everything"].initial = mode


class EmailPreferencesForm(forms.Form):
    """A person's notice e-mails: for each kind of notice, in all their organizations; and, for
    each organization they speak for, one choice for all its notices or "as chosen by kind".
    Each a choice of at once, in a daily digest, or never; shown as it applies now (at once when
    nothing is chosen)."""

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
        self.chosen = email_choices(user.pk)
        everywhere = self.chosen.get((None, ""), EmailPreference.Mode.NOW)
        self.kinds = registered_kinds()
        self.groups: dict[str, list[str]] = {}
        for name, kind in self.kinds.items():
            field = f"kind_{name}"
            self.fields[field] = forms.ChoiceField(
                label=str(kind.label),
                choices=EmailPreference.Mode.choices,
                initial=self.chosen.get((None, name), everywhere),
                widget=forms.RadioSelect,
            )
            self.groups.setdefault(str(kind.group or _("Other notices")), []).append(field)
        for pk, organization in self.organizations.items():
            self.fields[f"organization_{pk}"] = forms.ChoiceField(
                label=organization.display_name,
                choices=[(BY_KIND, _("as chosen by kind")), *EmailPreference.Mode.choices],
                initial=self.chosen.get((pk, ""), BY_KIND),
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any] | None:
        # A choice for an organization the person does not speak for, or for no kind of notice,
        # is not silently left out: nothing is saved.
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

    def kind_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The kinds under their headings: the headings of most kinds first, then in the order
        the apps declared them; the kinds of each in that order."""
        groups = sorted(self.groups.items(), key=lambda group: -len(group[1]))
        return [(legend, [self[f] for f in fields]) for legend, fields in groups]

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
