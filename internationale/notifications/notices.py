"""The platform's own kind of notice: a message to organizations, its title given as written
(see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from internationale.core.notices import register_kind

# The heading these kinds are listed under where people choose their e-mails.
PLATFORM = gettext_lazy("From the platform")


def _as_written(params: Mapping[str, Any]) -> str:
    return str(params["title"])


register_kind(
    "notice",
    label=gettext_lazy("A notice"),
    wording=_as_written,
    sample={"title": "Welcome to Internationale"},
    group=PLATFORM,
)
