"""Fixtures for appeals: a draft by the Metalworkers (Sam is their secretary), sending it, and
and a webhook to receive what the fan-out sends."""

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals import public_page
from internationale.notifications.services import webhook_create
from internationale.notifications.tests.webhook_server import Receiver

from .factories import AppealFactory, send_now


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    """Pages kept by an earlier test are not this one's (its database may reuse their ids)."""
    public_page.pages.clear()
    public_page.fragments.clear()


@pytest.fixture
def draft(owner_org, sam):
    return AppealFactory(organization=owner_org, created_by=sam)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an appeal as someone, with criteria: its addressees recorded by the send's task, its
    delivery queued (not yet run)."""

    def send(appeal, actor, **criteria):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return send_now(actor=actor, appeal=appeal, criteria=Criteria(**criteria))

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
