"""Form helpers for every app: forms parse what people type; services validate and write."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _new_key() -> str:
    return uuid.uuid4().hex


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def offer_language_confirmation(form: forms.BaseForm, error: ValidationError) -> None:
    """After a service refused a text whose detected language is not the one it should be in
    (code "language_unconfirmed", translation/detection.py): show the form's hidden
    `language_confirmed` box, so that the author can confirm."""
    refused = getattr(error, "error_dict", {}).values()
    if any(e.code == "language_unconfirmed" for errors in refused for e in errors):
        form.fields["language_confirmed"].widget = forms.CheckboxInput()


class SubmissionForm(forms.Form):
    """A form that creates something. The key is generated when the form is shown, so the same
    submission sent twice creates one object (see core.idempotency.once)."""

    submission_key = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=100, initial=_new_key
    )


class ParseOnlyModelForm(forms.ModelForm):
    """Fields, labels and initial values from the model; no validation or saving of the instance,
    which belong to the service (full_clean and the write happen there)."""

    def _post_clean(self) -> None:
        pass


@dataclass(frozen=True)
class Fieldset:
    """Fields shown together under a legend (includes/form_fields.html); no legend, no box."""

    legend: Any  # a (lazy) translated string, or None
    fields: list[forms.BoundField]


def fieldsets(form: forms.BaseForm, groups: Sequence[tuple[Any, Sequence[str]]]) -> list[Fieldset]:
    """The visible fields of a form in `groups` of (legend, field names), in that order; the fields
    of no group (a choice of organization, say) come first, without a legend."""
    grouped = {name for _legend, names in groups for name in names}
    visible = [field for field in form.visible_fields() if field.name not in grouped]
    result = [Fieldset(None, visible)] if visible else []
    for legend, names in groups:
        fields = [form[n] for n in names if n in form.fields and not form[n].is_hidden]
        if fields:
            result.append(Fieldset(legend, fields))
    return result


FOLDS = [
    ("", _("It does not happen twice")),
    ("0", _("The first time (before the clocks go back)")),
    ("1", _("The second time (after the clocks go back)")),
]
FOLD_HELP = _(
    "Only when the clocks go back that night and this time happens twice: say which is meant."
)


def _fold(value: str) -> int | None:
    return int(value) if value in ("0", "1") else None


def fold_field(label: Any) -> forms.TypedChoiceField:
    """Which of the two showings of a wall time the clocks show twice is meant (core/zones.py's
    `fold`), for a form that takes local times of a place."""
    return forms.TypedChoiceField(
        label=label,
        choices=FOLDS,
        coerce=_fold,
        empty_value=None,
        required=False,
        help_text=FOLD_HELP,
    )
