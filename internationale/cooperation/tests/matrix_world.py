"""What the meeting cases of the permission matrix point at, built lazily from the shared world
(core/tests/test_permission_matrix.py) with the services, and kept in `w.extra`:

- `meeting`: a bilateral meeting hosted by the owning organization (Sam), for its participants
  only, to which the other organization is invited;
- `third`: a verified organization not invited yet, to invite;
- `kit_membership`: Kit's membership in the other organization, a delegate to name.
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.services import meeting_create, meeting_invite
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import OrganizationFactory


def built(w: Any) -> dict[str, Any]:
    if "meeting" in w.extra:
        return w.extra
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        kind="bilateral",
        title="Plant closures",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
    )
    meeting_invite(actor=w.people["sam"], meeting=meeting, criteria=Criteria(add=[w.other_org.pk]))
    w.extra["meeting"] = meeting
    w.extra["third"] = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    w.extra["kit_membership"] = Membership.objects.get(user=w.people["kit"])
    return w.extra


def meeting(w: Any) -> int:
    return built(w)["meeting"].pk


def third(w: Any) -> str:
    return built(w)["third"].slug


def kit_membership(w: Any) -> int:
    return built(w)["kit_membership"].pk


# Series and readiness (series.py, readiness.py): `congress`, a congress hosted by the owning
# organization, to which the other organization is invited, the first edition of `series`.


def built_congress(w: Any) -> dict[str, Any]:
    from internationale.cooperation.series import series_create

    built(w)
    if "congress" in w.extra:
        return w.extra
    start = (timezone.now() + datetime.timedelta(days=40)).replace(tzinfo=None)
    congress = meeting_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        kind="congress",
        title="Metalworkers' congress",
        start=start,
        end=start + datetime.timedelta(days=2),
        time_zone="America/Sao_Paulo",
    )
    meeting_invite(actor=w.people["sam"], meeting=congress, criteria=Criteria(add=[w.other_org.pk]))
    w.extra["congress"] = congress
    w.extra["series"] = series_create(
        actor=w.people["sam"], meeting=congress, title="Metalworkers' congress", period="yearly"
    )
    return w.extra


def congress(w: Any) -> int:
    return built_congress(w)["congress"].pk


def series(w: Any) -> int:
    return built_congress(w)["series"].pk


def feed_token(w: Any) -> str:
    """The secret token of the owning organization's calendar feed (made by Sam)."""
    from internationale.cooperation.feeds import calendar_feed_renew
    from internationale.cooperation.feeds import feed_token as token_of

    if "feed" not in w.extra:
        built(w)
        w.extra["feed"] = calendar_feed_renew(actor=w.people["sam"], organization=w.owner_org)
    return token_of(w.extra["feed"])
