from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from internationale.aid.models import Contribution
from internationale.appeals.models import Appeal, Pledge, SupportForm


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code or "" for e in errors] for field, errors in error.error_dict.items()}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"aid_goal_amount": Decimal("10")}, {"aid_goal_currency": ["goal_incomplete"]}),
        ({"aid_goal_currency": "EUR"}, {"aid_goal_currency": ["goal_incomplete"]}),
        ({}, {"aid_goods": ["aid_goal_required"]}),
    ],
)
def test_an_appeal_goal_is_an_amount_with_its_currency_or_goods(fields, expected):
    appeal = Appeal(asks_material_aid=True, **fields)
    with pytest.raises(ValidationError) as raised:
        appeal.clean()
    assert codes(raised.value) == expected


def _material_aid(pledge: Pledge) -> Pledge:
    pledge.forms = [SupportForm.MATERIAL_AID]
    return pledge


@pytest.mark.parametrize(
    "make",
    [
        lambda **money: Appeal(
            asks_material_aid=True,
            aid_goal_amount=money["amount"],
            aid_goal_currency=money["currency"],
        ),
        lambda **money: _material_aid(Pledge(**money)),
        lambda **money: Contribution(**money),
    ],
    ids=["appeal goal", "pledge", "contribution"],
)
def test_every_amount_with_its_currency_passes_the_same_check(make):
    make(amount=Decimal("10"), currency="EUR").clean()
    with pytest.raises(ValidationError):
        make(amount=None, currency="EUR").clean()
