"""The kind of notice of ownership, and how its title is worded in each reader's language (see
core/notices.py). Registered when the app is ready."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.notices import register_kind
from internationale.organizations.notices import ORGANIZATIONS

register_kind(
    "ownership.export_ready",
    label=gettext_lazy("An export of your organization's data was made"),
    wording=lambda p: _("%(person)s exported all of your organization's data") % p,
    sample={"person": "Ana Souza"},
    group=ORGANIZATIONS,
)
