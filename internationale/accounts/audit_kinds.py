"""The audit kinds of people and tokens, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import PEOPLE_RULE, Confidential, register

# Whose token: for those who may see the organization's people.
PERSON = Confidential(
    rule=PEOPLE_RULE,
    on="organization",
    wording=lambda p: _("A person's token: %(prefix)s…") % {"prefix": p["prefix"]},
)

register(
    "token.create",
    label=gettext_lazy("API token created"),
    wording=lambda p: _("%(email)s: %(prefix)s…") % {"email": p["email"], "prefix": p["prefix"]},
    confidential=PERSON,
)
register(
    "token.revoke",
    label=gettext_lazy("API token revoked"),
    wording=lambda p: _("%(email)s: %(prefix)s…") % {"email": p["email"], "prefix": p["prefix"]},
    confidential=PERSON,
)
register(
    "user.operator",
    label=gettext_lazy("Server operator appointed"),
    wording=lambda p: _("%(email)s is now a server operator") % {"email": p["email"]},
)
register(
    "user.operator_removed",
    label=gettext_lazy("Server operator removed"),
    wording=lambda p: _("%(email)s is no longer a server operator") % {"email": p["email"]},
)
