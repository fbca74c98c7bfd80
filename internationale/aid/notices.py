"""How inbox entries about material aid are worded, in each reader's language (see
notifications/titles.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.notifications.titles import kind_label, wording

kind_label("aid.confirmed", gettext_lazy("Receipt of your aid was confirmed"))


@wording("aid.confirmed")
def _confirmed(params: Mapping[str, Any]) -> str:
    names = {"issuer": params["issuer"], "what": params["what"], "title": params["title"]}
    if params.get("fulfilled"):
        return _(
            "%(issuer)s confirmed receipt of %(what)s; your pledge is fulfilled: %(title)s"
        ) % (names)
    return _("%(issuer)s confirmed receipt of %(what)s: %(title)s") % names
