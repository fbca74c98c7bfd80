"""Forms for series of meetings and for proposing a bilateral meeting from the readiness of a
multilateral one. They parse; the services (series.py, readiness.py) validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import WHEN, Groups, MeetingForm
from .models import Meeting, Series


class SeriesForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the series"),
        max_length=200,
        help_text=_("What the editions share: “International Metalworkers' Meeting”."),
    )
    period = forms.ChoiceField(label=_("Held"), choices=Series.Period.choices)


class EditionForm(MeetingForm):
    """The next edition of a series: a meeting of the series' host, prefilled from the last
    edition. Not a delegation visit. `carry_agenda`: whether the last edition's agenda and open
    tasks are copied; `reviewed`, hidden: the visibility for which the page has already listed
    what a wider visibility would publish (views_series.series_next)."""

    GROUPS: Groups = (
        (_("What"), ("kind", "title", "description")),
        (_("When"), WHEN),
        (_("Where"), ("place", "online_link", "languages")),
        (_("Who sees it"), ("visibility", "carry_agenda")),
    )

    carry_agenda = forms.BooleanField(
        label=_("Carry over the agenda and the open tasks of the last edition"),
        required=False,
        help_text=_(
            "Their titles are then read by whoever sees the new edition. Left unticked, the "
            "new edition starts with an empty agenda; its participants are invited all the same."
        ),
    )
    reviewed = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, series: Series, **kwargs: Any) -> None:
        super().__init__(*args, organizations=[series.organization], **kwargs)
        # An edition is written in the language of the last (series.next_edition_initial).
        for name in ("organization", "visit", "counterpart", "language"):
            del self.fields[name]
        kind = self.fields["kind"]
        kind.choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Meeting.Kind.choices if value != "delegation"
        ]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        data.pop("reviewed", None)
        return data


class ProposalForm(MeetingForm):
    """A bilateral meeting between two participants of a multilateral one, before it: the host is
    the viewer's side of the pair, the partner is invited with it."""

    GROUPS: Groups = (
        (_("What"), ("title", "description")),
        (_("When"), WHEN),
        (_("Where"), ("place", "online_link", "languages")),
        (_("Who sees it"), ("visibility",)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organization", "kind", "visit", "counterpart", "language"):
            del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data
