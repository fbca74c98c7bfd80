"""The records of ownership."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EraseRequest(models.Model):
    """An emergency erase of an organization's confidential content, asked by one admin (or an
    operator) and done when a second person confirms it within the hour (erase.py). What stays
    of a done one is this row and one audit entry: that it happened, when, and by whom."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second confirmation")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the person asked as an admin of the organization (else as an operator): of the
    # two people, one at least must be its admin.
    requested_as_admin = models.BooleanField(default=True)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    keep_profile = models.BooleanField(_("keep the public profile"), default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="pending"),
                name="one_pending_erase_per_organization",
                violation_error_message=_("An erase is already waiting for confirmation."),
            )
        ]

    def __str__(self) -> str:
        return f"erase {self.organization_id} ({self.status})"

    @property
    def requester_name(self) -> str:
        return _name(self.requested_by)

    @property
    def confirmer_name(self) -> str:
        return _name(self.confirmed_by)

    def lapsed(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= (now or timezone.now())


def _name(person: Any) -> str:
    return str(person.name or person.email) if person is not None else ""
