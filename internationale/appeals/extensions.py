"""What apps built on appeals add to a pledge as the pages and the API show it, without appeals
importing them: the aid app attaches `receipts`, the confirmed aid that fulfilled the pledge, and
the campaigns app `campaign_link`, the campaign a sympathy pledge points to; to the appeal's page
(`add_appeal_panel`): the campaigns app, the campaigns launched for it; and to the pledge form and
its service (`add_pledge_campaigns`): the campaigns a sympathy pledge may point to.

Registered from the app config's ready(); a pledge's page and the API call
`attach_pledge_details` once for all the pledges they show."""

from collections.abc import Callable, Iterable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .models import Appeal, Pledge

PledgeDetails = Callable[[list[Pledge]], None]
_pledge_details: list[PledgeDetails] = []


def add_pledge_details(attach: PledgeDetails) -> None:
    """Register a function that sets attributes on pledges, in one query for all of them."""
    if attach not in _pledge_details:
        _pledge_details.append(attach)


def attach_pledge_details(pledges: Iterable[Pledge]) -> None:
    pledges = list(pledges)
    for attach in _pledge_details:
        attach(pledges)


# Panels on the appeal's page: what apps built on appeals show about it (the campaigns launched for
# it). Each takes the appeal and answers markup that is the same for every reader who may see the
# appeal (the page keeps it under the appeal's version: an app whose panel shows its own rows
# follows them with `public_page.follow`).
AppealPanel = Callable[[Appeal], str]
_appeal_panels: list[AppealPanel] = []


def add_appeal_panel(panel: AppealPanel) -> None:
    """Register a panel, from the app config's ready()."""
    if panel not in _appeal_panels:
        _appeal_panels.append(panel)


def appeal_panels(appeal: Appeal) -> SafeString:
    return mark_safe("".join(conditional_escape(panel(appeal)) for panel in _appeal_panels))  # noqa: S308 -- each panel escaped


# The campaigns a sympathy pledge on an appeal may point to (Pledge.campaign_ref): each finder
# answers (id, title) of the campaigns launched for the appeal. Without one registered, none.
PledgeCampaigns = Callable[[Appeal], list[tuple[int, str]]]
_pledge_campaigns: list[PledgeCampaigns] = []


def add_pledge_campaigns(find: PledgeCampaigns) -> None:
    """Register a finder, from the app config's ready()."""
    if find not in _pledge_campaigns:
        _pledge_campaigns.append(find)


def pledge_campaigns(appeal: Appeal) -> list[tuple[int, str]]:
    return [choice for find in _pledge_campaigns for choice in find(appeal)]
