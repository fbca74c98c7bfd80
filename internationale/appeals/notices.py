"""How inbox entries about appeals are worded, in each reader's language (see
notifications/titles.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.notifications.titles import kind_label, wording

from .models import Appeal, Response

kind_label("appeal.received", gettext_lazy("A new appeal"))
kind_label("appeal.update", gettext_lazy("An update to an appeal you answered"))
kind_label("appeal.resolved", gettext_lazy("An appeal you answered was resolved"))
kind_label("appeal.escalated", gettext_lazy("Your appeal was sent to more organizations"))
kind_label("appeal.response", gettext_lazy("An answer to your appeal"))


@wording("appeal.update")
def _update(params: Mapping[str, Any]) -> str:
    return _("Update: %(title)s") % {"title": params["title"]}


@wording("appeal.resolved")
def _resolved(params: Mapping[str, Any]) -> str:
    return _("Resolved (%(outcome)s): %(title)s") % {
        "outcome": Appeal.Outcome(params["outcome"]).label,
        "title": params["title"],
    }


@wording("appeal.escalated")
def _escalated(params: Mapping[str, Any]) -> str:
    count = int(params["count"])
    return ngettext(
        "Sent to %(count)s more organization: %(title)s",
        "Sent to %(count)s more organizations: %(title)s",
        count,
    ) % {"count": count, "title": params["title"]}


@wording("appeal.response")
def _response(params: Mapping[str, Any]) -> str:
    names = {"organization": params["organization"], "title": params["title"]}
    kind = Response.Kind(params["kind"])
    if kind == Response.Kind.PLEDGED:
        return _("%(organization)s pledged support: %(title)s") % names
    if kind == Response.Kind.DECLINED:
        return _("%(organization)s declined: %(title)s") % names
    if kind == Response.Kind.PASSED:
        return _("%(organization)s passed it on to %(target)s: %(title)s") % {
            **names,
            "target": params.get("target") or "?",
        }
    return _("%(organization)s acknowledged: %(title)s") % names
