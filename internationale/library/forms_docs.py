"""Forms of the library's document pages. They parse what people type; the services validate and
write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.addressing.forms import CriteriaForm
from internationale.core.forms import SubmissionForm, add_service_errors
from internationale.core.models import Visibility
from internationale.core.text import sort_key
from internationale.organizations.models import Organization
from internationale.organizations.reference import language_name
from internationale.translation import detection

from .models import Document

# Addressing uses the routing step's form, shared by everything addressed.
__all__ = ["CriteriaForm", "add_service_errors"]


def language_choices() -> list[tuple[str, str]]:
    """The languages content is written in on this server, by name in the reader's language."""
    return sorted(
        ((code, language_name(code)) for code in detection.languages()),
        key=lambda choice: sort_key(choice[1]),
    )


def _tags_text(value: str) -> list[str]:
    return [name.strip() for name in (value or "").split(",") if name.strip()]


class DocumentFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: *emphasis*, lists, [links](https://example.org)."),
    )
    language = forms.ChoiceField(
        label=_("Language it is written in"),
        help_text=_("Checked against the language detected in the text."),
    )
    language_confirmed = forms.BooleanField(
        label=_("Yes, it is written in the language chosen above"),
        required=False,
        widget=forms.HiddenInput,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        help_text=_(
            "Addressed: your organization and the organizations you address it to, chosen next."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1500,
        help_text=_("Words it is filed under, separated by commas: health and safety, ports."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def ask_to_confirm_language(self) -> None:
        """After the service found the text in another language: offer the confirmation."""
        self.fields["language_confirmed"].widget = forms.CheckboxInput()

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data.pop("organization", None)
        data["tags"] = _tags_text(data.get("tags", ""))
        return data


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return obj.name


class DocumentForm(SubmissionForm, DocumentFields):
    """A new document, for one of the verified organizations the person speaks for."""

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = OrganizationChoiceField(
            label=_("Author organization"),
            queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
            to_field_name="slug",
        )
        if len(organizations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organizations[0].slug
        self.fields = {"organization": field, **self.fields}


class DocumentEditForm(DocumentFields):
    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        initial = {name: getattr(document, name) for name in ("kind", "title", "summary", "body")}
        initial |= {"language": document.language, "visibility": document.visibility}
        initial["tags"] = ", ".join(tag.name for tag in document.tags.all())
        super().__init__(*args, initial=initial, **kwargs)
        choices = dict(self.fields["language"].choices)  # type: ignore[attr-defined]
        if document.language not in choices:  # a tag written through the API, kept as it is
            self.fields["language"].choices = [  # type: ignore[attr-defined]
                (document.language, language_name(document.language)),
                *choices.items(),
            ]


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, ODT, DOCX or plain text, at most 5 MB; its text is read for search."),
    )


class ListFilterForm(forms.Form):
    """The filters of the library's list, from the query string."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Document.Kind.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(
        self, *args: Any, tags: list[Any], organizations: list[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["language"].choices = [("", _("Any language")), *language_choices()]
        fields["organization"].choices = [
            ("", _("Any organization")),
            *((o.slug, o.name) for o in organizations),
        ]
        fields["tag"].choices = [("", _("Any tag")), *((t.slug, t.name) for t in tags)]


class DigestForm(forms.Form):
    weekly = forms.BooleanField(
        label=_("Send me a weekly e-mail of the documents added that I may read"), required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Only these kinds"),
        required=False,
        choices=Document.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Only these languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
