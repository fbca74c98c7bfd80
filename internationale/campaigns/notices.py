"""The kinds of notice about campaigns, and how their titles are worded in each reader's language
(see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The heading these kinds are listed under where people choose their e-mails.
CAMPAIGNS = gettext_lazy("Public campaigns")


def _answered(params: Mapping[str, Any]) -> str:
    names = {"organization": params["organization"], "title": params["title"]}
    if params["answer"] == "accepted":
        return _("%(organization)s co-sponsors your campaign: %(title)s") % names
    return _("%(organization)s declined to co-sponsor your campaign: %(title)s") % names


def register_kinds() -> None:
    from internationale.core.notices import register_kind

    register_kind(
        "campaign.invited",
        label=gettext_lazy("An invitation to co-sponsor a campaign"),
        wording=lambda p: _("%(organizer)s invites you to co-sponsor a campaign: %(title)s") % p,
        sample={"organizer": "Metalworkers of São Paulo", "title": "Free Ana Souza"},
        group=CAMPAIGNS,
    )
    register_kind(
        "campaign.answered",
        label=gettext_lazy("An answer to your invitation to co-sponsor a campaign"),
        wording=_answered,
        sample={"organization": "Korean Dockworkers", "answer": "accepted", "title": "Free Ana"},
        group=CAMPAIGNS,
    )


register_kinds()
