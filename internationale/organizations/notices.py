"""The kinds of notice about organizations, and how their titles are worded in each reader's
language (see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.notices import register_kind

# The heading these kinds are listed under where people choose their e-mails.
ORGANIZATIONS = gettext_lazy("Organizations and relations")


def _relation_proposed(params: Mapping[str, Any]) -> str:
    return _("%(org)s proposes a relation") % {"org": params["org"]}


register_kind(
    "relation.proposed",
    label=gettext_lazy("A proposed relation"),
    wording=_relation_proposed,
    sample={"org": "Metalworkers of São Paulo"},
    group=ORGANIZATIONS,
)
