"""Forms of the people who translate: the pairs one volunteers for, and a translation written side
by side with the original."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.organizations.reference import language_choices

from .people import Work


class VolunteerForm(forms.Form):
    source_language = forms.ChoiceField(label=_("From"), choices=language_choices)
    target_language = forms.ChoiceField(
        label=_("Into"),
        choices=language_choices,
        help_text=_(
            "You are told of requests from the first language into the second, in any of their regional variants."
        ),
    )


class TranslationForm(forms.Form):
    """One field per text of the original, prefilled with the draft (the machine's version when
    reviewing); the hash of the original as the translator saw it travels with the form."""

    source_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, data: Any, *, work: Work, labels: dict[str, str]) -> None:
        super().__init__(data, initial={"source_hash": work.source_hash, **work.draft})
        self.work = work
        for name, text in work.texts.items():
            long = name in work.markdown or "\n" in text or len(text) > 200
            self.fields[name] = forms.CharField(
                label=labels.get(name, name),
                required=bool(text.strip()),
                strip=True,
                widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"})
                if long
                else forms.TextInput(attrs={"dir": "auto"}),
            )

    def pairs(self) -> list[tuple[str, forms.BoundField]]:
        """Each original text beside the field that translates it."""
        return [(self.work.texts[name], self[name]) for name in self.work.texts]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.work.texts}
