"""How inbox entries about organizations are worded, in each reader's language (see
notifications/titles.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.notifications.titles import kind_label, wording

kind_label("relation.proposed", gettext_lazy("A proposed relation"))


@wording("relation.proposed")
def _relation_proposed(params: Mapping[str, Any]) -> str:
    return _("%(org)s proposes a relation") % {"org": params["org"]}
