"""The audit kinds of appeals, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register

from .models import Appeal


def _sent(p: Mapping[str, Any]) -> str:
    if "addressees" not in p:  # a send is audited when asked for, before its addressees are known
        return _("%(title)s: sent") % {"title": p["title"]}
    return ngettext(
        "%(title)s: sent to %(n)s organization",
        "%(title)s: sent to %(n)s organizations",
        p["addressees"],
    ) % {"title": p["title"], "n": p["addressees"]}


def _resolved(p: Mapping[str, Any]) -> str:
    try:
        outcome = str(Appeal.Outcome(p["outcome"]).label)
    except ValueError:
        outcome = p["outcome"]
    return _("%(title)s: %(outcome)s") % {"title": p["title"], "outcome": outcome}


def _escalated(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(title)s: widened, %(n)s organization added",
        "%(title)s: widened, %(n)s organizations added",
        p["added"],
    ) % {"title": p["title"], "n": p["added"]}


# The title and what happened to an appeal: for those who may see the appeal.
APPEAL = Confidential(rule="appeals.view_appeal", wording=lambda p: _("An appeal"))

register("appeal.send", label=gettext_lazy("Appeal sent"), wording=_sent, confidential=APPEAL)
register(
    "appeal.send_more",
    label=gettext_lazy("Appeal sent to more organizations"),
    wording=_sent,
    confidential=APPEAL,
)
register(
    "appeal.resolve",
    label=gettext_lazy("Appeal resolved"),
    wording=_resolved,
    confidential=APPEAL,
)
register(
    "appeal.close",
    label=gettext_lazy("Appeal closed"),
    wording=lambda p: str(p["title"]),
    confidential=APPEAL,
)
register(
    "appeal.escalate",
    label=gettext_lazy("Appeal widened"),
    wording=_escalated,
    confidential=APPEAL,
)
