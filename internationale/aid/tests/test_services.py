"""Material aid: declared sent by the giver, received only once the issuer confirms; totals per
currency, never summed across currencies."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from internationale.aid.models import Contribution
from internationale.aid.selectors import AidTotal, aid_totals, totals_by_currency
from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals.models import Addressee, Appeal
from internationale.appeals.tests.factories import AppealFactory, PledgeFactory
from internationale.core.models import AuditEntry
from internationale.organizations.tests.factories import OrganizationFactory


@pytest.fixture
def appeal(owner_org, other_org):
    appeal = AppealFactory(organization=owner_org, status=Appeal.Status.OPEN)
    Addressee.objects.create(appeal=appeal, organization=other_org)
    return appeal


def money(appeal, org, amount, currency, **fields):  # type: ignore[no-untyped-def]
    return PledgeFactory(
        appeal=appeal,
        organization=org,
        form="material_aid",
        amount=Decimal(amount),
        currency=currency,
        **fields,
    )


def test_aid_counts_as_received_only_once_the_issuer_confirms_it(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "1000", "EUR")
    sent = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("400"), currency="eur")
    assert totals_by_currency(appeal=appeal) == {
        "EUR": AidTotal(pledged=Decimal("1000"), received=Decimal("0"))
    }

    contribution_confirm(actor=sam, contribution=sent)

    assert totals_by_currency(appeal=appeal)["EUR"].received == Decimal("400")
    assert AuditEntry.objects.get(action="aid.confirm").data["giver"] == other_org.pk


def test_totals_are_kept_per_currency_and_withdrawn_pledges_do_not_count(
    appeal, other_org, kim, sam
):
    third = OrganizationFactory()
    euros = money(appeal, other_org, "1000.50", "EUR")
    money(appeal, third, "250", "EUR")
    money(appeal, third, "90000", "KRW")
    money(appeal, third, "5000", "USD", status="withdrawn")
    contribution_confirm(
        actor=sam,
        contribution=contribution_declare(
            actor=kim, pledge=euros, amount=Decimal("1000.50"), currency="EUR"
        ),
    )

    assert totals_by_currency(appeal=appeal) == {
        "EUR": AidTotal(pledged=Decimal("1250.50"), received=Decimal("1000.50")),
        "KRW": AidTotal(pledged=Decimal("90000"), received=Decimal("0")),
    }


def test_others_see_only_the_aid_pledgers_made_public(appeal, other_org, kim, ana, nell):
    money(appeal, other_org, "100", "EUR", public=True)
    money(appeal, other_org, "900", "EUR")
    assert aid_totals(viewer=ana, appeal=appeal)["EUR"].pledged == Decimal("1000")
    assert aid_totals(viewer=kim, appeal=appeal)["EUR"].pledged == Decimal("100")
    assert aid_totals(viewer=nell, appeal=appeal)["EUR"].pledged == Decimal("100")


def test_goods_are_declared_and_confirmed_without_an_amount(appeal, other_org, kim, sam):
    pledge = PledgeFactory(
        appeal=appeal, organization=other_org, form="material_aid", goods="2 t of rice"
    )
    sent = contribution_declare(actor=kim, pledge=pledge, goods="2 t of rice, by lorry")
    contribution_confirm(actor=sam, contribution=sent)
    assert Contribution.objects.get().is_confirmed
    assert totals_by_currency(appeal=appeal) == {}


def test_only_the_issuers_speakers_confirm_and_only_once(appeal, other_org, kim, kai, mo, sam):
    sent = contribution_declare(
        actor=kim,
        pledge=money(appeal, other_org, "10", "EUR"),
        amount=Decimal("10"),
        currency="EUR",
    )
    for person in (kim, kai, mo):
        with pytest.raises(PermissionDenied):
            contribution_confirm(actor=person, contribution=sent)
    contribution_confirm(actor=sam, contribution=sent)
    with pytest.raises(ValidationError) as error:
        contribution_confirm(actor=sam, contribution=sent)
    assert error.value.code == "already_confirmed"


def test_only_the_pledgers_speakers_declare_aid_sent(appeal, other_org, kit, sam):
    pledge = money(appeal, other_org, "10", "EUR")
    for person in (kit, sam):
        with pytest.raises(PermissionDenied):
            contribution_declare(actor=person, pledge=pledge, amount=Decimal("10"), currency="EUR")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"amount": Decimal("-1"), "currency": "EUR"}, "amount_not_positive"),
        ({"amount": Decimal("0"), "currency": "EUR"}, "amount_not_positive"),
        ({"amount": Decimal("5"), "currency": "EURO"}, "invalid_currency"),
        ({"amount": Decimal("5")}, "amount_incomplete"),
        ({}, "aid_required"),
    ],
)
def test_bad_aid_is_refused_with_a_code(appeal, other_org, kim, fields, code):
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=money(appeal, other_org, "10", "EUR"), **fields)
    assert code in {e.code for errors in error.value.error_dict.values() for e in errors}
    assert not Contribution.objects.exists()


def test_aid_is_declared_against_a_live_pledge_of_material_aid_only(appeal, other_org, kim):
    letters = PledgeFactory(appeal=appeal, organization=other_org, form="sympathy")
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=letters, goods="Letters")
    assert error.value.code == "not_material_aid"
    withdrawn = money(appeal, other_org, "10", "EUR", status="withdrawn")
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=withdrawn, amount=Decimal("1"), currency="EUR")
    assert error.value.code == "pledge_withdrawn"


def test_aid_declared_twice_with_one_key_is_recorded_once(appeal, other_org, kim):
    pledge = money(appeal, other_org, "10", "EUR")
    for _ in range(2):
        contribution_declare(
            actor=kim, pledge=pledge, amount=Decimal("10"), currency="EUR", submission_key="k"
        )
    assert Contribution.objects.count() == 1
