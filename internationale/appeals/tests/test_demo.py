"""The demo network holds appeals in every state, in several languages, with answers."""

from internationale.appeals.models import Appeal, Pledge, Response
from internationale.core.demo import load_demo


def test_the_demo_has_appeals_in_every_state_and_loading_twice_changes_nothing(db):
    load_demo()
    assert set(Appeal.objects.values_list("status", flat=True)) == set(Appeal.Status.values)
    assert len(set(Appeal.objects.values_list("language", flat=True))) >= 4
    assert Pledge.objects.exists() and Response.objects.filter(kind="declined").exists()
    counts = (Appeal.objects.count(), Pledge.objects.count())
    assert load_demo() is False
    assert (Appeal.objects.count(), Pledge.objects.count()) == counts
