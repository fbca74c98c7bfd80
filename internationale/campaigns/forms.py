"""Forms for the campaign pages. They parse what people type; the services validate and write."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from internationale.addressing.forms import CriteriaForm
from internationale.core.forms import Fieldset, SubmissionForm, add_service_errors, fieldsets
from internationale.organizations.models import Organization

from .models import Campaign
from .services import TargetIn
from .signing import LIMITS

__all__ = ["CriteriaForm", "add_service_errors"]

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} · {cast(Country, obj.country).name}"


def _speaking_for(form: forms.BaseForm, organizations: list[Organization], label: Any) -> None:
    """The organization the person acts for: a choice when there are several, else fixed."""
    field = OrganizationChoiceField(
        label=label,
        queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
        to_field_name="slug",
    )
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        field.initial = organizations[0].slug
    form.fields = {"organization": field, **form.fields}


class CampaignForm(SubmissionForm):
    """Preparing a campaign (and, without its organization, changing one)."""

    GROUPS = (
        (_("What"), ("kind", "title", "text", "language", "language_confirmed")),
        (_("When and how much"), ("starts_at", "ends_at", "goal")),
        (_("Delivery to the targets"), ("delivery", "delivery_every")),
    )

    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the letter or petition"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown. What every signer signs; it cannot change once launched."),
    )
    language = forms.CharField(
        label=_("Written in"),
        max_length=35,
        help_text=_(
            "The language of the text, as a BCP 47 tag (es, pt-BR). Readers read it in theirs "
            "when there is a version, marked as a translation."
        ),
    )
    # Shown when the language detected in the text is not the one given (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The text is written in this language"),
        required=False,
        widget=forms.HiddenInput,
    )
    starts_at = forms.DateTimeField(label=_("Signatures from"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Signatures until"), widget=DATETIME_INPUT)
    goal = forms.IntegerField(
        label=_("Goal"), min_value=1, max_value=100_000_000, help_text=_("Signatures aimed for.")
    )
    delivery = forms.ChoiceField(
        label=_("Send the signatures to the targets"),
        choices=Campaign.Delivery.choices,
        widget=forms.RadioSelect,
        initial=Campaign.Delivery.EVERY,
    )
    delivery_every = forms.IntegerField(
        label=_("Signatures per message"),
        min_value=1,
        max_value=1_000_000,
        initial=100,
        help_text=_("When sending by number: one message to the targets per this many."),
    )
    appeal = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organizations: list[Organization] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            _speaking_for(self, organizations, _("Organizing organization"))

    @property
    def fieldsets(self) -> list[Fieldset]:
        # Read when shown: the language confirmation may have been offered since.
        return fieldsets(self, self.GROUPS)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "kind",
                "title",
                "text",
                "language",
                "language_confirmed",
                "starts_at",
                "ends_at",
                "goal",
                "delivery",
                "delivery_every",
            )
        }
        if "organization" in self.fields:
            fields["organization"] = data["organization"]
        return fields


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Target's name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Its e-mail address"), max_length=254, required=False)
    postal_address = forms.CharField(
        label=_("Its postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


TargetFormSet = forms.formset_factory(
    TargetForm, extra=2, max_num=20, absolute_max=20, validate_max=True
)


def targets_of(formset: forms.BaseFormSet) -> list[TargetIn]:
    return [
        TargetIn(
            name=f.cleaned_data.get("name", ""),
            email=f.cleaned_data.get("email", ""),
            postal_address=f.cleaned_data.get("postal_address", ""),
        )
        for f in formset.forms
        if f.cleaned_data
    ]


class SponsorAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("We co-sponsor it")), ("decline", _("We do not co-sponsor it"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Answering for"))


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(code, str(name)) for code, name in countries]]


class SignForm(forms.Form):
    """The public's form: no account. Every box is left unticked until the signer ticks it."""

    # What the targets receive with the letter (exports.TARGET_FIELDS, the delivery's CSV and
    # PDF) is said at each field, and what they never receive too.
    first_name = forms.CharField(
        label=_("First name"),
        max_length=LIMITS["first_name"],
        help_text=_("Sent to the targets with the letter or petition."),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=LIMITS["last_name"],
        required=False,
        help_text=_("Sent to the targets with the letter or petition."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=LIMITS["email"],
        help_text=_(
            "We send you a link to confirm your signature: it counts once confirmed. Never sent "
            "to the targets; the organizations you tick below see it."
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        help_text=_("Sent to the targets with the letter or petition."),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=LIMITS["city"],
        required=False,
        help_text=_("Sent to the targets with the letter or petition."),
    )
    union = forms.CharField(
        label=_("Union"),
        max_length=LIMITS["union"],
        required=False,
        help_text=_("If you belong to one. Sent to the targets with the letter or petition."),
    )
    language = forms.ChoiceField(
        label=_("Your language"),
        choices=settings.LANGUAGES,
        help_text=_("Of the e-mails you receive about this campaign. Not sent to the targets."),
    )
    show_publicly = forms.BooleanField(
        label=_("Show my first name and country on this page"), required=False
    )
    wants_news = forms.BooleanField(label=_("Send me news of this campaign"), required=False)
    consents = forms.TypedMultipleChoiceField(
        label=_("I agree to be contacted by"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each organization sees your name and address only if you tick it."),
    )

    def __init__(self, *args: Any, consent_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consents"].choices = consent_choices  # type: ignore[attr-defined]
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
