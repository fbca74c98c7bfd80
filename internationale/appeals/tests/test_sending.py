"""Sending: addressees recorded at once, inboxes and notifications in background batches, once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.addressing import services
from internationale.addressing.routing import Criteria
from internationale.appeals.models import Addressee, Appeal, AppealUpdate
from internationale.appeals.services import (
    appeal_acknowledge,
    appeal_add_addressees,
    appeal_close,
    appeal_create,
    appeal_edit,
    appeal_send,
    appeal_send_finish,
)
from internationale.appeals.tasks import deliver_appeal, finish_stalled_sends
from internationale.core.models import AuditEntry, Urgency
from internationale.core.worker import run_pending_tasks
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership, Organization
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import SEND_TASK, AddresseeFactory, AppealFactory

DELIVER_TASK = "internationale.appeals.tasks.deliver_appeal"


def codes(error):  # type: ignore[no-untyped-def]
    e = error.value
    errors = (
        [x for xs in e.error_dict.values() for x in xs]
        if hasattr(e, "error_dict")
        else e.error_list
    )
    return {x.code for x in errors}


def test_sending_records_the_addressees_with_their_reasons_and_audits(draft, sam, other_org, send):
    send(draft, sam, add=[other_org.pk])

    draft.refresh_from_db()
    assert draft.status == Appeal.Status.OPEN
    assert draft.sent_at is not None
    addressee = Addressee.objects.get(appeal=draft)
    assert (addressee.organization, addressee.reasons) == (other_org, [["manual", {}]])
    sent = AppealUpdate.objects.get(appeal=draft)
    assert (sent.kind, sent.data["addressees"], sent.created_by) == (AppealUpdate.Kind.SENT, 1, sam)
    assert AuditEntry.objects.get(action="appeal.send").actor == sam


def test_the_fan_out_puts_one_entry_in_each_inbox_and_emails_each_secretary_once_even_run_twice(
    draft, sam, other_org, kim, kai, kit, work_off, send
):
    third = OrganizationFactory(slug="third")
    third_secretary = MembershipFactory(organization=third, role=Membership.Role.SECRETARY).user
    send(draft, sam, add=[other_org.pk, third.pk])
    work_off()
    deliver_appeal.enqueue(draft.pk, [other_org.pk, third.pk])  # a retried task
    work_off()

    entries = InboxEntry.objects.about(draft)
    assert sorted(entries.values_list("organization__slug", flat=True)) == ["docks-kr", "third"]
    entry = entries.get(organization=other_org)
    assert (entry.title, entry.urgency, entry.deadline) == (
        draft.title,
        Urgency.URGENT,
        draft.deadline,
    )
    # Admins and secretaries are e-mailed, once; members read the inbox.
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        ["kim@docks.example", "kai@docks.example", third_secretary.email]
    )
    assert not Addressee.objects.filter(appeal=draft, delivered_at__isnull=True).exists()


def test_the_fan_out_runs_one_task_per_batch_of_addressees(draft, sam, send, monkeypatch):
    OrganizationFactory.create_batch(3)
    monkeypatch.setattr("internationale.appeals.services.BATCH", 2)
    send(draft, sam, countries=["BR"])
    batches = DBTaskResult.objects.filter(task_path="internationale.appeals.tasks.deliver_appeal")
    assert sorted(len(b.args_kwargs["args"][1]) for b in batches) == [1, 2]


def test_sending_again_is_refused_and_changes_nothing(sent, sam, other_org):
    with pytest.raises(ValidationError) as error:
        appeal_send(actor=sam, appeal=sent, criteria=Criteria(countries=["KR"]))
    assert codes(error) == {"already_sent"}
    assert Addressee.objects.filter(appeal=sent).count() == 1


def test_adding_addressees_later_sends_only_to_the_new_ones(
    sent, sam, other_org, kim, work_off, django_capture_on_commit_callbacks
):
    work_off()
    mail.outbox.clear()
    newcomer = OrganizationFactory(slug="newcomer")
    MembershipFactory(organization=newcomer, role=Membership.Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        added = appeal_add_addressees(actor=sam, appeal=sent, organizations=[other_org, newcomer])
    work_off()

    assert added == [newcomer.pk]
    batches = DBTaskResult.objects.filter(task_path="internationale.appeals.tasks.deliver_appeal")
    assert batches.order_by("enqueued_at").last().args_kwargs["args"][1] == [newcomer.pk]
    assert InboxEntry.objects.about(sent).count() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to != ["kim@docks.example"]


def test_adding_an_organization_that_does_not_exist_is_refused(sent, sam, unverified_org):
    for missing in (987654, unverified_org.pk):
        with pytest.raises(ValidationError) as error:
            appeal_add_addressees(actor=sam, appeal=sent, organizations=[missing])
        assert codes(error) == {"unknown_addressee"}
    assert Addressee.objects.filter(appeal=sent).count() == 1


def test_criteria_that_choose_nobody_are_refused(draft, sam):
    with pytest.raises(ValidationError) as error:
        appeal_send(actor=sam, appeal=draft, criteria=Criteria(countries=["IS"]))
    assert codes(error) == {"no_addressees"}
    draft.refresh_from_db()
    assert draft.status == Appeal.Status.DRAFT


def test_a_deadline_in_the_past_is_refused_when_sending(draft, sam, other_org):
    Appeal.objects.filter(pk=draft.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    assert codes(error) == {"deadline_in_past"}
    assert not Addressee.objects.exists()


@pytest.mark.parametrize("person", ["mo", "olu", "kim", "nell"])
def test_only_those_who_speak_for_the_issuer_send(request, draft, other_org, person):
    with pytest.raises(PermissionDenied):
        appeal_send(
            actor=request.getfixturevalue(person),
            appeal=draft,
            criteria=Criteria(add=[other_org.pk]),
        )
    assert not Addressee.objects.exists()


def _unions(count: int) -> None:
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Union {n}",
                slug=f"u-{n}",
                kind="union",
                country="AR",
                verified_at=timezone.now(),
            )
            for n in range(count)
        ]
    )


@pytest.mark.parametrize("count", [3, 1200])
def test_the_send_request_takes_the_same_queries_for_three_addressees_or_thousands(
    draft, sam, count, django_assert_max_num_queries
):
    _unions(count)
    with django_assert_max_num_queries(12):
        appeal_send(actor=sam, appeal=draft, criteria=Criteria(regions=["Americas"]))

    # Answered before any addressee is recorded: the appeal is being sent, by one task.
    assert Appeal.objects.get(pk=draft.pk).status == Appeal.Status.SENDING
    assert not Addressee.objects.filter(appeal=draft).exists()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [SEND_TASK]


def test_the_send_task_takes_a_number_of_queries_that_grows_with_batches_only(
    draft, sam, monkeypatch
):
    _unions(1200)
    monkeypatch.setattr("internationale.appeals.services.RECORD_BATCH", 500)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(regions=["Americas"]))
    with CaptureQueriesContext(connection) as queries:
        run_pending_tasks(only=SEND_TASK)

    assert Addressee.objects.filter(appeal=draft).count() == 1200
    # 3 batches routed and inserted, 3 delivery tasks queued: it grows with batches, not rows.
    assert len(queries) < 40
    assert DBTaskResult.objects.filter(task_path=DELIVER_TASK).count() == 3


def test_a_send_whose_worker_died_half_way_is_finished_by_the_next_run_without_duplicates(
    draft, sam, monkeypatch
):
    _unions(5)
    monkeypatch.setattr("internationale.appeals.services.RECORD_BATCH", 2)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(regions=["Americas"]))
    record = services.addressees_record
    calls = []

    def dies_at_the_second_batch(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker is stopped mid-task, as by a signal
        return record(**kwargs)

    monkeypatch.setattr(
        "internationale.addressing.services.addressees_record", dies_at_the_second_batch
    )
    with pytest.raises(KeyboardInterrupt):
        appeal_send_finish(appeal_id=draft.pk, sent_by=sam.pk)
    assert Addressee.objects.filter(appeal=draft).count() == 2
    assert Appeal.objects.get(pk=draft.pk).status == Appeal.Status.SENDING
    monkeypatch.setattr("internationale.addressing.services.addressees_record", record)

    # The worker's lease ran out: the task runs again, and once more for good measure.
    run_pending_tasks(only=SEND_TASK)
    appeal_send_finish(appeal_id=draft.pk, sent_by=sam.pk)

    assert Appeal.objects.get(pk=draft.pk).status == Appeal.Status.OPEN
    assert Addressee.objects.filter(appeal=draft).count() == 5
    assert AppealUpdate.objects.filter(appeal=draft, kind=AppealUpdate.Kind.SENT).count() == 1
    batches = DBTaskResult.objects.filter(task_path=DELIVER_TASK)
    assert sorted(o for b in batches for o in b.args_kwargs["args"][1]) == sorted(
        Addressee.objects.filter(appeal=draft).values_list("organization_id", flat=True)
    )


def test_of_two_sends_at_once_one_sends(draft, sam, other_org):
    stale = Appeal.objects.get(pk=draft.pk)  # read by the second request before the first sent
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    with pytest.raises(ValidationError) as error:
        appeal_send(actor=sam, appeal=stale, criteria=Criteria(countries=["KR"]))

    assert codes(error) == {"already_sent"}
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == 1
    assert AuditEntry.objects.filter(action="appeal.send").count() == 1


def test_an_appeal_being_sent_is_seen_by_its_issuer_only_and_answered_by_nobody_yet(
    draft, sam, kim, other_org
):
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    AddresseeFactory(appeal=draft, organization=other_org)  # recorded, the send not yet done

    assert Appeal.objects.visible_to(sam).filter(pk=draft.pk).exists()
    assert not Appeal.objects.visible_to(kim).filter(pk=draft.pk).exists()
    with pytest.raises((ValidationError, PermissionDenied)):
        appeal_acknowledge(actor=kim, appeal=draft, organization=other_org)
    with pytest.raises(ValidationError) as error:
        appeal_close(actor=sam, appeal=draft)
    assert codes(error) == {"appeal_sending"}


# Drafts -----------------------------------------------------------------------------------------


def test_a_secretary_issues_a_draft_with_a_goal_in_money(owner_org, sam):
    appeal = appeal_create(
        actor=sam,
        organization=owner_org,
        title="Strike at the Campinas plant",
        text="We are on strike. <script>alert(1)</script>",
        language="pt-br",
        situation="strike",
        country="br",
        asks_material_aid=True,
        aid_goal_amount="25000.50",
        aid_goal_currency="brl",
    )
    assert (appeal.status, appeal.language, appeal.aid_goal_currency) == ("draft", "pt-BR", "BRL")
    assert str(appeal.aid_goal_amount) == "25000.50"
    assert "<script>" in appeal.text and "<script>" not in appeal.text_html


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"language": "not a language!"}, "invalid_language"),
        ({"asks_sympathy": False}, "no_support_requested"),
        ({"sympathy_address": ""}, "sympathy_target_required"),
        (
            {"asks_material_aid": True, "aid_goal_amount": "-5", "aid_goal_currency": "EUR"},
            "amount_not_positive",
        ),
        (
            {"asks_material_aid": True, "aid_goal_amount": "0", "aid_goal_currency": "EUR"},
            "amount_not_positive",
        ),
        (
            {"asks_material_aid": True, "aid_goal_amount": "100", "aid_goal_currency": "EUX"},
            "invalid_currency",
        ),
        ({"asks_material_aid": True}, "aid_goal_required"),
        ({"deadline": timezone.now() - datetime.timedelta(days=1)}, "deadline_in_past"),
        ({"visibility": "private"}, "invalid_choice"),
    ],
)
def test_bad_input_to_an_appeal_is_refused_with_a_code(owner_org, sam, fields, code):
    data = {
        "title": "Lockout",
        "text": "Locked out.",
        "language": "pt",
        "situation": "lockout",
        "country": "BR",
        "asks_sympathy": True,
        "sympathy_target": "The board",
        "sympathy_address": "Stuttgart",
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        appeal_create(actor=sam, organization=owner_org, **data)
    assert code in codes(error)
    assert not Appeal.objects.exists()


def test_members_observers_and_unverified_organizations_do_not_issue_appeals(
    owner_org, unverified_org, mo, olu, uma
):
    for actor, org in ((mo, owner_org), (olu, owner_org), (uma, unverified_org)):
        with pytest.raises(PermissionDenied):
            appeal_create(
                actor=actor,
                organization=org,
                title="x",
                text="x",
                language="en",
                situation="other",
                country="BR",
                asks_propaganda=True,
            )


def test_a_draft_is_edited_and_a_sent_appeal_is_not(owner_org, sent, sam):
    draft = AppealFactory(organization=owner_org)
    appeal_edit(actor=sam, appeal=draft, title="Lockout: day 3")
    assert Appeal.objects.get(pk=draft.pk).title == "Lockout: day 3"
    with pytest.raises(ValidationError) as error:
        appeal_edit(actor=sam, appeal=sent, title="Changed")
    assert codes(error) == {"not_draft"}


def test_an_edit_read_before_the_send_and_saved_after_it_is_refused_and_changes_nothing(
    draft, sam, other_org, send
):
    read_before = Appeal.objects.get(pk=draft.pk)
    send(draft, sam, add=[other_org.pk])
    with pytest.raises(ValidationError) as error:
        appeal_edit(actor=sam, appeal=read_before, title="Changed after the send")
    assert codes(error) == {"not_draft"}
    appeal = Appeal.objects.get(pk=draft.pk)
    assert appeal.status == Appeal.Status.OPEN
    assert appeal.title == draft.title


def test_an_appeal_created_twice_with_one_key_is_created_once(owner_org, sam):
    def create():  # type: ignore[no-untyped-def]
        return appeal_create(
            actor=sam,
            organization=owner_org,
            title="x",
            text="x",
            language="en",
            situation="other",
            country="BR",
            asks_propaganda=True,
            submission_key="k-1",
        )

    assert create().pk == create().pk
    assert Appeal.objects.count() == 1


def test_the_factory_draft_is_valid(owner_org):
    AppealFactory(organization=owner_org).full_clean()


def test_the_issuers_page_says_the_appeal_is_being_sent_until_the_task_has_run(
    draft, sam, kim, other_org, client_for
):
    page = client_for(sam).post(f"/appeals/{draft.pk}/send/", {"add": other_org.slug})
    assert page.status_code == 302
    detail = client_for(sam).get(f"/appeals/{draft.pk}/").content.decode()
    assert "Sending: 0 organizations recorded so far" in detail
    assert client_for(kim).get(f"/appeals/{draft.pk}/").status_code == 404

    run_pending_tasks(only=SEND_TASK)

    detail = client_for(sam).get(f"/appeals/{draft.pk}/").content.decode()
    assert "recorded so far" not in detail
    assert client_for(kim).get(f"/appeals/{draft.pk}/").status_code == 200


def test_each_batch_fills_its_inboxes_as_it_is_delivered_and_the_emails_follow(
    draft, sam, other_org, kim, send
):
    send(draft, sam, add=[other_org.pk])
    run_pending_tasks(only=DELIVER_TASK)

    assert InboxEntry.objects.about(draft).filter(organization=other_org).exists()
    assert mail.outbox == []  # queued after every inbox of the send
    run_pending_tasks()
    assert "kim@docks.example" in [a for m in mail.outbox for a in m.to]


def test_a_send_whose_task_failed_is_finished_by_the_schedule_later(draft, sam, other_org):
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    DBTaskResult.objects.filter(task_path=SEND_TASK).update(status="FAILED")
    assert finish_stalled_sends.call() == 0  # too recent: its task may still be running

    Appeal.objects.filter(pk=draft.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    assert finish_stalled_sends.call() == 1

    assert Appeal.objects.get(pk=draft.pk).status == Appeal.Status.OPEN
    assert Addressee.objects.filter(appeal=draft, organization=other_org).exists()


def test_a_send_finished_by_the_schedule_is_posted_as_sent_by_the_person_who_sent_it(
    draft, sam, other_org
):
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    DBTaskResult.objects.filter(task_path=SEND_TASK).update(status="FAILED")
    Appeal.objects.filter(pk=draft.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    assert finish_stalled_sends.call() == 1

    sent = AppealUpdate.objects.get(appeal=draft, kind=AppealUpdate.Kind.SENT)
    assert sent.created_by == sam


def test_a_late_run_of_a_send_finished_meanwhile_adds_no_addressee_left_undelivered(
    draft, sam, monkeypatch
):
    _unions(2)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(countries=["AR"]))
    record = services.addressees_record_routed

    def finished_meanwhile(**kwargs):  # type: ignore[no-untyped-def]
        # The late run has read the appeal as sending; the schedule's run finishes it now, then
        # one more union is verified, which the late run's routing chooses.
        monkeypatch.setattr("internationale.appeals.services.addressees_record_routed", record)
        appeal_send_finish(appeal_id=draft.pk)
        OrganizationFactory(name="Union late", slug="u-late", kind="union", country="AR")
        return record(**kwargs)

    monkeypatch.setattr(
        "internationale.appeals.services.addressees_record_routed", finished_meanwhile
    )
    appeal_send_finish(appeal_id=draft.pk, sent_by=sam.pk)
    run_pending_tasks()

    addressees = Addressee.objects.filter(appeal=draft)
    assert addressees.count() == 2
    assert not addressees.filter(delivered_at__isnull=True).exists()
    assert InboxEntry.objects.about(draft).count() == 2


def test_a_send_that_fails_again_does_not_hold_back_the_other_stalled_sends(
    draft, sam, other_org, owner_org, monkeypatch
):
    from internationale.appeals import tasks

    second = AppealFactory(organization=owner_org, created_by=sam)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    appeal_send(actor=sam, appeal=second, criteria=Criteria(add=[other_org.pk]))
    DBTaskResult.objects.filter(task_path=SEND_TASK).update(status="FAILED")
    Appeal.objects.filter(pk=draft.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=2))
    Appeal.objects.filter(pk=second.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    finish = tasks.appeal_send_finish

    def failing_for_the_first(*, appeal_id, **kwargs):  # type: ignore[no-untyped-def]
        if appeal_id == draft.pk:
            raise RuntimeError("the database refused a row")
        return finish(appeal_id=appeal_id, **kwargs)

    monkeypatch.setattr(tasks, "appeal_send_finish", failing_for_the_first)
    assert finish_stalled_sends.call() == 1

    assert Appeal.objects.get(pk=draft.pk).status == Appeal.Status.SENDING
    assert Appeal.objects.get(pk=second.pk).status == Appeal.Status.OPEN
