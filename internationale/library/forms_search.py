"""The library's search form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.search import words
from internationale.organizations.reference import language_name
from internationale.translation import detection

from .models import Document
from .search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "In any language: documents written in another one are found by their meaning."
        ),
    )
    language = forms.ChoiceField(label=_("Written in"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Document.Kind.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = sorted((code, language_name(code)) for code in detection.languages())
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Any language")),
            *sorted(languages, key=lambda option: option[1].casefold()),
        ]

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if not words(query):
            raise forms.ValidationError(_("Type at least one word: letters or digits."))
        return query
