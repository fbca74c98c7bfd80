"""The kinds of notice of the translation app, and how their titles are worded in each reader's
language (see core/notices.py). Registered when the app is ready. Each part of the app adds its
kinds in its own section below."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.notices import register_kind  # noqa: F401
from internationale.organizations.reference import language_name

# People who translate -----------------------------------------------------------------------------


def _asked(params: Mapping[str, Any]) -> str:
    names = {
        "source": language_name(params["source_language"]),
        "target": language_name(params["target_language"]),
    }
    if params.get("kind") == "review":
        return _("A machine translation to review, from %(source)s into %(target)s") % names
    return _("A translation asked for, from %(source)s into %(target)s") % names


def _done(params: Mapping[str, Any]) -> str:
    names = {"target": language_name(params["target_language"])}
    if params.get("status") == "reviewed":
        return _("The translation into %(target)s you asked for was reviewed") % names
    return _("The translation into %(target)s you asked for is done") % names


register_kind(
    "translation.request",
    label=gettext_lazy("A translation asked of the volunteers of your languages"),
    wording=_asked,
    sample={"source_language": "pt", "target_language": "en", "kind": "review"},
    group=gettext_lazy("Translation"),
)


def _taken(params: Mapping[str, Any]) -> str:
    names = {"target": language_name(params["target_language"])}
    return _("A volunteer took the translation into %(target)s you asked for") % names


register_kind(
    "translation.taken",
    label=gettext_lazy("A translation you asked for was taken by a volunteer"),
    wording=_taken,
    sample={"source_language": "pt", "target_language": "en"},
    group=gettext_lazy("Translation"),
)
register_kind(
    "translation.done",
    label=gettext_lazy("A translation you asked for is done"),
    wording=_done,
    sample={"target_language": "en", "status": "reviewed"},
    group=gettext_lazy("Translation"),
)
