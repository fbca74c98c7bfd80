"""The life of an appeal after sending: updates on its timeline, resolution, and escalation."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.addressing.models import Ring
from internationale.appeals.models import Addressee, Appeal, AppealUpdate
from internationale.appeals.services import (
    appeal_acknowledge,
    appeal_decline,
    appeal_post_update,
    appeal_resolve,
)
from internationale.appeals.tasks import escalate_due_appeals
from internationale.core.models import AuditEntry, Urgency
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

from .factories import AppealFactory
from .test_sending import codes


def keys(org):  # type: ignore[no-untyped-def]
    """What the organization's inbox entries are about, as webhooks name it."""
    return {entry.source_key for entry in InboxEntry.objects.filter(organization=org)}


def test_an_update_reaches_every_organization_that_responded_and_no_other(
    sam, owner_org, other_org, kim, send, work_off, django_capture_on_commit_callbacks
):
    decliner, silent = OrganizationFactory(), OrganizationFactory()
    appeal = send(
        AppealFactory(organization=owner_org), sam, add=[other_org.pk, decliner.pk, silent.pk]
    )
    appeal_acknowledge(actor=kim, appeal=appeal, organization=other_org)
    Addressee.objects.get(organization=decliner)
    from internationale.appeals.models import Response

    Response.objects.create(appeal=appeal, organization=decliner, kind="declined", reason="No.")

    with django_capture_on_commit_callbacks(execute=True):
        update = appeal_post_update(actor=sam, appeal=appeal, text="Day 5: police at the gate.")
    work_off()

    key = f"appeals.appealupdate:{update.pk}"
    assert key in keys(other_org) and key in keys(decliner)
    assert key not in keys(silent)
    assert [u.kind for u in appeal.updates.all()] == ["sent", "update"]


def test_members_do_not_post_updates_and_an_empty_update_is_refused(sent, mo, sam):
    with pytest.raises(PermissionDenied):
        appeal_post_update(actor=mo, appeal=sent, text="Hello")
    with pytest.raises(ValidationError) as error:
        appeal_post_update(actor=sam, appeal=sent, text=" ")
    assert codes(error) == {"text_required"}


def test_an_update_posted_twice_with_one_key_is_posted_once(sent, sam):
    first = appeal_post_update(actor=sam, appeal=sent, text="Day 2", submission_key="u1")
    again = appeal_post_update(actor=sam, appeal=sent, text="Day 2", submission_key="u1")
    assert first.pk == again.pk
    assert AppealUpdate.objects.filter(kind="update").count() == 1


def test_resolving_records_the_outcome_on_the_timeline_tells_responders_and_audits(
    sent, sam, kim, other_org, work_off, django_capture_on_commit_callbacks
):
    appeal_acknowledge(actor=kim, appeal=sent, organization=other_org)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_resolve(actor=sam, appeal=sent, outcome="partly_won", report="Half reinstated.")
    work_off()

    sent.refresh_from_db()
    assert (sent.status, sent.outcome, sent.outcome_report) == (
        "resolved",
        "partly_won",
        "Half reinstated.",
    )
    assert AppealUpdate.objects.filter(appeal=sent, kind="resolved").exists()
    assert AuditEntry.objects.filter(action="appeal.resolve").exists()
    entry = InboxEntry.objects.get(organization=other_org, kind="appeal.resolved")
    assert entry.title.startswith("Resolved (Partly won)")


def test_resolving_needs_an_outcome_and_a_report_and_a_live_appeal(sent, draft, sam, kim):
    for outcome, report, code in (("tie", "x", "invalid_outcome"), ("won", "", "report_required")):
        with pytest.raises(ValidationError) as error:
            appeal_resolve(actor=sam, appeal=sent, outcome=outcome, report=report)
        assert codes(error) == {code}
    with pytest.raises(PermissionDenied):
        appeal_resolve(actor=kim, appeal=sent, outcome="won", report="x")
    appeal_resolve(actor=sam, appeal=sent, outcome="won", report="Won.")
    with pytest.raises(ValidationError) as error:
        appeal_resolve(actor=sam, appeal=sent, outcome="won", report="Again.")
    assert codes(error) == {"appeal_not_open"}


# Escalation -------------------------------------------------------------------------------------


@pytest.fixture
def urgent(owner_org, sam, other_org, send):
    """An urgent appeal from Brazil sent to Korea, expecting 2 answers within the hour; in the
    network besides: a union in Argentina (the Americas) and one in France."""
    OrganizationFactory(slug="cgt-ar", country="AR")
    OrganizationFactory(slug="cgt-fr", country="FR")
    appeal = AppealFactory(
        organization=owner_org,
        urgency=Urgency.URGENT,
        escalation_threshold=2,
        escalate_at=timezone.now() + datetime.timedelta(hours=1),
    )
    return send(appeal, sam, add=[other_org.pk])


