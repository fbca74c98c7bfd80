"""The records of ownership: exports of an organization's data, and the relations an imported
organization had with organizations this server does not know yet."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One export of an organization's data: built in the background into one archive kept
    encrypted (archive.py, crypto.py) until it is downloaded, once, or 24 hours pass."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being written")
        READY = "ready", _("Ready to download")
        DOWNLOADED = "downloaded", _("Downloaded")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    include_emails = models.BooleanField(_("include e-mail addresses"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # How far the writing is, in percent, and what it is writing (an archive key).
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    # The encrypted archive's file name in the exports folder, its random salt (part of its key),
    # and the size and SHA-256 of the archive itself.
    file_name = models.CharField(max_length=100, blank=True)
    salt = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # The run writing it (services.export_write): a random claim, held until `claimed_until` and
    # renewed at each step. Another run takes it over only once that time has passed without a
    # step (its worker died); the run that lost it stops and removes its file.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    downloaded_at = models.DateTimeField(null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="ownership_export_org"),
            models.Index(fields=["expires_at"], name="ownership_export_expires"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.organization_id}"

    def get_absolute_url(self) -> str:
        return reverse("ownership_export_detail", args=[self.organization.slug, self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.DOWNLOADED, self.Status.FAILED)

    @property
    def expired(self) -> bool:
        """Ready but past its time: its file is deleted (services.export_expire), its row stays
        until the daily prune so that its page says so."""
        return self.status == self.Status.READY and self.expires_at <= timezone.now()


class PendingRelation(models.Model):
    """A relation an organization brought from another server with an organization this server
    does not know: kept as a proposal, to be made again when the partner is here."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner_slug = models.SlugField(max_length=120)
    # Its ActivityPub actor on the server the relation came from (the archive's `known.json`):
    # an organization here is its partner when it is that actor (a remote organization) or moved
    # here from it (federation's also-known-as), never for having the same slug.
    partner_actor = models.CharField(max_length=500, blank=True)
    partner_name = models.CharField(max_length=200)
    partner_country = models.CharField(max_length=2, blank=True)
    kind = models.CharField(max_length=20)
    since = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner_slug"],
                name="unique_pending_relation",
                violation_error_message=_(
                    "This relation from another server is already waiting for its partner."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.partner_slug}"


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

    def get_absolute_url(self) -> str:
        """Where its admins confirm or withdraw it (the notice that tells them leads there)."""
        return reverse("erase", args=[self.organization.slug])

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
