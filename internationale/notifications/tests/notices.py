"""Sending notices in tests, as a service does: about a public appeal by default, whose title is
the notice's title."""

import datetime
from typing import Any

from django.db import models, transaction

from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.models import Notice, Urgency
from internationale.core.notices import dispatch, notice_dispatch, notice_send

TITLE = "Lockout at the port of Busan"


def notify(
    *organizations: Any,
    title: str = TITLE,
    source: models.Model | None = None,
    visibility: str = "public",
    urgency: int = Urgency.ROUTINE,
    deadline: datetime.datetime | None = None,
    summary: str = "",
    at_once: bool = True,
    kind: str = "appeal.received",
) -> Notice:
    """Send a notice of a new appeal (or of another `kind` about it) to `organizations`. `at_once`: put it in their inboxes now,
    e-mailing no one; otherwise queue its dispatch, as the commit does, for the worker to run."""
    if source is None:
        source = AppealFactory(title=title, visibility=visibility, status=Appeal.Status.OPEN)
    with transaction.atomic():
        notice = notice_send(
            kind=kind,
            source=source,
            organizations=organizations,
            params={"title": title},
            summary=summary,
            urgency=urgency,
            deadline=deadline,
        )
    assert notice is not None
    if at_once:
        dispatch(notice, only=["inbox"])
    else:
        notice_dispatch.enqueue(notice.pk)
    return notice
