"""Each activity received records the address of this server's content it is about, so that an
erase finds those about what it removes with one indexed query; the rows received before the
upgrade get it from their payloads (migration 0019)."""

import importlib

import pytest
from django.apps import apps

from internationale.federation.models import ReceivedActivity

from .conftest import SITE

pytestmark = pytest.mark.django_db

FILL = importlib.import_module("internationale.federation.migrations.0019_received_activity_about")
REMOTE = "https://haven.example/users/havenbond"


def _received(n: int, payload: dict) -> ReceivedActivity:
    return ReceivedActivity.objects.create(
        activity_id=f"https://haven.example/activities/{n}",
        activity_type=payload["type"],
        actor=REMOTE,
        key_id=f"{REMOTE}#main-key",
        signature_scheme="rfc9421",
        payload=payload,
    )


def test_activities_received_before_the_upgrade_are_found_by_what_they_are_about(allow_private):
    appeal = f"{SITE}/appeals/12/"
    meeting = f"{SITE}/meetings/3/"
    offer = _received(1, {"type": "Offer", "object": {"type": "Pledge"}, "target": appeal})
    undo = _received(2, {"type": "Undo", "object": {"type": "Offer", "target": appeal}})
    accept = _received(3, {"type": "Accept", "object": meeting + "#invitation"})
    theirs = _received(4, {"type": "Create", "object": {"id": "https://haven.example/n/1"}})

    FILL.fill_about(apps, None)

    found = dict(ReceivedActivity.objects.values_list("pk", "about"))
    assert found == {offer.pk: appeal, undo.pk: appeal, accept.pk: meeting, theirs.pk: ""}
    # The erase's query: by the address, not by reading every payload.
    about_appeal = ReceivedActivity.objects.filter(about__in=[appeal])
    assert set(about_appeal.values_list("pk", flat=True)) == {offer.pk, undo.pk}
