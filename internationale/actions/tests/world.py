"""What the tests of days of action and their permission-matrix cases point at, built from the
shared permission-matrix world (core/tests/test_permission_matrix.py) with the services, and kept
in `w.extra`:

- `day`: a day of action called by the owning organization (Sam, for the network) 30 days ahead,
  to which the other organization (the Korean dockworkers) is called;
- `action`: the dockworkers' rally in Busan on that day (Kim), with a contact;
- `draft`: a second day of the owning organization, being prepared, to which the dockworkers are
  invited as co-callers;
- `third`: a verified organization not called, to call (Dutch Port Union).
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.actions import local, services
from internationale.addressing.routing import Criteria
from internationale.organizations.tests.factories import OrganizationFactory


def the_date(days: int = 30) -> datetime.date:
    return timezone.now().date() + datetime.timedelta(days=days)


def day_fields(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Global day of action at Meridian Freight",
        "text": "Every site of Meridian Freight acts on the same day.",
        "demands": "Reinstate the dismissed organizers.",
        "language": "en",
        "date": the_date(),
        "suggested_kinds": ["rally", "stoppage"],
        "called_visibility": "network",
        **changes,
    }


def action_fields(date: datetime.date, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "rally",
        "city": "Busan",
        "country": "KR",
        "time_zone": "Asia/Seoul",
        "start": datetime.datetime.combine(date, datetime.time(10, 0)),
        "end": datetime.datetime.combine(date, datetime.time(12, 0)),
        "expected_participants": 300,
        "description": "Rally at the gate of the Busan terminal.",
        "contact": "Kim, +82 10 0000 0000",
        **changes,
    }


def built(w: Any) -> dict[str, Any]:
    if "day" in w.extra:
        return w.extra
    day = services.day_create(actor=w.people["sam"], organization=w.owner_org, **day_fields())
    services.day_call(actor=w.people["sam"], day=day, criteria=Criteria(add=[w.other_org.pk]))
    w.extra["day"] = day
    w.extra["action"] = local.local_action_register(
        actor=w.people["kim"], day=day, organization=w.other_org, **action_fields(day.date)
    )
    w.extra["draft"] = services.day_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        cocallers=[w.other_org],
        **day_fields(title="Day being prepared"),
    )
    w.extra["third"] = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    return w.extra


def day(w: Any) -> int:
    return built(w)["day"].pk


def path(template: str, key: str = "day"):  # type: ignore[no-untyped-def]
    return lambda w: template.format(built(w)[key].pk)


def action_path(template: str):  # type: ignore[no-untyped-def]
    return lambda w: template.format(built(w)["day"].pk, built(w)["action"].pk)
