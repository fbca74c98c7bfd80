"""Forms for the appeal pages. They parse what people type; the services validate and write."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from internationale.addressing.forms import CriteriaForm
from internationale.addressing.selectors import CountryCount
from internationale.core import uploads
from internationale.core.forms import (
    Fieldset,
    ParseOnlyModelForm,
    SubmissionForm,
    add_service_errors,
    fieldsets,
)
from internationale.organizations.forms import OrganizationNamesField
from internationale.organizations.models import Employer, Organization
from internationale.organizations.reference import language_choices, sector_choices
from internationale.translation.detection import detected_language, language_unconfirmed

from . import extensions
from .models import Appeal, Pledge, SupportForm
from .services import DRAFT_FIELDS

# The routing step's form is addressing's, shared by everything addressed.
__all__ = ["CriteriaForm", "add_service_errors"]

EVIDENCE_MAX_BYTES = uploads.DOCUMENT_MAX_BYTES
# Documents people read, never anything a browser or a desktop would run, checked by their content
# (internationale/core/uploads.py). The evidence view serves them as attachments, with nosniff.
EVIDENCE_EXTENSIONS = list(uploads.EVIDENCE_TYPES)
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} · {cast(Country, obj.country).name}"


def _speaking_for(form: forms.BaseForm, organizations: list[Organization], label: Any) -> None:
    """The organization the person acts for: a choice when there are several, else fixed."""
    field = OrganizationChoiceField(
        label=label, queryset=Organization.objects.none(), to_field_name="slug"
    )
    field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        field.initial = organizations[0].slug
    form.fields = {"organization": field, **form.fields}


# Issuing ----------------------------------------------------------------------------------------


class AppealForm(ParseOnlyModelForm, SubmissionForm):
    # Shown in three groups, in the order an issuer thinks of them.
    GROUPS = (
        (_("What happened"), ("title", "situation", "text", "country", "place", "employer")),
        (
            _("What we ask"),
            (
                "asks_propaganda",
                "propaganda_details",
                "asks_sympathy",
                "sympathy_target",
                "sympathy_address",
                "asks_material_aid",
                "aid_goal_amount",
                "aid_goal_currency",
                "aid_goods",
                "deadline",
                "urgency",
                "escalation_threshold",
                "escalate_at",
            ),
        ),
        (_("Who sees it"), ("visibility", "language", "language_confirmed")),
    )
    # Shown when the language detected in the text is not the one chosen (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The language I chose is right"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Appeal
        fields = list(DRAFT_FIELDS)  # the same fields as the service edits, in this order
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "propaganda_details": forms.Textarea(attrs={"rows": 3}),
            "sympathy_address": forms.Textarea(attrs={"rows": 3}),
            "aid_goods": forms.Textarea(attrs={"rows": 3}),
            "deadline": DATETIME_INPUT,
            "escalate_at": DATETIME_INPUT,
        }
        help_texts = {
            "text": _("What happened, what is at stake, what you ask. Markdown: **bold**, links."),
            "aid_goal_currency": _("An ISO 4217 code: USD, EUR, NGN, BRL…"),
            "aid_goods": _("Or, instead of money: the goods needed."),
            "visibility": _(
                "Public: anyone, on the web and in the feed. Network: members of verified "
                "organizations. Addressed: only the organizations you send it to."
            ),
            "escalate_at": _(
                "For urgent appeals: if fewer organizations than expected have answered by then, "
                "the appeal is widened to the region, then to the whole network."
            ),
        }

    def __init__(
        self,
        *args: Any,
        organizations: list[Organization] | None = None,
        employers: Iterable[Employer] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["employer"].help_text = _(
            "A multinational in the shared directory: the appeal can go to the organizations at "
            "its other sites."
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            choices=[("", "—"), *language_choices(keep=[self.instance.language])],
            help_text=_("The language the appeal is written in."),
        )
        self.fields["aid_goal_currency"].widget.attrs.update({"size": 3, "maxlength": 3})
        self.fields["escalation_threshold"].required = False
        if self.instance.pk:
            del self.fields["submission_key"]  # editing creates nothing
        elif organizations is not None:
            _speaking_for(self, organizations, _("Issued by"))
            if len(organizations) == 1:
                self._prefill_from(organizations[0])

    def _prefill_from(self, organization: Organization) -> None:
        """A new appeal most often happens where its organization is and is written in its first
        language: both are filled in, to change when they are not."""
        self.initial.setdefault("country", organization.country)
        first_language = organization.languages.first()
        if first_language is not None:
            self.initial.setdefault("language", first_language.tag)

    def fieldsets(self) -> list[Fieldset]:
        return fieldsets(self, self.GROUPS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        confirm_language(self, [data.get("title") or "", data.get("text") or ""], data)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("submission_key", "organization", "language_confirmed")
        }
        data["escalation_threshold"] = data.get("escalation_threshold") or 0
        data["aid_goal_currency"] = data.get("aid_goal_currency") or ""
        return data


def confirm_language(
    form: forms.BaseForm,
    texts: list[str],
    data: dict[str, Any],
    *,
    field: str = "language",
    fixed: bool = False,
) -> None:
    """When the language detected in `texts` is not the one chosen, an error on `field` that
    names the detected one, and the box to confirm the choice shown, unless it was ticked.
    `fixed`: the language is not the author's to choose here (language_unconfirmed)."""
    declared = data.get("language") or ""
    if not declared or data.get("language_confirmed") or not any(texts):
        return
    detected = detected_language(texts, declared)
    if detected:
        form.fields["language_confirmed"].widget = forms.CheckboxInput()
        error = language_unconfirmed(detected, declared, field=field, fixed=fixed)
        form.add_error(field, error.error_dict[field])


