import datetime
import re
import zoneinfo
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import validate_time_zone

# The geographic zones people recognise ("Africa/Lagos"); legacy aliases ("US/Eastern", "Etc/GMT+3")
# stay valid but are not offered, which keeps the page light on slow links.
_OFFERED_ZONE = re.compile(
    r"^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/"
)


def offered_time_zones(current: str = "") -> list[tuple[str, Any]]:
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name == "UTC" or _OFFERED_ZONE.match(name)
    }
    if current:
        names.add(current)
    automatic = _("Automatic: my browser's, or my organization's country's")
    return [("", automatic), *((name, name) for name in sorted(names))]


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
        required=False,
        widget=CompactSelect,
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
