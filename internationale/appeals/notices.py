"""The kinds of notice about appeals, and how their titles are worded in each reader's language
(see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.notices import register_kind

from .models import Appeal, Response, SupportForm

SAMPLE_TITLE = "Lockout at the port of Busan"


def _received(params: Mapping[str, Any]) -> str:
    return str(params["title"])


def _update(params: Mapping[str, Any]) -> str:
    return _("Update: %(title)s") % {"title": params["title"]}


def _resolved(params: Mapping[str, Any]) -> str:
    return _("Resolved (%(outcome)s): %(title)s") % {
        "outcome": Appeal.Outcome(params["outcome"]).label,
        "title": params["title"],
    }


def _escalated(params: Mapping[str, Any]) -> str:
    count = int(params["count"])
    return ngettext(
        "Sent to %(count)s more organization: %(title)s",
        "Sent to %(count)s more organizations: %(title)s",
        count,
    ) % {"count": count, "title": params["title"]}


def _response(params: Mapping[str, Any]) -> str:
    names = {"organization": params["organization"], "title": params["title"]}
    kind = Response.Kind(params["kind"])
    if kind == Response.Kind.PLEDGED:
        forms = [SupportForm(f).label for f in params.get("forms", ()) if f in SupportForm.values]
        if not forms:  # a notice recorded before pledges named their forms
            return _("%(organization)s pledged support: %(title)s") % names
        return _("%(organization)s pledged support (%(forms)s): %(title)s") % {
            **names,
            "forms": "; ".join(str(form) for form in forms),
        }
    if kind == Response.Kind.DECLINED:
        return _("%(organization)s declined: %(title)s") % names
    if kind == Response.Kind.PASSED:
        return _("%(organization)s passed it on to %(target)s: %(title)s") % {
            **names,
            "target": params.get("target") or "?",
        }
    return _("%(organization)s acknowledged: %(title)s") % names


register_kind(
    "appeal.received",
    label=gettext_lazy("A new appeal"),
    wording=_received,
    sample={"title": SAMPLE_TITLE},
)
register_kind(
    "appeal.update",
    label=gettext_lazy("An update to an appeal you answered"),
    wording=_update,
    sample={"title": SAMPLE_TITLE},
)
register_kind(
    "appeal.resolved",
    label=gettext_lazy("An appeal you answered was resolved"),
    wording=_resolved,
    sample={"title": SAMPLE_TITLE, "outcome": Appeal.Outcome.WON},
)
register_kind(
    "appeal.escalated",
    label=gettext_lazy("Your appeal was sent to more organizations"),
    wording=_escalated,
    sample={"title": SAMPLE_TITLE, "count": 12},
)
register_kind(
    "appeal.response",
    label=gettext_lazy("An answer to your appeal"),
    wording=_response,
    sample={
        "title": SAMPLE_TITLE,
        "kind": Response.Kind.PASSED,
        "organization": "Korean Metal Workers' Union",
        "target": "Dockworkers of Santos",
    },
)
