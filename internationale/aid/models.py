from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internationale.core.models import TimeStampedModel

from .money import validate_currency, validate_positive_amount


class Contribution(TimeStampedModel):
    """Material aid handed over against a pledge, confirmed by both sides: the giving organization
    declares it sent, the issuing organization confirms it received. Only confirmed aid counts as
    received."""

    pledge = models.ForeignKey(
        "appeals.Pledge", on_delete=models.PROTECT, related_name="contributions"
    )
    # Both copied from the pledge, so that totals per appeal read one table.
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="contributions"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="contributions"
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_positive_amount],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    goods = models.TextField(_("goods"), blank=True)
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("A transfer reference, a waybill.")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when confirming this aid fulfilled the pledge: the pledge's evidence is then its
    # confirmed contributions, not a text, link or file.
    fulfilled_pledge = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="contribution_amount_positive",
            )
        ]

    def __str__(self) -> str:
        what = f"{self.amount} {self.currency}" if self.amount is not None else self.goods[:40]
        return f"{self.organization_id} → appeal {self.appeal_id}: {what}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def clean(self) -> None:
        has_money = self.amount is not None or bool(self.currency)
        if has_money and not (self.amount is not None and self.currency):
            raise ValidationError(
                {
                    "currency": ValidationError(
                        _("Money is an amount with its currency."), code="amount_incomplete"
                    )
                }
            )
        if not has_money and not self.goods:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _("Give an amount and a currency, or describe the goods."),
                        code="aid_required",
                    )
                }
            )
