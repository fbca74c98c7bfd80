import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import validate_time_zone

# The geographic zones people recognise ("Africa/Lagos"); legacy aliases ("US/Eastern", "Etc/GMT+3")
# stay valid but are not offered, which keeps the page light on slow links.
_OFFERED_ZONE = re.compile(
    r"^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/"
)


def offered_time_zones(current: str = "") -> list[tuple[str, str]]:
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name == "UTC" or _OFFERED_ZONE.match(name)
    }
    if current:
        names.add(current)
    return [(name, name) for name in sorted(names)]


class CompactSelect(forms.Select):
    """A select whose options carry no value attribute: the label is the value.

    Five hundred time zones rendered as `<option value="x">x</option>` would double the page.
    """

    option_template_name = "accounts/widgets/compact_option.html"


class SettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("How other people on this server see you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Interface language"),
        required=False,
        choices=[("", _("The language of my browser")), *settings.LANGUAGES],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Dates and times are shown in this time zone."),
        widget=CompactSelect,
        validators=[validate_time_zone],
        error_messages={"invalid_choice": _("“%(value)s” is not a known time zone.")},
    )

    def __init__(self, *args: object, current_time_zone: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"].choices = offered_time_zones(current_time_zone)  # type: ignore[attr-defined]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. “our website” or “a script on my laptop”."),
    )
