"""Meetings between organizations: who hosts, who is invited and answers, who the delegates are.

A meeting is shared content (core/visibility.py): its host owns it, the organizations invited are
its addressees (addressing/), and its visibility is that of the participants unless the host
opens it to the network or the public. Times are stored in UTC with the IANA time zone the
meeting is held in, so that each reader sees them in their own zone and in the meeting's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.addressing.models import AddresseeBase
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.visibility import ADDRESSED, Audience, Masked, Shared, SharedQuerySet
from internationale.translation.registry import Translatable

# A meeting is shared with its participants at least: "private" (the host only) means nothing.
MEETING_VISIBILITIES = [
    (value, label) for value, label in Visibility.choices if value != Visibility.PRIVATE
]


class Meeting(Shared, TimeStampedModel):
    audience = Audience(owner="organization", addressed=("invitations__organization",))
    # Its title and description, its agenda and, once submitted, its minutes, have versions in
    # other languages (languages.py names the texts: "agenda.<item id>.title", "minutes.<item id>").
    translatable = Translatable(fields=("title", "description"), markdown=("minutes",))

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral meeting")
        DELEGATION = "delegation", _("Delegation visit")
        MULTILATERAL = "multilateral", _("Multilateral meeting")
        CONFERENCE = "conference", _("Conference")
        CONGRESS = "congress", _("Congress")
        SEMINAR = "seminar", _("Seminar")
        FORUM = "forum", _("Forum")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="meetings_hosted",
        verbose_name=_("host organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A delegation visit: which organization sends the delegation and which receives it, one of
    # them the host.
    sender = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sending organization"),
    )
    receiver = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("receiving organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_at = models.DateTimeField(_("start"))
    end_at = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=64, help_text=_("An IANA time zone."))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    # BCP 47 tags, in their standard form.
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    # The language its title, description, agenda and minutes are written in (their original's),
    # a BCP 47 tag in its standard form: by default the host's first language.
    language = models.CharField(_("language of its texts"), max_length=35, blank=True, default="")
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=MEETING_VISIBILITIES, default=Visibility.ADDRESSED
    )
    # Raised on every change a participant's calendar must follow.
    sequence = models.PositiveIntegerField(default=0)
    # A periodic series the meeting is an edition of (series.py), and which edition: 1, 2, …
    # A series goes only with its host (and its editions with it), never alone.
    series = models.ForeignKey(
        "Series",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="editions",
        verbose_name=_("series"),
    )
    edition = models.PositiveIntegerField(_("edition"), null=True, blank=True)
    # A cancelled meeting stays listed, as cancelled; nothing about it changes any more.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, default="")

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(visibility="private"),
                name="meeting_never_private",
                violation_error_message=_(
                    "A meeting is public, network or for its participants; it cannot be private."
                ),
            ),
            models.UniqueConstraint(
                fields=["series", "edition"],
                condition=Q(series__isnull=False),
                name="unique_edition",
                violation_error_message=_("This series already has an edition of this number."),
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, edition__isnull=True)
                | Q(series__isnull=False, edition__gte=1),
                name="edition_in_series",
                violation_error_message=_("An edition is numbered from 1, within a series."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "start_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_delegation(self) -> bool:
        return self.kind == self.Kind.DELEGATION

    def translatable_texts(self) -> dict[str, str]:
        """The original's texts, with its agenda's and its minutes' (languages.py)."""
        from .languages import meeting_texts

        return meeting_texts(self)

    def routing_origin(self) -> Origin:
        """What inviting reads of the meeting: its host, the host's country, its languages."""
        return Origin(
            issuer_id=self.organization_id,
            country=str(self.organization.country),
            languages=tuple(self.languages),
        )


