"""The audit kinds of material aid, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import Confidential, register

register(
    "aid.confirm",
    label=gettext_lazy("Aid received"),
    wording=lambda p: _("Received: %(what)s") % {"what": p["what"]},
    # What was received: for those who may see the pledge's amount.
    confidential=Confidential(
        rule="aid.see_contribution",
        wording=lambda p: _("Aid received against a pledge"),
        related=("pledge__appeal",),
    ),
)
