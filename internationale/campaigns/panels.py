"""What campaigns add to the pages of lower apps, through their hooks: the campaigns launched for
an appeal, on the appeal's page (appeals/extensions.py)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from internationale.appeals.models import Appeal

from .models import Campaign


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
