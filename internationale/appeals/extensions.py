"""What apps built on appeals add to a pledge as the pages and the API show it, without appeals
importing them: the aid app attaches `receipts`, the confirmed aid that fulfilled the pledge.

Registered from the app config's ready(); a pledge's page and the API call
`attach_pledge_details` once for all the pledges they show."""

from collections.abc import Callable, Iterable

from .models import Pledge

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
