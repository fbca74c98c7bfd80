"""Money: an amount with an ISO 4217 currency, never a float, never summed across currencies."""

from decimal import Decimal
from functools import cache
from typing import Any

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.db import models
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


def amount_field(verbose_name: Any = None) -> "models.DecimalField[Decimal | None, Decimal | None]":
    """An amount of money, never a float; stands beside a `currency_field`."""
    return models.DecimalField(
        verbose_name or _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_positive_amount],
    )


def currency_field() -> "models.CharField[str, str]":
    return models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency])


def money_errors(
    amount: Decimal | None,
    currency: str,
    *,
    goods: str,
    incomplete_field: str,
    missing_field: str,
    incomplete: tuple[Any, str],
    missing: tuple[Any, str],
) -> dict[str, ValidationError]:
    """The one check of an amount + currency pair that may stand instead of goods: money is an
        amount with its currency, and there is money or goods. Returns the errors by field, empty when
        it holds. `incomplete` and `missing` are each (message, code), as each model words them, shown on
    `incomplete_field` and `missing_field`."""
    has_money = amount is not None or bool(currency)
    if has_money and not (amount is not None and currency):
        message, code = incomplete
        return {incomplete_field: ValidationError(message, code=code)}
    if not has_money and not goods:
        message, code = missing
        return {missing_field: ValidationError(message, code=code)}
    return {}
