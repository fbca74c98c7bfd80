"""The audit kinds of appeals, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import register

from .models import Appeal


def _sent(p: Mapping[str, Any]) -> str:
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


register("appeal.send", label=gettext_lazy("Appeal sent"), wording=_sent)
register("appeal.send_more", label=gettext_lazy("Appeal sent to more organizations"), wording=_sent)
register("appeal.resolve", label=gettext_lazy("Appeal resolved"), wording=_resolved)
register("appeal.close", label=gettext_lazy("Appeal closed"), wording=lambda p: str(p["title"]))
register("appeal.escalate", label=gettext_lazy("Appeal widened"), wording=_escalated)
