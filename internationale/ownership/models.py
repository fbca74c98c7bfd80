"""The records of ownership: exports of an organization's data, and the relations an imported
organization had with organizations this server does not know yet."""

from django.conf import settings
from django.db import models
from django.urls import reverse
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


class PendingRelation(models.Model):
    """A relation an organization brought from another server with an organization this server
    does not know: kept as a proposal, to be made again when the partner is here."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    partner_slug = models.SlugField(max_length=120)
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
                fields=["organization", "partner_slug"], name="unique_pending_relation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.partner_slug}"
