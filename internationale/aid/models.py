from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.core.models import TimeStampedModel
from internationale.core.money import amount_field, currency_field, money_errors


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
    amount = amount_field()
    currency = currency_field()
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
    # The id of the activity that carried it to the issuer's server, when the appeal is another
    # server's (federation: its `Add`), by which the issuer's confirmation finds it.
    remote_activity_id = models.CharField(max_length=500, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            )
        ]

    def __str__(self) -> str:
        what = f"{self.amount} {self.currency}" if self.amount is not None else self.goods[:40]
        return f"{self.organization_id} → appeal {self.appeal_id}: {what}"

    def get_absolute_url(self) -> str:
        """The pledge it was given against, on the appeal's page."""
        return reverse("appeal_detail", args=[self.appeal_id]) + f"#pledge-{self.pledge_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def clean(self) -> None:
        errors = money_errors(
            self.amount,
            self.currency,
            goods=self.goods,
            incomplete_field="currency",
            missing_field="amount",
            incomplete=(_("Money is an amount with its currency."), "amount_incomplete"),
            missing=(_("Give an amount and a currency, or describe the goods."), "aid_required"),
        )
        if errors:
            raise ValidationError(errors)
