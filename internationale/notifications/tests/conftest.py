"""Fixtures of the webhook tests: a receiver on 127.0.0.1, and inbox entries delivered."""

import pytest

from internationale.notifications.services import inbox_deliver

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
def deliver(django_capture_on_commit_callbacks):
    def deliver(*organizations, key="appeal:7"):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            inbox_deliver(
                organizations=organizations,
                kind="appeal.received",
                title="Lockout at the port of Busan",
                url="/appeals/7/",
                key=key,
                notify=True,
            )

    return deliver
