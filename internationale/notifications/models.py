from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from internationale.core import notices
from internationale.core.models import TimeStampedModel, Urgency


class InboxEntryQuerySet(models.QuerySet["InboxEntry"]):
    def about(self, source: models.Model) -> "InboxEntryQuerySet":
        """The entries about this object, in every inbox."""
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )


class Entry(models.Model):
    """A notice as it reached one inbox (see core/notices.py): an organization's (`InboxEntry`)
    or a person's own (`PersonalEntry`)."""

    # The notice that put it here, and what it is about (an appeal, an answer, a relation...).
    notice = models.ForeignKey(
        "core.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    kind = models.CharField(max_length=40)
    # Who it is from (the notice's sender); none when the platform itself speaks.
    sender = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The title is worded from the kind and its parameters in the reader's language when read
    # (see core/notices.py); `title` is the same wording in the server's language, kept for a
    # kind no longer known.
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    confidential = models.BooleanField(
        default=False,
        help_text="E-mails and webhooks carry only the kind of entry and a link, not its content.",
    )
    url = models.CharField(max_length=300, blank=True)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.ROUTINE)
    deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language."""
        return notices.word(self.kind, self.params, self.title)

    @property
    def label(self) -> str:
        """What this entry is, without its content: what e-mails of a confidential entry say."""
        return notices.label(self.kind)

    @property
    def source_key(self) -> str:
        """What the entry is about, as webhooks name it: `appeals.appeal:42`."""
        if self.source_type_id is None:
            return f"inbox:{self.pk}"
        source_type = ContentType.objects.get_for_id(self.source_type_id)
        return f"{source_type.app_label}.{source_type.model}:{self.source_id}"


class InboxEntry(Entry):
    """A notice as it reached one organization's inbox (see core/notices.py). One row per
    (organization, source, kind): dispatching the same notice again, or a second notice about the
    same thing, leaves one entry."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="inbox_entries"
    )

    objects = InboxEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-urgency", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source_type", "source_id", "kind"],
                name="unique_inbox_entry_source",
                violation_error_message=_("This entry is already in the inbox."),
            )
        ]
        indexes = [models.Index(fields=["organization", "-urgency", "-created_at"])]


class PersonalEntry(Entry):
    """A notice addressed to one person (core/notices.py, `people=`), in their own inbox: a
    translation asked of the volunteers of a language pair, a request one asked for taken or done.
    One row per (person, source, kind); read by that person alone, so the mark is here."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_entries"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-urgency", "-created_at", "-id"]
        verbose_name_plural = "personal entries"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_type", "source_id", "kind"],
                name="unique_personal_entry_source",
                violation_error_message=_("This entry is already in your inbox."),
            )
        ]
        indexes = [
            models.Index(fields=["person", "-urgency", "-created_at"], name="personal_entry_list"),
            # The count of unread entries in the header of the page: few rows, whatever the history.
            models.Index(
                fields=["person"], condition=models.Q(read_at__isnull=True), name="personal_unread"
            ),
        ]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class InboxRead(models.Model):
    entry = models.ForeignKey(InboxEntry, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"],
                name="unique_inbox_read",
                violation_error_message=_("This entry is already marked as read."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.entry_id}"


class Webhook(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("address"), max_length=500)
    # Secrets as Standard Webhooks writes them: "whsec_" and the key in base64.
    secret = models.CharField(
        max_length=100, help_text=_("Signs each delivery (Standard Webhooks, HMAC-SHA256).")
    )
    # While the secret is being changed, the one it replaced signs too, until it is retired or
    # until `previous_secret_until`.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url

    @property
    def rotating(self) -> bool:
        """Whether the secret it replaced still signs."""
        return bool(
            self.previous_secret
            and self.previous_secret_until is not None
            and self.previous_secret_until > timezone.now()
        )

    def signing_secrets(self) -> list[str]:
        """The secrets that sign a delivery now: the secret, then the one it replaced while that
        one still signs."""
        return [self.secret, self.previous_secret] if self.rotating else [self.secret]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_key = models.CharField(max_length=120)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_key"],
                name="unique_webhook_delivery",
                violation_error_message=_("This delivery is already recorded."),
            )
        ]
        # Those done are pruned by age (notifications/history.py).
        indexes = [models.Index(fields=["status", "created_at"], name="webhook_delivery_age")]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.webhook_id} ({self.status})"


class EmailNotification(models.Model):
    """One e-mail per (person, event): a task that runs twice sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event_key = models.CharField(max_length=120)
    subject = models.CharField(max_length=300)
    # Waits for the person's daily digest instead of being sent on its own.
    digest = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key"],
                name="unique_email_notification",
                violation_error_message=_("This e-mail was already sent."),
            )
        ]
        indexes = [
            # The retry and the digest read the unsent ones by age: few, whatever the history.
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="email_unsent"
            ),
            # Those sent are pruned by when (notifications/history.py).
            models.Index(
                fields=["sent_at"], condition=models.Q(sent_at__isnull=False), name="email_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.user_id}"


class EmailPreference(models.Model):
    """How a person wants the notices of their organizations by e-mail. The most precise row
    decides: of one organization and kind, then of one organization, then of a kind everywhere,
    then of everything; with none, at once."""

    class Mode(models.TextChoices):
        NOW = "now", _("at once")
        DIGEST = "digest", _("in a daily digest")
        OFF = "off", pgettext_lazy("e-mail me", "never")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    # Blank: every organization the person speaks for.
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Blank: every kind of notice (core/notices.py).
    kind = models.CharField(max_length=40, blank=True)
    mode = models.CharField(_("e-mail me"), max_length=10, choices=Mode.choices, default=Mode.NOW)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"],
                condition=models.Q(organization__isnull=False),
                name="unique_email_preference",
                violation_error_message=_("This e-mail preference is already set."),
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(organization__isnull=True),
                name="unique_email_preference_everywhere",
                violation_error_message=_("This e-mail preference is already set."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.organization_id or '*'} {self.kind or '*'}: {self.mode}"
