"""Fixtures of the webhook tests: a receiver on 127.0.0.1, and notices sent."""

import pytest

from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory

from .notices import TITLE, notify
from .webhook_server import Receiver


@pytest.fixture
def allow_private(settings):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def receiver():
    receivers: list[Receiver] = []

    def start(*statuses: int, location: str = "") -> Receiver:
        r = Receiver(statuses=list(statuses) or [200], location=location).start()
        receivers.append(r)
        return r

    yield start
    for r in receivers:
        r.stop()


@pytest.fixture
def deliver(db):
    """Send notices of a public appeal, for the worker to dispatch: one appeal per `key`, so that
    notices with different keys are about different things."""
    appeals: dict[str, Appeal] = {}

    def deliver(*organizations, key="appeal:7"):  # type: ignore[no-untyped-def]
        if key not in appeals:
            appeals[key] = AppealFactory(title=TITLE, visibility="public", status="open")
        return notify(*organizations, source=appeals[key], at_once=False)

    deliver.appeal = appeals.setdefault(  # type: ignore[attr-defined]
        "appeal:7", AppealFactory(title=TITLE, visibility="public", status="open")
    )
    return deliver
