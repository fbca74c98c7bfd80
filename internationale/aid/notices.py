"""The kind of notice about material aid, and how its title is worded in each reader's language
(see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.notices import register_kind

# The heading these kinds are listed under where people choose their e-mails.
AID = gettext_lazy("Material aid")


def _confirmed(params: Mapping[str, Any]) -> str:
    names = {"issuer": params["issuer"], "what": params["what"], "title": params["title"]}
    if params.get("fulfilled"):
        return _(
            "%(issuer)s confirmed receipt of %(what)s; your pledge is fulfilled: %(title)s"
        ) % (names)
    return _("%(issuer)s confirmed receipt of %(what)s: %(title)s") % names


register_kind(
    "aid.confirmed",
    label=gettext_lazy("Receipt of your aid was confirmed"),
    wording=_confirmed,
    sample={
        "issuer": "Dockworkers of Santos",
        "what": "500.00 EUR",
        "fulfilled": True,
        "title": "Lockout at the port of Busan",
    },
    group=AID,
)
