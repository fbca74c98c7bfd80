"""The API on an organization's calendar feed (feeds.py): its secret address, and renewing it,
for those who speak for the organization, as on the page /meetings/calendar/. Routes of the
meetings router (api.py). Like every answer of the API, these are marked Cache-Control:
no-store (core.middleware.PrivacyHeadersMiddleware): the address is a key."""

from typing import Any

from ninja import Field, Schema

from internationale.accounts.api import ApiRequest
from internationale.organizations.models import Organization

from . import feeds
from .api import WITH_403, OrganizationRef, router


class CalendarFeedOut(Schema):
    organization: OrganizationRef
    url: str | None = Field(
        description="The secret address of the organization's meetings as iCalendar, absolute, "
        "for calendar programs: whoever has it reads them without signing in. Null until one "
        "is made (POST …/calendar-feed/renew)."
    )


def _answer(organization: Organization) -> dict[str, Any]:
    return {"organization": organization, "url": feeds.feed_url_of(organization)}


@router.get(
    "/organizations/{slug}/calendar-feed",
    response={200: CalendarFeedOut, **WITH_403},
    url_name="calendar_feed",
)
def calendar_feed(request: ApiRequest, slug: str) -> dict[str, Any]:
    """The calendar address of a verified organization you speak for (admin or secretary): its
    other people get 403, anyone else 404."""
    return _answer(feeds.feed_organization(viewer=request.auth, slug=slug))


@router.post(
    "/organizations/{slug}/calendar-feed/renew",
    response={200: CalendarFeedOut, **WITH_403},
    url_name="calendar_feed_renew",
)
def calendar_feed_renew(request: ApiRequest, slug: str) -> dict[str, Any]:
    """Make the organization's calendar address, or give it a new one: the old address answers
    404 at once, to every calendar subscribed to it. Answers the new address. For those who
    speak for the organization, as reading it."""
    organization = feeds.feed_organization(viewer=request.auth, slug=slug)
    feeds.calendar_feed_renew(actor=request.auth, organization=organization)
    return _answer(organization)
