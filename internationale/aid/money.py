"""Money: an amount with an ISO 4217 currency, never a float, never summed across currencies."""

from decimal import Decimal
from functools import cache

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# "No currency" and "for testing": codes in ISO 4217 that no one pays with.
NOT_MONEY = {"XXX", "XTS"}


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes known to Babel (CLDR), historic ones included: an aid pledge may name any."""
    return frozenset(list_currencies()) - NOT_MONEY


def normalize_currency(code: str) -> str:
    return (code or "").strip().upper()


def validate_currency(code: str) -> None:
    if normalize_currency(code) not in currencies():
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code."),
            code="invalid_currency",
            params={"code": code},
        )


def validate_positive_amount(amount: Decimal | None) -> None:
    if amount is not None and amount <= 0:
        raise ValidationError(_("An amount must be more than zero."), code="amount_not_positive")
