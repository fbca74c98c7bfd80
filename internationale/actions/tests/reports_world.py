"""What the tests of reports back point at: the Metalworkers of São Paulo (Sam) call a day of
action at Meridian Freight for the network, calling the Korean Dockworkers (Kim), who register a
rally in Busan. `started` moves the day to today and the rally to an hour ago, so that it can be
reported on (a report before the action starts is refused)."""

import datetime
from typing import Any

from django.utils import timezone

from internationale.actions import local, services
from internationale.actions.models import DayOfAction, LocalAction
from internationale.addressing.routing import Criteria

from .world import action_fields, day_fields


def called_day(sam: Any, owner_org: Any, other_org: Any, **changes: Any) -> DayOfAction:
    day = services.day_create(actor=sam, organization=owner_org, **day_fields(**changes))
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    day.refresh_from_db()
    return day


def registered(kim: Any, day: DayOfAction, organization: Any, **changes: Any) -> LocalAction:
    return local.local_action_register(
        actor=kim, day=day, organization=organization, **action_fields(day.date, **changes)
    )


def started(action: LocalAction, hours_ago: int = 1) -> LocalAction:
    """The action moved to have started `hours_ago` hours ago, its day to today (UTC)."""
    now = timezone.now()
    start = now - datetime.timedelta(hours=hours_ago)
    DayOfAction.objects.filter(pk=action.day_id).update(date=now.date())
    LocalAction.objects.filter(pk=action.pk).update(
        start_at=start, end_at=start + datetime.timedelta(hours=2)
    )
    action.refresh_from_db()
    action.day.refresh_from_db()
    return action
