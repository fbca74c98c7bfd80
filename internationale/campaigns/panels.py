"""What campaigns add to the pages of lower apps, through their hooks (appeals/extensions.py): the
campaigns launched for an appeal, on the appeal's page; those a sympathy pledge on the appeal may
point to; and the link a pledge shows to the campaign it points to."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from internationale.appeals.models import Appeal, Pledge

from .models import Campaign


def _launched_for(appeal_ids: Any) -> Any:
    """The public campaigns launched (not drafts) for these appeals."""
    return Campaign.objects.filter(appeal__in=appeal_ids, visibility="public").exclude(
        status=Campaign.Status.DRAFT
    )


def pledge_campaign_choices(appeal: Appeal) -> list[tuple[int, str]]:
    """The campaigns a sympathy pledge on the appeal may point to: its public launched ones."""
    rows = _launched_for([appeal.pk]).order_by("-launched_at").values_list("pk", "title")
    return [(pk, title) for pk, title in rows]


def attach_pledge_campaigns(pledges: list[Pledge]) -> None:
    """Sets `campaign_link` ({"url", "title", "language"} or None) on each pledge: the campaign
    it points to, while that campaign is public; in one query for all of them."""
    wanted = {p.campaign_ref for p in pledges if p.campaign_ref}
    found = (
        {c.pk: c for c in _launched_for({p.appeal_id for p in pledges}).filter(pk__in=wanted)}
        if wanted
        else {}
    )
    for pledge in pledges:
        campaign = found.get(pledge.campaign_ref or 0)
        if campaign is not None and campaign.appeal_id != pledge.appeal_id:
            campaign = None
        pledge.campaign_link = (  # type: ignore[attr-defined]
            None
            if campaign is None
            else {
                "url": campaign.get_absolute_url(),
                "title": campaign.title,
                "language": campaign.language,
            }
        )


def appeal_campaigns(appeal: Appeal) -> SafeString:
    """The public campaigns launched for the appeal: the same for every reader (the appeal's
    page keeps it under its version, which every write of a campaign changes)."""
    campaigns = list(
        Campaign.objects.filter(appeal=appeal, visibility="public")
        .exclude(status=Campaign.Status.DRAFT)
        .order_by("-launched_at")
    )
    if not campaigns:
        return SafeString("")
    return mark_safe(  # noqa: S308 -- the template's output, escaped by it
        render_to_string("campaigns/_appeal_campaigns.html", {"campaigns": campaigns})
    )
