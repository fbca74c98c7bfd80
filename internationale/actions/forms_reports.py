"""Forms of reports back and the callers' approval. They parse what people type; the services
(reports.py) validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm

from .models import MAX_PARTICIPANTS, Report
from .reports import MAX_PHOTOS


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos at once: a list of uploads (possibly empty)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(
                attrs={"accept": "image/jpeg,image/png,image/gif,image/webp", "multiple": True}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ReportForm(SubmissionForm):
    """What happened at the action, its outcome, its participants, press coverage and photos."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Report.Outcome.choices)
    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        help_text=_(
            "As your organization counted them. The report says the figure is yours; leave it "
            "empty if you have none."
        ),
    )
    text = forms.CharField(
        label=_("What happened"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Markdown is allowed (*emphasis*, lists, links)."),
    )
    language = forms.CharField(
        label=_("Language of the report"),
        required=False,
        max_length=35,
        help_text=_("A language tag, such as en, ko or nl."),
    )
    press_links = forms.CharField(
        label=_("Press coverage"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_("Addresses of articles about the action, one a line (at most ten)."),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "JPEG, PNG, GIF or WebP, at most 10 MB each and %(n)d in all. Their metadata (the "
            "place and time they were taken, the camera) is removed. The people who can be "
            "recognized in them are your organization's responsibility: show no one who has not "
            "agreed to be shown, or whom showing would put at risk."
        )
        % {"n": MAX_PHOTOS},
    )
    caption = forms.CharField(
        label=_("Caption of the photos added"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "participants": data["participants"],
            "text": data["text"],
            "language": data["language"],
            "press_links": data["press_links"],
            "photos": [(f, data["caption"]) for f in data["photos"]],
        }


class ApproveForm(forms.Form):
    """Which caller approves (for a person who speaks for several)."""

    organization = forms.TypedChoiceField(label=_("Approve for"), coerce=int)

    def __init__(self, *args: Any, organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.pk, o.name) for o in organizations]
        if len(organizations) == 1:
            field.initial = organizations[0].pk


class WithdrawForm(ApproveForm):
    """Which caller's approval is withdrawn (for a person who speaks for several)."""

    def __init__(self, *args: Any, organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, organizations=organizations, **kwargs)
        self.fields["organization"].label = _("Withdraw the approval of")
