from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone")
    NETWORK = "network", _("Network: members of verified organizations")
    ADDRESSED = "addressed", _("Addressed: the organizations concerned")
    PRIVATE = "private", _("Private: the author only")


class Urgency(models.IntegerChoices):
    """How soon something needs an answer: appeals have one, and the inbox sorts by it."""

    ROUTINE = 0, _("Routine")
    URGENT = 1, _("Urgent")
    EMERGENCY = 2, _("Emergency")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_target(self, obj: models.Model) -> "AuditEntryQuerySet":
        """What happened to this object, newest first."""
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """A sensitive action: who did what, to which object of which organization, when. Never edited.

    `action` names a kind registered in `core/audit.py`, which words the entry from `data` in the
    reader's language; `summary` is the server-language wording kept for a kind no longer known.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the person acted through an organization's API token: that organization.
    acting_for = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the server itself acted (command line, demo, scheduled task): why.
    system = models.CharField(max_length=64, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=64, db_index=True)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.action}: {self.summary}"

    @property
    def label(self) -> str:
        """The label of its kind, in the active language."""
        from .audit import label

        return label(self.action)

    @property
    def text(self) -> str:
        """What happened, worded in the active language from its parameters; for one reader,
        once worded for them (core.audit.for_reader)."""
        from .audit import word

        return self.__dict__.get("reader_text") or word(self)


class SubmissionKey(models.Model):
    """One row per accepted submission key, so a repeated or concurrent submission is recognised.

    HTML forms carry a key generated when the form is shown; API clients send `Idempotency-Key`.
    The unique constraint makes the database, not a race-prone check, the judge.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    # A digest of what was submitted with the key: the same key with other content is refused.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        # Pruned by age (core/history.py).
        indexes = [models.Index(fields=["created_at"], name="submission_key_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"],
                name="unique_submission_key",
                violation_error_message=_("This Idempotency-Key was already used."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class WorkerHeartbeat(models.Model):
    """A background worker says it is alive; tasks held by a silent worker are run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)
    started_at = models.DateTimeField()
    pid = models.PositiveIntegerField(default=0)
    host = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.worker_id


class Notice(models.Model):
    """Something to tell organizations about, recorded in the transaction of the change that
    causes it (an outbox row), then dispatched to every channel once that transaction commits.

    `dispatched_at` is set only when every channel has run for every organization: a dispatch
    that died half-way leaves it empty, and the notice is picked up again (see core/notices.py).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=40)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    params = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    organization_ids = models.JSONField(default=list)
    # The people it is addressed to one by one (volunteers of a language pair, the person who
    # asked for something), each in their own inbox; beside the organizations, or instead of them.
    person_ids = models.JSONField(default=list, blank=True)
    # The organization whose act this notice tells of; none when the platform itself speaks.
    sender = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.ROUTINE)
    deadline = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="notice_undispatched",
            ),
            # Pruned by when they were dispatched (core/history.py).
            models.Index(
                fields=["dispatched_at"],
                condition=models.Q(dispatched_at__isnull=False),
                name="notice_dispatched",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_type_id}:{self.source_id}"


class SharedVersion(models.Model):
    """The version of what some cached answers show (one public appeal's page, say), kept in the
    database so that every process of a server reads the same: a write in one process changes
    what all of them serve at its commit. See core/versions.py."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
