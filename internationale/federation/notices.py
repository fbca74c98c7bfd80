"""The kind of notice of federation: an activity of the organization that could not be delivered
to another server (delivery.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.notices import register_kind

FEDERATION = gettext_lazy("Federation")


def _undelivered(params: Mapping[str, Any]) -> str:
    return _("Not delivered to %(host)s: %(type)s") % {
        "host": params["host"],
        "type": params["type"],
    }


register_kind(
    "federation.undelivered",
    label=gettext_lazy("An activity that could not be delivered to another server"),
    wording=_undelivered,
    sample={"host": "social.example", "type": "Accept"},
    group=FEDERATION,
)
