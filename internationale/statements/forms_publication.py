"""The form of a version of an adopted statement in another language."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import split_paragraphs


class TranslationForm(forms.Form):
    language = forms.CharField(
        label=_("Language"),
        max_length=35,
        help_text=_("A language tag, such as fr, ar or pt-BR."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=4_000_000,
        widget=forms.Textarea(attrs={"rows": 16, "dir": "auto"}),
        help_text=_(
            "One paragraph for each paragraph of the adopted text, in the same order, separated "
            "by a blank line. Markdown."
        ),
    )

    def __init__(self, *args: Any, changing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if changing:
            # A version keeps its language: to enter another, add one.
            del self.fields["language"]

    def service_fields(self) -> dict[str, Any]:
        fields = {
            "title": self.cleaned_data["title"],
            "paragraphs": split_paragraphs(self.cleaned_data["text"]),
        }
        if "language" in self.fields:
            fields["language"] = self.cleaned_data["language"]
        return fields