def time_passes(appeal):  # type: ignore[no-untyped-def]
    """Move the appeal's escalation time (and its sending) an hour and a half back."""
    back = datetime.timedelta(minutes=90)
    appeal.refresh_from_db()
    Appeal.objects.filter(pk=appeal.pk).update(
        escalate_at=appeal.escalate_at - back, sent_at=appeal.sent_at - back
    )


def addressed(appeal):  # type: ignore[no-untyped-def]
    return set(Addressee.objects.filter(appeal=appeal).values_list("organization__slug", flat=True))


def escalate(work_off):  # type: ignore[no-untyped-def]
    escalate_due_appeals.enqueue()
    work_off()


def test_an_unanswered_urgent_appeal_widens_to_its_region_then_to_the_network_once_each(
    urgent, owner_org, work_off
):
    work_off()
    escalate(work_off)
    assert addressed(urgent) == {"docks-kr"}  # not due yet

    time_passes(urgent)
    escalate(work_off)
    escalate(work_off)  # run again at once: nothing more

    urgent.refresh_from_db()
    assert (urgent.status, urgent.ring) == ("escalated", Ring.REGION)
    assert addressed(urgent) == {"docks-kr", "cgt-ar"}
    escalation = AppealUpdate.objects.get(appeal=urgent, kind="escalated", data__ring=1)
    assert f"appeals.appealupdate:{escalation.pk}" in keys(owner_org)
    assert InboxEntry.objects.about(urgent).filter(organization__slug="cgt-ar")
    assert Addressee.objects.get(organization__slug="cgt-ar").reasons == [
        ["region", {"region": "Americas"}]
    ]

    time_passes(urgent)  # as long again: the next ring
    escalate(work_off)
    escalate(work_off)

    urgent.refresh_from_db()
    assert (urgent.ring, urgent.escalate_at) == (Ring.NETWORK, None)
    assert addressed(urgent) == {"docks-kr", "cgt-ar", "cgt-fr"}
    assert [u.data["ring"] for u in urgent.updates.filter(kind="escalated")] == [1, 2]
    assert AuditEntry.objects.filter(action="appeal.escalate").count() == 2
    assert InboxEntry.objects.about(urgent).count() == 3


def test_an_appeal_answered_enough_does_not_escalate(urgent, kim, other_org, work_off):
    urgent.escalation_threshold = 1
    urgent.save()
    appeal_acknowledge(actor=kim, appeal=urgent, organization=other_org)
    time_passes(urgent)
    escalate(work_off)
    urgent.refresh_from_db()
    assert (urgent.status, urgent.escalate_at) == ("open", None)
    assert addressed(urgent) == {"docks-kr"}


def test_a_decline_is_not_support_and_does_not_hold_escalation_back(
    urgent, kim, other_org, work_off
):
    urgent.escalation_threshold = 1
    urgent.save()
    appeal_decline(actor=kim, appeal=urgent, organization=other_org, reason="Cannot.")
    time_passes(urgent)
    escalate(work_off)
    assert "cgt-ar" in addressed(urgent)


def test_a_routine_or_resolved_appeal_never_escalates(urgent, sam, work_off):
    Appeal.objects.filter(pk=urgent.pk).update(urgency=Urgency.ROUTINE)
    time_passes(urgent)
    escalate(work_off)
    assert addressed(urgent) == {"docks-kr"}
    Appeal.objects.filter(pk=urgent.pk).update(urgency=Urgency.EMERGENCY)
    appeal_resolve(actor=sam, appeal=urgent, outcome="won", report="Won.")
    escalate(work_off)
    assert addressed(urgent) == {"docks-kr"}


def test_an_escalation_time_in_the_past_is_refused(owner_org, sam):
    from internationale.appeals.services import appeal_create

    with pytest.raises(ValidationError) as error:
        appeal_create(
            actor=sam,
            organization=owner_org,
            title="x",
            text="x",
            language="en",
            situation="arrests",
            country="BR",
            asks_propaganda=True,
            escalate_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert codes(error) == {"escalation_in_past"}


def test_escalation_is_scheduled_for_the_worker():
    assert ("internationale.appeals.tasks.escalate_due_appeals", 60) in (
        settings.INTERNATIONALE_PERIODIC_TASKS
    )
