"""Fixtures for appeals: a draft by the Metalworkers (Sam is their secretary), sending it, and
running the background work it queues until none is left."""

import pytest
from django_tasks_db.models import DBTaskResult

from internationale.addressing.routing import Criteria
from internationale.appeals.services import appeal_send
from internationale.notifications.services import webhook_create
from internationale.notifications.tests.webhook_server import Receiver

from .factories import AppealFactory


@pytest.fixture
def draft(owner_org, sam):
    return AppealFactory(organization=owner_org, created_by=sam)


@pytest.fixture
def work_off(run_tasks, django_capture_on_commit_callbacks):
    """Run queued tasks, and the tasks they queue on commit, until nothing is left. Fails if a
    task failed: the worker records failures instead of raising them."""

    def work_off() -> int:
        total = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                ran = run_tasks()
            total += ran
            if not ran:
                break
        failed = DBTaskResult.objects.filter(status="FAILED")
        assert not failed.exists(), [r.traceback for r in failed]
        return total

    return work_off


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an appeal as someone, with criteria, its background tasks queued (not yet run)."""

    def send(appeal, actor, **criteria):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return appeal_send(actor=actor, appeal=appeal, criteria=Criteria(**criteria))

    return send


@pytest.fixture
def sent(draft, sam, other_org, send):
    """The draft, sent by hand to the Korean dockworkers."""
    return send(draft, sam, add=[other_org.pk])


@pytest.fixture
def webhook_of(settings):
    """Give an organization a webhook on a real HTTP server on 127.0.0.1, added by its admin;
    returns the server, which records what it receives."""
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    receivers: list[Receiver] = []

    def webhook_of(admin, organization):  # type: ignore[no-untyped-def]
        receiver = Receiver().start()
        receivers.append(receiver)
        webhook_create(actor=admin, organization=organization, url=receiver.url)
        return receiver

    yield webhook_of
    for receiver in receivers:
        receiver.stop()