class AddresseesForm(forms.Form):
    """More organizations to send a sent appeal to, named as people know them."""

    organizations = OrganizationNamesField(
        label=_("Organizations to add"),
        help_text=_(
            "One organization per line: its name, its short name or its address (e.g. gtl). "
            "Those that already received the appeal do not receive it again."
        ),
        error_messages={"required": _("Name at least one organization.")},
    )


# Answering --------------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    """An answer given for one of the addressee organizations the person speaks for."""

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Answer for"))


class DeclineForm(AnswerForm):
    reason = forms.CharField(
        label=_("Why the organization declines"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The issuing organization reads it."),
    )


class PassForm(AnswerForm):
    to = OrganizationChoiceField(
        label=_("Pass the appeal to"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
        help_text=_("A verified organization better placed to help. It receives the appeal."),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = targets  # type: ignore[attr-defined]


class PledgeForm(SubmissionForm):
    field_order = ["forms"]
    description = forms.CharField(
        label=_("What will be done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(label=_("By when"), required=False, widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Material aid in money: the amount, with its currency."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("An ISO 4217 code: USD, EUR, KRW…"),
    )
    goods = forms.CharField(
        label=_("Goods"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Material aid in kind: what will be sent."),
    )
    public = forms.BooleanField(
        label=_("Make this pledge public"),
        required=False,
        help_text=Pledge._meta.get_field("public").help_text,
    )
    # Offered only when campaigns were launched for the appeal (extensions.pledge_campaigns).
    campaign = forms.TypedChoiceField(
        label=_("Campaign"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("A pledge of sympathy may point to a campaign launched for this appeal."),
        error_messages={
            "invalid_choice": _("Choose one of the campaigns launched for this appeal.")
        },
    )

    # Checkboxes in a fieldset whose legend is the label (see includes/field.html). Declared
    # last: in the class body, its name hides the forms module from the fields below it.
    forms = forms.MultipleChoiceField(
        label=_("Forms of support"),
        choices=SupportForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more of the forms the appeal asks for."),
        error_messages={
            "required": _("Choose at least one form of support."),
            "invalid_choice": _("Choose among the forms the appeal asks for."),
        },
    )

    def __init__(
        self, *args: Any, organizations: list[Organization], appeal: Appeal, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _speaking_for(self, organizations, _("Pledge for"))
        # Only the forms the appeal asks for are offered (the service refuses the others).
        asked = appeal.asked_forms
        field = cast(forms.MultipleChoiceField, self.fields["forms"])
        field.choices = [(value, label) for value, label in SupportForm.choices if value in asked]
        if len(asked) == 1:
            field.initial = asked
        campaigns = extensions.pledge_campaigns(appeal) if SupportForm.SYMPATHY in asked else []
        if campaigns:
            choice = cast(forms.TypedChoiceField, self.fields["campaign"])
            choice.choices = [("", _("None")), *campaigns]
        else:
            del self.fields["campaign"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("submission_key", "organization"):
            data.pop(name, None)
        return data


class FulfilForm(forms.Form):
    evidence_text = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_link = forms.URLField(
        label=_("Link to evidence"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        # Only a hint for the file picker: the content is checked in clean_evidence_file.
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in EVIDENCE_EXTENSIONS)}
        ),
        help_text=_(
            "A photo, a letter, a receipt: PDF, JPEG, PNG, GIF, WebP, plain text, ODT or DOCX, at "
            "most 5 MB. Photos are stored without their metadata (place, camera, time); documents "
            "keep theirs. Only those who may see the pledge can open it."
        ),
    )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if not isinstance(upload, UploadedFile):
            return upload
        # Checked by its size and content; an image comes back re-encoded, without its metadata.
        return uploads.checked_document(upload, EVIDENCE_MAX_BYTES)


# The issuer's timeline and lifecycle -------------------------------------------------------------


class UpdateForm(SubmissionForm):
    text = forms.CharField(
        label=_("Update"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Every organization that answered gets it in its inbox."),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    # Shown when the language detected in the text is not the one chosen (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The language I chose is right"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, appeal: Appeal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appeal_language = appeal.language if appeal is not None else ""
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("The appeal's language")),
            *language_choices(keep=[self.appeal_language] if self.appeal_language else []),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        declared = data.get("language") or self.appeal_language
        confirm_language(self, [data.get("text") or ""], {**data, "language": declared})
        return data


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Appeal.Outcome.choices, widget=forms.RadioSelect
    )
    outcome_report = forms.CharField(
        label=_("Report on the outcome"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "For those who helped: what was won, what their support did. Markdown, in the "
            "appeal's language: it is translated with the appeal."
        ),
    )
    # Shown when the language detected in the report is not the appeal's (translation/detection.py).
    language_confirmed = forms.BooleanField(
        label=_("The report is written in the appeal's language"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, appeal: Appeal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appeal_language = appeal.language if appeal is not None else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        confirm_language(
            self,
            [data.get("outcome_report") or ""],
            {**data, "language": self.appeal_language},
            field="outcome_report",
            fixed=True,
        )
        return data


class AppealFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or place"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))]
        + [c for c in Appeal.Status.choices if c[0] != Appeal.Status.DRAFT],
    )
    situation = forms.ChoiceField(label=_("Situation"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Situation

        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = [("", _("Any situation")), *Situation.choices]  # type: ignore[attr-defined]
        self.fields["country"].choices = [("", _("Any country")), *countries]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [("", _("Any sector")), *sector_choices()]  # type: ignore[attr-defined]


class CountryShownForm(forms.Form):
    """Which country's organizations a long list shows: those of the list, with how many."""

    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, countries: Iterable[CountryCount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("All countries")),
            *((c.code, f"{c.name} ({c.count})") for c in countries),
        ]


class AddresseeFilterForm(CountryShownForm):
    """Which of an appeal's addressees the summary lists: by country, by answer."""

    answer = forms.ChoiceField(label=_("Answer"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Response
        from .selectors import NO_ANSWER

        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [  # type: ignore[attr-defined]
            ("", _("Any answer, or none")),
            (NO_ANSWER, _("No answer yet")),
            *Response.Kind.choices,
        ]
