"""Answering an appeal: acknowledging, declining, passing it on, pledging and keeping pledges."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.appeals.models import Addressee, Appeal, Pledge, Response
from internationale.appeals.services import (
    appeal_acknowledge,
    appeal_close,
    appeal_decline,
    appeal_pass,
    appeal_resolve,
    pledge_create,
    pledge_fulfil,
    pledge_withdraw,
)
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .test_sending import codes


def pledge(actor, appeal, organization, **fields):  # type: ignore[no-untyped-def]
    data = {"forms": ["sympathy"], "description": "Letters from our executive."} | fields
    return pledge_create(actor=actor, appeal=appeal, organization=organization, **data)


def test_an_addressee_acknowledges_once_however_often_it_says_so(sent, kim, kai, other_org):
    first = appeal_acknowledge(actor=kim, appeal=sent, organization=other_org)
    again = appeal_acknowledge(actor=kai, appeal=sent, organization=other_org)
    assert first.pk == again.pk
    assert Response.objects.filter(kind="acknowledged").count() == 1


def test_an_addressee_declines_with_a_reason_once(sent, kim, other_org):
    with pytest.raises(ValidationError) as error:
        appeal_decline(actor=kim, appeal=sent, organization=other_org, reason="  ")
    assert codes(error) == {"reason_required"}
    appeal_decline(actor=kim, appeal=sent, organization=other_org, reason="On strike ourselves.")
    with pytest.raises(ValidationError) as error:
        appeal_decline(actor=kim, appeal=sent, organization=other_org, reason="Again.")
    assert codes(error) == {"already_declined"}
    assert Response.objects.get().reason == "On strike ourselves."


def test_passing_an_appeal_on_delivers_it_to_the_other_organization_and_tells_the_issuer_who(
    sent, kim, other_org, work_off, django_capture_on_commit_callbacks
):
    friend = OrganizationFactory(slug="friend")

    with django_capture_on_commit_callbacks(execute=True):
        passed = appeal_pass(actor=kim, appeal=sent, organization=other_org, to=friend)
    work_off()

    addressee = Addressee.objects.get(appeal=sent, organization=friend)
    assert (addressee.organization, addressee.passed_by) == (friend, other_org)
    assert Response.objects.get(kind="passed") == passed
    assert passed.passed_to == friend
    assert InboxEntry.objects.about(sent).filter(organization=friend).exists()


def test_passing_to_an_organization_that_does_not_exist_or_to_the_issuer_or_itself_is_refused(
    sent, kim, other_org, owner_org, unverified_org
):
    for target, code in (
        (987654, "unknown_addressee"),
        (unverified_org, "unknown_addressee"),
        (owner_org, "already_addressed"),
        (other_org, "already_addressed"),
    ):
        with pytest.raises(ValidationError) as error:
            appeal_pass(actor=kim, appeal=sent, organization=other_org, to=target)
        assert codes(error) == {code}
    assert Addressee.objects.filter(appeal=sent).count() == 1


def test_an_organization_the_appeal_was_not_sent_to_cannot_answer_it(sent, ana, owner_org):
    third = OrganizationFactory()
    secretary = MembershipFactory(organization=third, role="secretary").user
    with pytest.raises(ValidationError) as error:
        pledge(secretary, sent, third)
    assert codes(error) == {"not_addressee"}


@pytest.mark.parametrize("person", ["kit", "mo", "olu", "nell"])
def test_members_observers_and_outsiders_cannot_pledge(request, sent, other_org, person):
    with pytest.raises(PermissionDenied):
        pledge(request.getfixturevalue(person), sent, other_org)
    assert not Pledge.objects.exists()


def test_a_secretary_pledges_material_aid_and_it_counts_as_a_response(sent, kim, other_org):
    made = pledge(
        kim,
        sent,
        other_org,
        forms=["material_aid"],
        description="A transfer from our strike fund.",
        amount=Decimal("1500.00"),
        currency="krw",
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert (made.status, made.amount, made.currency) == ("pledged", Decimal("1500.00"), "KRW")
    assert Response.objects.get().pledge == made


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (
            {"forms": ["material_aid"], "amount": Decimal("-10"), "currency": "EUR"},
            "amount_not_positive",
        ),
        (
            {"forms": ["material_aid"], "amount": Decimal("0"), "currency": "EUR"},
            "amount_not_positive",
        ),
        (
            {"forms": ["material_aid"], "amount": Decimal("10"), "currency": "ABC"},
            "invalid_currency",
        ),
        ({"forms": ["material_aid"], "amount": Decimal("10")}, "amount_incomplete"),
        ({"forms": ["material_aid"]}, "aid_required"),
        (
            {"forms": ["sympathy"], "amount": Decimal("10"), "currency": "EUR"},
            "amount_not_material_aid",
        ),
        ({"due_date": datetime.date(2001, 1, 1)}, "due_in_past"),
    ],
)
def test_bad_pledges_are_refused_with_a_code_and_change_nothing(sent, kim, other_org, fields, code):
    with pytest.raises(ValidationError) as error:
        pledge(kim, sent, other_org, **fields)
    assert code in codes(error)
    assert not Pledge.objects.exists() and not Response.objects.exists()


def test_pledging_to_a_resolved_or_closed_appeal_is_refused(sent, sam, kim, other_org):
    appeal_resolve(actor=sam, appeal=sent, outcome="won", report="Reinstated.")
    with pytest.raises(ValidationError) as error:
        pledge(kim, sent, other_org)
    assert codes(error) == {"appeal_not_open"}
    appeal_close(actor=sam, appeal=sent)
    with pytest.raises(ValidationError) as error:
        appeal_acknowledge(actor=kim, appeal=sent, organization=other_org)
    assert codes(error) == {"appeal_not_open"}


def test_a_pledge_submitted_twice_is_recorded_once(sent, kim, other_org):
    first = pledge(kim, sent, other_org, submission_key="form-1")
    again = pledge(kim, sent, other_org, submission_key="form-1")
    assert first.pk == again.pk
    assert Pledge.objects.count() == Response.objects.count() == 1


def test_a_pledge_is_fulfilled_with_evidence_and_then_neither_fulfilled_nor_withdrawn_again(
    sent, kim, other_org
):
    made = pledge(kim, sent, other_org)
    with pytest.raises(ValidationError) as error:
        pledge_fulfil(actor=kim, pledge=made)
    assert codes(error) == {"evidence_required"}
    pledge_fulfil(actor=kim, pledge=made, evidence_link="https://docks.example/letter.pdf")
    assert Pledge.objects.get().status == "fulfilled"
    with pytest.raises(ValidationError) as error:
        pledge_withdraw(actor=kim, pledge=made)
    assert codes(error) == {"pledge_not_open"}


def test_only_the_pledging_organizations_speakers_fulfil_or_withdraw(
    sent, kim, kit, sam, other_org
):
    made = pledge(kim, sent, other_org)
    for person in (kit, sam):
        with pytest.raises(PermissionDenied):
            pledge_withdraw(actor=person, pledge=made)
    pledge_withdraw(actor=kim, pledge=made)
    assert Pledge.objects.get().status == "withdrawn"


def test_a_closed_appeal_stays_closed(sent, sam):
    appeal_close(actor=sam, appeal=sent)
    assert Appeal.objects.get().status == "closed"
    with pytest.raises(ValidationError) as error:
        appeal_close(actor=sam, appeal=sent)
    assert codes(error) == {"already_closed"}