class Invitation(AddresseeBase):
    """An organization invited to a meeting, why, and its answer. One per (meeting,
    organization)."""

    target_field = "meeting"

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        # Only for a meeting of another server, whose host takes it (ActivityStreams'
        # `TentativeAccept`): this platform's meetings are accepted or declined.
        TENTATIVE = "tentative", _("Maybe")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    # Database defaults: addressee rows are inserted in bulk, without the model's defaults.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INVITED,
        db_default=Status.INVITED,
    )
    note = models.TextField(_("note"), blank=True, default="", db_default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"],
                name="unique_invitation",
                violation_error_message=_("This organization is already invited."),
            )
        ]
        indexes = [models.Index(fields=["organization", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.organization_id}"


class Delegate(models.Model):
    """A person an invited organization names to represent it at the meeting: one of its people
    (a membership, which the delegate leaves with the organization)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="delegates")
    membership = models.ForeignKey(
        "organizations.Membership", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "membership"],
                name="unique_delegate",
                violation_error_message=_("This person is already a delegate."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.membership_id}"


class Series(TimeStampedModel):
    """A periodic series of meetings (an annual international meeting, a congress every two
    years) held by one host organization: its meetings are its numbered editions (series.py).
    Who sees a series: the host's people, and whoever sees one of its editions."""

    class Period(models.TextChoices):
        YEARLY = "yearly", _("Every year")
        BIENNIAL = "biennial", _("Every two years")
        IRREGULAR = "irregular", _("Irregular")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="meeting_series",
        verbose_name=_("host organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series_detail", args=[self.pk])

    @property
    def years(self) -> int | None:
        """The years between two editions, or None when irregular."""
        return {self.Period.YEARLY: 1, self.Period.BIENNIAL: 2}.get(self.Period(self.period))


class CalendarFeed(models.Model):
    """An organization's calendar of meetings, subscribable without signing in at a secret
    address (feeds.py). The address is not stored: it is derived from `secret` with the server's
    key, so that the database alone does not give it away; renewing draws a new secret, and the
    old address answers 404 at once."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who made the current address, or last renewed it: it is renewed on its own when they leave
    # the organization or stop speaking for it (feeds.py). None: renewed by the platform.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )

    def __str__(self) -> str:
        return f"calendar feed {self.pk} of {self.organization_id}"

    def get_absolute_url(self) -> str:
        """The page of the organization's calendar addresses (a notice's link)."""
        return reverse("calendar_feeds")


# Agenda and minutes ------------------------------------------------------------------------------


class AgendaItem(TimeStampedModel):
    """One point of a meeting's agenda, in its place among the others: who reports on it, when it
    is taken (within the meeting), and, once recorded, its minutes (Markdown)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    rapporteur = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rapporteur"),
    )
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(
                    starts_at__isnull=False,
                    ends_at__isnull=False,
                    ends_at__gt=models.F("starts_at"),
                ),
                name="agenda_item_slot_valid",
                violation_error_message=_("A time slot has a start and a later end."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"


class AgendaDocument(TimeStampedModel):
    """A document attached to an agenda item: a link or an uploaded file (core/uploads.py), served
    only to those who may see the meeting."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="agenda-documents/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(file="")) | (~Q(link="") & Q(file="")),
                name="agenda_document_link_or_file",
                violation_error_message=_("A document is a link or a file, one of the two."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(TimeStampedModel):
    """Where a meeting's minutes stand: recorded by the host (a draft), submitted for approval
    with a deadline, frozen once approved by every participant that attended or at the deadline
    with no correction open. Frozen minutes never change again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        FROZEN = "frozen", _("Frozen")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approval_deadline = models.DateTimeField(_("approval deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [models.Index(fields=["status", "approval_deadline"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("minutes_detail", args=[self.meeting_id])

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.FROZEN


class MinutesApproval(models.Model):
    """A participant's approval of the minutes as they stand; a new edit by the host removes
    them all."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "organization"],
                name="unique_minutes_approval",
                violation_error_message=_("This organization has already approved the minutes."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} ✓ {self.organization_id}"


class MinutesCorrection(TimeStampedModel):
    """A participant's proposed correction to one item's minutes, and the host's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="corrections")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="corrections")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("proposed text"), help_text=_("Markdown."))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["minutes", "status"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("minutes_detail", args=[self.minutes.meeting_id]) + f"#correction-{self.pk}"


# Agreements and their tasks ----------------------------------------------------------------------


class Agreement(Shared, TimeStampedModel):
    """What participants of a meeting agreed, adopted on a date between two or more of them (its
    parties). Seen by whoever sees its meeting."""

    audience = Audience(owner="meeting__organization", visibility=None, within="meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    # Markdown, rendered sanitized (core/text.py).
    text = models.TextField(_("text"))
    parties = models.ManyToManyField(
        "organizations.Organization",
        through="AgreementParty",
        related_name="agreements",
        verbose_name=_("parties"),
    )
    adopted_on = models.DateField(_("adopted on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreement_detail", args=[self.pk])


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="unique_agreement_party",
                violation_error_message=_("This organization is a party already."),
            )
        ]
        indexes = [models.Index(fields=["organization", "agreement"])]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.organization_id}"


class Task(Shared, TimeStampedModel):
    """A task of an agreement, for exactly one of its parties, with a deadline, followed until
    done (with evidence) or dropped (with a reason). Seen by whoever sees its agreement; its
    evidence (and its progress notes, TaskNote.audience) only by the people of the responsible
    organization and of the meeting's host, whatever the meeting's visibility: what an
    organization shows of its own work is for those it works with on the task."""

    EVIDENCE = ("organization", "agreement__meeting__organization")

    audience = Audience(
        owner="agreement__meeting__organization",
        visibility=None,
        within="agreement",
        masked=(
            Masked(
                "evidence",
                fields=("evidence_text", "evidence_link", "evidence_file"),
                to=EVIDENCE,
            ),
        ),
    )

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("responsible organization"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    drop_reason = models.TextField(_("why it was dropped"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("link to evidence"), max_length=500, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="task-evidence/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharedQuerySet.as_manager()

    # Still to be done: reminded of, counted as overdue past its deadline.
    PENDING = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="task_dropped_with_reason",
                violation_error_message=_("Say why the task is dropped."),
            ),
        ]
        indexes = [
            # The reminders' query (reminders.py): pending tasks by deadline.
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
            models.Index(fields=["organization", "status"], name="task_organization_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("task_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class TaskNote(Shared, models.Model):
    """A dated note on the progress of a task, by a person of the responsible organization. Read,
    as the task's evidence, by the people of the responsible organization and of the host only
    (Task.EVIDENCE), and only by those who see the task."""

    audience = Audience(
        owner="task__organization",
        addressed=("task__agreement__meeting__organization",),
        visibility=None,
        level=ADDRESSED,
        within="task",
    )

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.created_at:%Y-%m-%d}"


class TaskReminder(models.Model):
    """A reminder sent about a task, one per task, threshold and deadline: the row is written in
    the same transaction as its notice, so that a reminder is sent once whatever happens to the
    worker, and again only when the deadline moves."""

    class Threshold(models.TextChoices):
        WEEK = "week", _("A week before the deadline")
        DAY = "day", _("A day before the deadline")
        OVERDUE = "overdue", _("Overdue")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "threshold", "deadline"],
                name="unique_task_reminder",
                violation_error_message=_("This reminder is sent already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.threshold} {self.deadline}"

    def get_absolute_url(self) -> str:
        return reverse("task_detail", args=[self.task_id])
