"""The kinds of notice of ownership, and how its title is worded in each reader's language (see
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
register_kind(
    "ownership.erase_requested",
    # What its e-mail says (an erase request is confidential: the e-mail names neither the
    # organization nor who asked; only the link leads to its erase page).
    label=gettext_lazy("An emergency erase was asked for: confirm it or withdraw it"),
    wording=lambda p: (
        _(
            "%(person)s asked for an emergency erase of %(organization)s: it is done if a second "
            "person confirms it within the hour; withdraw it if you did not expect it"
        )
        % p
    ),
    sample={"person": "Ana Souza", "organization": "Metalworkers of São Paulo"},
    group=ORGANIZATIONS,
)
