import datetime
import zoneinfo
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import validate_time_zone

# The geographic zones people recognise ("Africa/Lagos"); legacy aliases ("US/Eastern", "Etc/GMT+3")
# stay valid but are not offered, which keeps the page light on slow links.
_REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def offered_time_zones(current: str = "") -> list[tuple[str, Any]]:
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name == "UTC" or name.split("/", 1)[0] in _REGIONS and "/" in name
    }
    if current:
        names.add(current)
    automatic = _("Automatic: my browser's, or my organization's country's")
    return [("", automatic), *((name, name) for name in sorted(names))]


def place_of(zone: str) -> str:
    """How the list names a zone under its region: its place, as people write it
    ("America/Argentina/Buenos_Aires": "Buenos Aires, Argentina")."""
    *within, place = zone.split("/")[1:]
    return ", ".join(part.replace("_", " ") for part in (place, *reversed(within)))


class TimeZoneSelect(forms.Select):
    """The time zones grouped by region (`<optgroup>`), each named by its place alone, the name
    the browser sends back: "Lagos" under "Africa" rather than "Africa/Lagos" with a value
    attribute. Five hundred zones so written weigh less than half the flat list (the settings
    page's heaviest part), keyboard search by the first letters of a place works, and screen
    readers announce the region. What the browser sends is read back as the zone it names; a
    zone's full name is accepted too (older forms, scripts). A place named under two regions
    (Istanbul, Nicosia) and a zone outside the regions carry their value. Written out rather
    than through a template per option: 500 template renderings were most of the page's time."""

    def _places(self) -> dict[str, str]:
        """{what the browser sends: zone} for the zones that carry no value attribute."""
        seen: dict[str, list[str]] = {}
        for zone, _label in self.choices:
            if zone and zone.split("/", 1)[0] in _REGIONS and "/" in zone:
                seen.setdefault(place_of(zone), []).append(zone)
        return {place: zones[0] for place, zones in seen.items() if len(zones) == 1}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        sent = super().value_from_datadict(data, files, name)
        if isinstance(sent, str):
            return self._places().get(" ".join(sent.split()), sent)
        return sent

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = self.format_value(value)
        places = self._places()
        named = set(places.values())
        ungrouped: list[SafeString] = []
        groups: dict[str, list[tuple[str, str]]] = {}
        for zone, label in self.choices:
            region = zone.split("/", 1)[0]
            if region in _REGIONS and "/" in zone:
                groups.setdefault(region, []).append((place_of(zone), zone))
            else:
                ungrouped.append(
                    format_html(
                        '<option value="{}"{}>{}', zone, _selected(zone, chosen), str(label)
                    )
                )
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        parts += ungrouped
        for region, code in _REGIONS.items():
            if region not in groups:
                continue
            parts.append(format_html('<optgroup label="{}">', str(code)))
            for place, zone in sorted(groups[region]):
                value = "" if zone in named else format_html(' value="{}"', zone)
                parts.append(format_html("<option{}{}>{}", value, _selected(zone, chosen), place))
            parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # noqa: S308 -- every part escaped by format_html


def _selected(zone: str, chosen: list[str]) -> str:
    return " selected" if zone in chosen else ""


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
        required=False,
        widget=TimeZoneSelect,
        validators=[validate_time_zone],
        error_messages={"invalid_choice": _("“%(value)s” is not a known time zone.")},
    )

    def __init__(self, *args: object, current_time_zone: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"].choices = offered_time_zones(current_time_zone)  # type: ignore[attr-defined]


class ConfirmIdentityForm(forms.Form):
    """The person's password again (or, with two-factor authentication, a code from their app or
    a recovery code), checked by allauth with its limit on attempts: for what must not be done by
    whoever finds a session left open or a token lying about."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if is_mfa_enabled(user):
            self.fields["code"] = forms.CharField(
                label=_("Two-factor code"),
                help_text=_("A code from your authenticator app, or one of your recovery codes."),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )
        else:
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                help_text=_("To confirm that it is you."),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )

    def clean_password(self) -> str:
        # allauth's check, with its limit on attempts.
        password = self.cleaned_data["password"]
        if not get_account_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(_("This is not your password."), code="incorrect_password")
        return password

    def clean_code(self) -> str:
        # allauth's second-factor check (TOTP or recovery code), with its limit on attempts.
        check = MFAReauthenticateForm(user=self.user, data={"code": self.cleaned_data["code"]})
        if not check.is_valid():
            raise forms.ValidationError(check.errors["code"], code="incorrect_code")
        return str(check.cleaned_data["code"])


class TokenCreateForm(ConfirmIdentityForm):
    """A token's name and lifetime, and the person's password again (or, with two-factor
    authentication, a code from their app or a recovery code): a token is a lasting key to the
    account, not to be made by whoever finds a session left open."""

    EXPIRY_DAYS = (30, 90, 365)

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. “our website” or “a script on my laptop”."),
    )
    expires_in = forms.TypedChoiceField(
        label=_("Expires"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("Never (until revoked)")),
            *[(str(days), _("In %(days)d days") % {"days": days}) for days in EXPIRY_DAYS],
        ],
    )

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + datetime.timedelta(days=days) if days else None
