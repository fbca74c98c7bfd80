"""Activities that come out of order: a `Delete` before its `Create` leaves a tombstone, so that
the `Create` coming later makes nothing (an appeal, a statement, a meeting or advice its issuer
already deleted);
an `Update` before its `Create` waits FEDERATION_EARLY_UPDATE_DAYS for it, then is dropped."""

import datetime

import pytest
from django.utils import timezone

from internationale.appeals.models import Appeal
from internationale.cooperation.models import Meeting
from internationale.core.history import prunables, prune
from internationale.federation.models import (
    ReceivedActivity,
    ReceivedContent,
    ReceivedObject,
    ReceivedStatement,
)
from internationale.notifications.models import InboxEntry
from internationale.statements.models import Advice, Statement

from . import test_received_advice as advice
from . import test_received_meetings as meetings
from . import test_received_statements as statements
from .test_receiving import INBOX, METAL, article, create

pytestmark = pytest.mark.django_db


def test_an_appeal_deleted_before_its_create_arrives_is_never_made(
    client, rotterdam, accepted, owner_org, work_off
):
    obj = article(rotterdam)
    # Deliveries cross: its issuer's Delete arrives first, then the Create retried later.
    gone = rotterdam.activity("Delete", object={"id": obj["id"], "type": "Tombstone"}, to=[METAL])
    assert rotterdam.post(client, INBOX, gone).status_code == 202
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    assert not Appeal.objects.exists() and not ReceivedObject.objects.exists()
    assert not InboxEntry.objects.filter(organization=owner_org).exists()
    assert ReceivedActivity.objects.get(activity_type="Delete").outcome == "delete_early"
    assert ReceivedActivity.objects.get(activity_type="Create").outcome == "deleted_before"
    # Another appeal of the same organization still comes.
    other = article(rotterdam, number=2)
    assert rotterdam.post(client, INBOX, create(rotterdam, other, [METAL])).status_code == 202
    assert Appeal.objects.count() == 1


def test_a_statement_deleted_before_its_create_arrives_is_never_made(client, rotterdam, accepted):
    obj = statements.article(rotterdam)
    assert statements.send(client, rotterdam, "Delete", obj["id"]).status_code == 202
    assert statements.send(client, rotterdam, "Create", obj).status_code == 202
    assert not Statement.objects.exists() and not ReceivedStatement.objects.exists()


def test_a_meeting_deleted_before_its_create_arrives_is_never_made(
    client, rotterdam, accepted, owner_org
):
    obj = meetings.event(rotterdam)
    gone = rotterdam.activity("Delete", object=obj["id"], to=[METAL])
    assert rotterdam.post(client, INBOX, gone).status_code == 202
    assert ReceivedActivity.objects.get(activity_id=gone["id"]).outcome == "delete_early"
    create_event = meetings.create(rotterdam, obj)
    assert rotterdam.post(client, INBOX, create_event).status_code == 202
    # Its host deleted it: no meeting, nobody invited, nothing in anyone's calendar.
    assert not Meeting.objects.exists() and not ReceivedContent.objects.exists()
    created = ReceivedActivity.objects.get(activity_id=create_event["id"])
    assert created.outcome == "deleted_before"


def test_advice_deleted_before_its_create_arrives_is_never_given(
    client, rotterdam, accepted, owner_org
):
    obj = advice.note(rotterdam)
    gone = rotterdam.activity("Delete", object=obj["id"], to=[METAL])
    assert rotterdam.post(client, INBOX, gone).status_code == 202
    given = advice.create(rotterdam, obj)
    assert rotterdam.post(client, INBOX, given).status_code == 202
    assert not Advice.objects.exists() and not ReceivedContent.objects.exists()
    assert ReceivedActivity.objects.get(activity_id=given["id"]).outcome == "deleted_before"


def test_an_update_whose_create_never_comes_is_dropped_after_the_days_set(
    client, rotterdam, accepted, settings, work_off
):
    settings.INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS = 2
    obj = article(rotterdam)
    resolved = {**obj, "status": "resolved", "outcome": "won", "outcomeReport": "Back at work."}
    early = rotterdam.activity("Update", object=resolved, to=[METAL])
    assert rotterdam.post(client, INBOX, early).status_code == 202
    row = ReceivedActivity.objects.get(activity_id=early["id"])
    assert row.outcome == "update_early"
    # Three days later, its Create has not come: the daily prune drops it (received activities
    # are otherwise kept 30 days).
    ReceivedActivity.objects.filter(pk=row.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=3)
    )
    dropped = prune(prunables()["federation updates that came before their create"])
    assert dropped == 1 and not ReceivedActivity.objects.filter(pk=row.pk).exists()


def test_an_update_older_than_the_days_set_is_not_applied_when_its_create_comes_at_last(
    client, rotterdam, accepted, settings, work_off
):
    settings.INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS = 2
    obj = article(rotterdam)
    resolved = {**obj, "status": "resolved", "outcome": "won", "outcomeReport": "Back at work."}
    early = rotterdam.activity("Update", object=resolved, to=[METAL])
    assert rotterdam.post(client, INBOX, early).status_code == 202
    ReceivedActivity.objects.filter(activity_id=early["id"]).update(
        received_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = ReceivedObject.objects.get(url=obj["id"]).appeal
    assert appeal.status == "open"
