from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm


class BlockForm(forms.Form):
    """A remote server to block (and, for an organization, optionally one actor on it)."""

    host = forms.CharField(
        label=_("Server"),
        max_length=255,
        required=False,
        help_text=_("Its host name, such as social.example.org; its subdomains are blocked too."),
    )
    actor = forms.CharField(
        label=_("Or one remote account"),
        max_length=500,
        required=False,
        help_text=_("Its address, such as https://social.example.org/users/someone."),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), max_length=500, required=False
    )

    def __init__(self, *args: object, with_actor: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not with_actor:
            del self.fields["actor"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("host") and not data.get("actor"):
            raise forms.ValidationError(_("Give the server to block."), code="required")
        return data


class RemoteRequestForm(forms.Form):
    """A remote organization to relate to, by its handle."""

    handle = forms.CharField(
        label=_("Organization on another server"),
        max_length=255,
        help_text=_("Its handle, such as union@social.example.org."),
    )


class RemoteDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )


class MoveForm(SubmissionForm):
    """Where the organization moved: its actor on its new server (moving.py)."""

    target = forms.CharField(
        label=_("Its address on the new server"),
        max_length=500,
        help_text=_(
            "The ActivityPub actor of the organization on its new server, such as "
            "https://new.example.org/federation/actors/metal-sp. That server must list this "
            "organization's address here first."
        ),
    )


class AlsoKnownAsForm(SubmissionForm):
    """The actor an organization had on the server it moved from (moving.also_known_as)."""

    old_actor = forms.CharField(
        label=_("Its address on the old server"),
        max_length=500,
        help_text=_(
            "The ActivityPub actor the organization had on the server it moved from, such as "
            "https://old.example.org/federation/actors/metal-sp. Its server can then move the "
            "organization's followers here."
        ),
    )
