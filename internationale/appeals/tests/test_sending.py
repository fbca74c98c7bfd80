"""Sending: addressees recorded at once, inboxes and notifications in background batches, once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Addressee, Appeal, AppealUpdate
from internationale.appeals.services import (
    appeal_add_addressees,
    appeal_create,
    appeal_edit,
    appeal_send,
)
from internationale.appeals.tasks import deliver_appeal
from internationale.core.models import AuditEntry, Urgency
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership, Organization
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AppealFactory


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
    assert AppealUpdate.objects.get(appeal=draft).kind == AppealUpdate.Kind.SENT
    entry = AuditEntry.objects.get(action="appeal.send")
    assert (entry.actor, entry.data["addressees"]) == (sam, 1)


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


def test_sending_to_many_takes_a_number_of_queries_that_grows_with_batches_only(draft, sam, send):
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Union {n}",
                slug=f"u-{n}",
                kind="union",
                country="AR",
                verified_at=timezone.now(),
            )
            for n in range(1200)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        send(draft, sam, regions=["Americas"])

    assert Addressee.objects.filter(appeal=draft).count() == 1200
    # bulk inserts of 500, and 3 delivery tasks: the count grows with batches, not addressees.
    assert len(queries) < 25
    assert DBTaskResult.objects.count() == 3


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
