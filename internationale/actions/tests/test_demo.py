"""The demo's day of action: called by the Santos union with Hamburg's, answered by the port unions
it calls, with actions in many time zones that the day's page follows around the world."""

from internationale.actions.demo import ACTIONS, DAY_TITLES
from internationale.actions.models import Answer, CoCaller, DayOfAction, LocalAction
from internationale.web.demo import load_demo


def test_the_demo_day_is_called_answered_and_acted_on_across_the_world(db, client_for):
    assert load_demo() is True
    day = DayOfAction.objects.get(title=DAY_TITLES["upcoming"])
    assert (day.status, day.visibility) == ("called", "network")
    assert CoCaller.objects.get(day=day).status == CoCaller.Status.ACCEPTED
    actions = list(LocalAction.objects.filter(day=day).order_by("start_at"))
    assert len(actions) == len(ACTIONS)
    assert len({a.time_zone for a in actions}) >= 10
    # Sydney's morning comes first, California's last.
    assert (actions[0].city, actions[-1].country) == ("Sydney", "US")
    kinds = dict(Answer.objects.filter(day=day).values_list("organization__slug", "kind"))
    assert kinds["cst"] == "cannot_act" and kinds["wisc"] == "passed_on"
    # A caller reads it all, contacts included.
    santos = day.organization.memberships.filter(role="secretary").first().user
    page = client_for(santos).get(f"/days/{day.pk}/").text
    assert "12 local actions" in page and "Sydney" in page
