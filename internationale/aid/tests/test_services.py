"""Material aid: declared sent by the giver, received only once the issuer confirms; totals per
currency, never summed across currencies."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from internationale.aid.models import Contribution
from internationale.aid.selectors import (
    AidTotal,
    aid_totals,
    contribution_list,
    receipts_by_pledge,
    totals_by_currency,
    would_fulfil,
)
from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals.models import Addressee, Appeal, Pledge
from internationale.appeals.services import pledge_fulfil, pledge_withdraw
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
        forms=["material_aid"],
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
        appeal=appeal, organization=other_org, forms=["material_aid"], goods="2 t of rice"
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
    letters = PledgeFactory(appeal=appeal, organization=other_org, forms=["sympathy"])
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=letters, goods="Letters")
    assert error.value.code == "not_material_aid"
    withdrawn = money(appeal, other_org, "10", "EUR", status="withdrawn")
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=withdrawn, amount=Decimal("1"), currency="EUR")
    assert error.value.code == "pledge_withdrawn"


def test_aid_is_declared_against_a_pledge_with_material_aid_among_its_forms(appeal, other_org, kim):
    both = PledgeFactory(
        appeal=appeal,
        organization=other_org,
        forms=["sympathy", "material_aid"],
        amount=Decimal("250"),
        currency="EUR",
    )
    words = PledgeFactory(appeal=appeal, organization=other_org, forms=["propaganda", "sympathy"])
    sent = contribution_declare(
        actor=kim, pledge=Pledge.objects.get(pk=both.pk), amount=Decimal("250"), currency="EUR"
    )
    assert sent.pledge_id == both.pk
    assert totals_by_currency(appeal=appeal)["EUR"].pledged == Decimal("250")
    with pytest.raises(ValidationError) as error:
        contribution_declare(actor=kim, pledge=Pledge.objects.get(pk=words.pk), goods="Posters")
    assert error.value.code == "not_material_aid"
    assert Contribution.objects.count() == 1


def test_aid_declared_twice_with_one_key_is_recorded_once(appeal, other_org, kim):
    pledge = money(appeal, other_org, "10", "EUR")
    for _ in range(2):
        contribution_declare(
            actor=kim, pledge=pledge, amount=Decimal("10"), currency="EUR", submission_key="k"
        )
    assert Contribution.objects.count() == 1


# Confirming receipt fulfils the pledge when the aid covers it ----------------------------------


def confirm(kim, sam, pledge, completes_pledge=None, **aid):  # type: ignore[no-untyped-def]
    """Kim declares aid sent against the pledge; Sam, for the issuer, confirms it."""
    sent = contribution_declare(actor=kim, pledge=pledge, **aid)
    return contribution_confirm(actor=sam, contribution=sent, completes_pledge=completes_pledge)


def status(pledge):  # type: ignore[no-untyped-def]
    pledge.refresh_from_db()
    return pledge.status


@pytest.mark.parametrize("sent", ["1000", "1000.00", "1200.50"])
def test_money_covering_the_pledge_in_its_currency_fulfils_it_on_confirmation(
    appeal, other_org, kim, sam, sent
):
    pledge = money(appeal, other_org, "1000", "EUR")

    contribution = confirm(kim, sam, pledge, amount=Decimal(sent), currency="eur")

    pledge.refresh_from_db()
    assert (pledge.status, pledge.fulfilled_at) == ("fulfilled", contribution.confirmed_at)
    assert (pledge.evidence_text, pledge.evidence_link, pledge.evidence_file.name) == ("", "", "")
    pledge.full_clean()  # fulfilled with no evidence text, link or file: still a valid pledge
    assert receipts_by_pledge([pledge.pk]) == {pledge.pk: [contribution]}
    entry = AuditEntry.objects.get(action="aid.confirm")
    assert (entry.data["pledge"], entry.data["pledge_fulfilled"]) == (pledge.pk, True)


def test_money_short_of_the_pledge_leaves_it_pledged(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "1000", "EUR")

    confirm(kim, sam, pledge, amount=Decimal("999.99"), currency="EUR")

    assert status(pledge) == "pledged"
    assert pledge.fulfilled_at is None
    assert AuditEntry.objects.get(action="aid.confirm").data["pledge_fulfilled"] is False


def test_several_contributions_fulfil_the_pledge_when_their_sum_reaches_it(
    appeal, other_org, kim, sam
):
    pledge = money(appeal, other_org, "1000", "EUR")
    first = confirm(kim, sam, pledge, amount=Decimal("400"), currency="EUR")
    assert status(pledge) == "pledged"
    # Declared but not confirmed: does not count.
    contribution_declare(actor=kim, pledge=pledge, amount=Decimal("600"), currency="EUR")
    assert status(pledge) == "pledged"

    last = confirm(kim, sam, pledge, amount=Decimal("600"), currency="EUR")

    assert status(pledge) == "fulfilled"
    assert receipts_by_pledge([pledge.pk]) == {pledge.pk: [first, last]}
    assert Contribution.objects.get(pk=last.pk).fulfilled_pledge
    assert not Contribution.objects.get(pk=first.pk).fulfilled_pledge


def test_money_in_another_currency_never_counts_towards_the_pledge(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "1000", "EUR")
    confirm(kim, sam, pledge, amount=Decimal("600"), currency="EUR")

    confirm(kim, sam, pledge, amount=Decimal("5000"), currency="USD")

    assert status(pledge) == "pledged"
    # The issuer judges that the dollars make up the rest.
    confirm(kim, sam, pledge, completes_pledge=True, amount=Decimal("10"), currency="USD")
    assert status(pledge) == "fulfilled"


def test_goods_fulfil_the_pledge_only_when_the_issuer_says_they_complete_it(
    appeal, other_org, kim, sam
):
    pledge = PledgeFactory(
        appeal=appeal, organization=other_org, forms=["material_aid"], goods="2 t of rice"
    )
    confirm(kim, sam, pledge, goods="1 t of rice")
    assert status(pledge) == "pledged"

    last = confirm(kim, sam, pledge, completes_pledge=True, goods="1 t of rice")

    assert status(pledge) == "fulfilled"
    assert pledge.fulfilled_at == last.confirmed_at
    assert len(receipts_by_pledge([pledge.pk])[pledge.pk]) == 2


def test_the_issuer_may_keep_a_covered_pledge_open(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "100", "EUR")

    contribution = confirm(
        kim, sam, pledge, completes_pledge=False, amount=Decimal("100"), currency="EUR"
    )

    assert status(pledge) == "pledged"
    assert not contribution.fulfilled_pledge
    assert receipts_by_pledge([pledge.pk]) == {}


def test_a_partial_amount_fulfils_the_pledge_when_the_issuer_says_so(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "100", "EUR")

    confirm(kim, sam, pledge, completes_pledge=True, amount=Decimal("80"), currency="EUR")

    assert status(pledge) == "fulfilled"


def test_a_withdrawn_pledge_stays_withdrawn_when_its_aid_is_confirmed(appeal, other_org, kim, sam):
    pledge = money(appeal, other_org, "100", "EUR")
    sent = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("100"), currency="EUR")
    pledge_withdraw(actor=kim, pledge=pledge)

    contribution_confirm(actor=sam, contribution=sent, completes_pledge=True)

    assert status(pledge) == "withdrawn"
    assert pledge.fulfilled_at is None
    assert Contribution.objects.get().is_confirmed
    assert AuditEntry.objects.get(action="aid.confirm").data["pledge_fulfilled"] is False


def test_confirming_aid_against_a_fulfilled_pledge_changes_nothing_on_the_pledge(
    appeal, other_org, kim, sam
):
    pledge = money(appeal, other_org, "100", "EUR")
    sent = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("100"), currency="EUR")
    pledge_fulfil(actor=kim, pledge=pledge, evidence_text="Transfer of 12 May.")
    fulfilled_at = pledge.fulfilled_at

    contribution_confirm(actor=sam, contribution=sent)

    pledge.refresh_from_db()
    assert (pledge.status, pledge.fulfilled_at) == ("fulfilled", fulfilled_at)
    assert pledge.evidence_text == "Transfer of 12 May."
    assert Contribution.objects.get().is_confirmed
    # Fulfilled with evidence of its own: not "fulfilled by confirmed receipt".
    assert receipts_by_pledge([pledge.pk]) == {}


@pytest.mark.parametrize("change", ["withdraw", "fulfil"])
def test_a_pledge_fulfilled_by_receipt_is_not_overwritten_by_a_page_opened_before(
    appeal, other_org, kim, sam, change
):
    pledge = money(appeal, other_org, "500", "USD")
    stale = type(pledge).objects.get(pk=pledge.pk)  # Kim's page, loaded while it was pledged
    confirm(kim, sam, pledge, amount=Decimal("500"), currency="USD")

    with pytest.raises(ValidationError) as error:
        if change == "withdraw":
            pledge_withdraw(actor=kim, pledge=stale)
        else:
            pledge_fulfil(actor=kim, pledge=stale, evidence_text="Sent by bank transfer.")
    assert error.value.code == "pledge_not_open"
    pledge.refresh_from_db()
    assert (pledge.status, pledge.withdrawn_at, pledge.evidence_text) == ("fulfilled", None, "")


def test_the_confirm_form_proposes_what_confirming_by_default_does(appeal, other_org, kim, sam):
    # The issuer confirmed 100 EUR without letting it complete the pledge; then aid in another
    # currency arrives. By the automatic rule, confirming it fulfils the pledge (the euros cover
    # it): the form proposes exactly that.
    pledge = money(appeal, other_org, "100", "EUR")
    euros = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("100"), currency="EUR")
    contribution_confirm(actor=sam, contribution=euros, completes_pledge=False)
    dollars = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("5"), currency="USD")
    waiting = list(contribution_list(viewer=sam, appeal=appeal).filter(pk=dollars.pk))

    assert would_fulfil(waiting) == {dollars.pk}
    assert contribution_confirm(actor=sam, contribution=dollars).fulfilled_pledge


def test_the_confirm_form_proposes_nothing_short_of_the_amount_or_for_goods(
    appeal, other_org, kim, sam
):
    pledge = money(appeal, other_org, "100", "EUR")
    part = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("60"), currency="EUR")
    rest = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("40"), currency="EUR")
    goods = PledgeFactory(
        appeal=appeal, organization=other_org, forms=["material_aid"], goods="rice"
    )
    rice = contribution_declare(actor=kim, pledge=goods, goods="rice")
    everything = list(contribution_list(viewer=sam, appeal=appeal))
    assert would_fulfil(everything) == set()  # 60 or 40 alone fall short; goods, the issuer judges

    contribution_confirm(actor=sam, contribution=part)
    assert would_fulfil(list(contribution_list(viewer=sam, appeal=appeal))) == {rest.pk}
    assert not contribution_confirm(actor=sam, contribution=rice).fulfilled_pledge
