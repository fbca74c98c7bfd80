"""The export form: e-mail addresses go into the archive only when the admin confirms it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.forms import SubmissionForm


class ExportForm(SubmissionForm):
    include_emails = forms.BooleanField(
        label=_("Include e-mail addresses"),
        required=False,
        help_text=_(
            "Your members' addresses, and those of the campaign signers who agreed to be "
            "contacted by your organization. Without them, members arrive on another server by "
            "name only, and an admin invites them again there, and signers stay behind. With "
            "them, members can sign in there with their address."
        ),
    )
    confirm_emails = forms.BooleanField(
        label=_("I confirm that the archive will hold these e-mail addresses"),
        required=False,
        help_text=_(
            "Whoever holds the archive then knows who your members are, and can write to those "
            "signers."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include_emails") and not data.get("confirm_emails"):
            self.add_error(
                "confirm_emails",
                forms.ValidationError(
                    _("Confirm that the e-mail addresses go into the archive, or leave them out."),
                    code="emails_not_confirmed",
                ),
            )
        return data
