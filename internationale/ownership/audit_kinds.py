"""The audit kinds of ownership, worded in each reader's language (see core/audit.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import register

register(
    "ownership.erase_request",
    label=gettext_lazy("Emergency erase asked for"),
    wording=lambda p: _("It lapses unless a second person confirms it within an hour."),
)
register(
    "ownership.erase_cancel",
    label=gettext_lazy("Emergency erase withdrawn"),
    wording=lambda p: _("The request was withdrawn before it was confirmed."),
)
register(
    "ownership.erase",
    label=gettext_lazy("Emergency erase"),
    wording=lambda p: (
        _(
            "Confidential content erased: asked for by %(requested_by)s, confirmed by %(confirmed_by)s"
        )
        % p
    ),
)
