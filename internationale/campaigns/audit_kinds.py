"""The audit kinds of campaigns, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register


def _invited(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(title)s: %(n)s organization invited to co-sponsor",
        "%(title)s: %(n)s organizations invited to co-sponsor",
        p["invited"],
    ) % {"title": p["title"], "n": p["invited"]}


def _answered(p: Mapping[str, Any]) -> str:
    names = {"title": p["title"], "organization": p["organization_name"]}
    if p["answer"] == "accepted":
        return _("%(title)s: %(organization)s co-sponsors it") % names
    return _("%(title)s: %(organization)s declined to co-sponsor it") % names


# A draft's title and its sponsors: for those who may see the campaign.
CAMPAIGN = Confidential(rule="campaigns.view_campaign", wording=lambda p: _("A campaign"))

register(
    "campaign.create",
    label=gettext_lazy("Campaign prepared"),
    wording=lambda p: str(p["title"]),
    confidential=CAMPAIGN,
)
register(
    "campaign.change",
    label=gettext_lazy("Campaign changed"),
    wording=lambda p: str(p["title"]),
    confidential=CAMPAIGN,
)
register(
    "campaign.launch",
    label=gettext_lazy("Campaign launched"),
    wording=lambda p: str(p["title"]),
    confidential=CAMPAIGN,
)
register(
    "campaign.close",
    label=gettext_lazy("Campaign closed"),
    wording=lambda p: str(p["title"]),
    confidential=CAMPAIGN,
)
register(
    "campaign.invite",
    label=gettext_lazy("Organizations invited to co-sponsor a campaign"),
    wording=_invited,
    confidential=CAMPAIGN,
)
register(
    "campaign.answer",
    label=gettext_lazy("Answer to an invitation to co-sponsor a campaign"),
    wording=_answered,
    confidential=CAMPAIGN,
)


# Screening (abuse.py): the operators' lists and invalidations concern no organization's secret.
register(
    "campaign.screening_rule",
    label=gettext_lazy("Allow or block list of signing changed"),
    wording=lambda p: _("%(change)s: %(list)s %(kind)s %(pattern)s") % p,
)
register(
    "campaign.invalidate",
    label=gettext_lazy("Signatures invalidated"),
    wording=lambda p: (
        ngettext(
            "%(title)s: %(n)s signature invalidated (%(reason)s)",
            "%(title)s: %(n)s signatures invalidated (%(reason)s)",
            p["n"],
        )
        % {"title": p["title"], "n": p["n"], "reason": p["reason"]}
    ),
)


def _exported(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(title)s: %(n)s signer exported (%(format)s) by %(organization)s",
        "%(title)s: %(n)s signers exported (%(format)s) by %(organization)s",
        p["n"],
    ) % {
        "title": p["title"],
        "n": p["n"],
        "format": p["format"],
        "organization": p["organization_name"],
    }


register(
    "campaign.export",
    label=gettext_lazy("Signers of a campaign exported"),
    wording=_exported,
    confidential=CAMPAIGN,
)
register(
    "campaign.update",
    label=gettext_lazy("Campaign update posted"),
    wording=lambda p: _("%(title)s: %(update)s") % p,
    confidential=CAMPAIGN,
)
