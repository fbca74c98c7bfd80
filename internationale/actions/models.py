"""International days of action: one date, many local actions, reports back.

A day of action is shared content (core/visibility.py): its calling organization owns it; the
organizations invited to call it with it (co-callers, who accept as co-sponsors do) and the
organizations called to act (addressee rows, routed by the shared addressing with their reasons)
are its addressees. While it is prepared it is for the callers only ("addressed", before any
organization is called); once called it takes the visibility the callers chose: the network or
the public.

The date is a calendar day, which begins at different moments around the world: from its start
at UTC+14 to its end at UTC−12 (`day_bounds`). A local action is held in its place's IANA time
zone: its start and end are stored in UTC beside the local wall times and the zone, so that the
day's page orders actions as the day moves around the world and each reader sees its own time.

A local action's contact is for the callers only (and the acting organization's people); the
rest of it is read by whoever reads the day. Reports back hang off the actions; the aggregated
report, once the callers approve it, is published to the library as a report-back document.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.addressing.models import AddresseeBase, addressee_indexes
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.visibility import ADDRESSED, PUBLIC, Audience, Shared, SharedQuerySet
from internationale.translation.registry import Translatable

# Who reads a day of action once called: the network or everyone. "addressed" is its level while
# it is prepared (the callers only).
DAY_VISIBILITIES = [
    (Visibility.NETWORK.value, Visibility.NETWORK.label),
    (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
]
DAY_LEVELS = [(Visibility.ADDRESSED.value, Visibility.ADDRESSED.label), *DAY_VISIBILITIES]

# A figure of participants above this is a typing error.
MAX_PARTICIPANTS = 10_000_000

# The earliest and latest offsets from UTC in use: a calendar day lasts 50 hours around the world.
EARLIEST_OFFSET = datetime.timedelta(hours=14)
LATEST_OFFSET = datetime.timedelta(hours=-12)


def day_bounds(date: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and last moments (UTC) at which it is `date` somewhere on Earth: from midnight
    at UTC+14 to midnight after it at UTC−12."""
    midnight = datetime.datetime.combine(date, datetime.time(0), tzinfo=datetime.UTC)
    return midnight - EARLIEST_OFFSET, midnight + datetime.timedelta(days=1) - LATEST_OFFSET


class Kind(models.TextChoices):
    """The kinds of local action."""

    STRIKE = "strike", _("Strike")
    STOPPAGE = "stoppage", _("Work stoppage")
    RALLY = "rally", _("Rally")
    PICKET = "picket", _("Picket")
    DELEGATION = "delegation", _("Delegation to an embassy or consulate")
    MESSAGE = "message", _("Solidarity message")
    ONLINE = "online", _("Online action")
    OTHER = "other", _("Other")


class DayOfAction(Shared, TimeStampedModel):
    audience = Audience(
        owner="organization", addressed=("cocallers__organization", "addressees__organization")
    )
    # The call's title, text and demands have versions in other languages (translation/).
    translatable = Translatable(fields=("title", "text", "demands"), markdown=("text", "demands"))

    class Status(models.TextChoices):
        # The callers prepare the call; co-callers accept or decline.
        DRAFT = "draft", _("Being prepared")
        # The organizations chosen are called; they answer and register their actions.
        CALLED = "called", _("Called")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="days_of_action_called",
        verbose_name=_("calling organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # Markdown, rendered sanitized.
    text = models.TextField(_("call"), max_length=50_000)
    demands = models.TextField(
        _("demands"),
        max_length=10_000,
        blank=True,
        default="",
        help_text=_("What the day demands, one demand a line (Markdown)."),
    )
    # The call's language, a BCP 47 tag in its standard form.
    language = models.CharField(_("language"), max_length=35)
    date = models.DateField(_("date"), help_text=_("The calendar day, wherever each action is."))
    # Kind values (above), in the callers' order.
    suggested_kinds = models.JSONField(_("kinds of action suggested"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # "addressed" (the callers) while prepared; `called_visibility` once called.
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=DAY_LEVELS, default=Visibility.ADDRESSED
    )
    called_visibility = models.CharField(
        _("visibility once called"),
        max_length=20,
        choices=DAY_VISIBILITIES,
        default=Visibility.NETWORK,
        help_text=_("Who may read the day, its actions and its reports once it is called."),
    )
    # What the day comes from (linked both ways: the appeal's, statement's or campaign's page shows
    # the day, templatetags/days.py, kept with that page's parts as apps.py follows).
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="days_of_action",
        verbose_name=_("appeal"),
    )
    statement = models.ForeignKey(
        "statements.Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="days_of_action",
        verbose_name=_("statement"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="days_of_action",
        verbose_name=_("campaign"),
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, default="")
    # The aggregated report, once every caller approved it: its document in the library.
    report_published_at = models.DateTimeField(null=True, blank=True)
    report_document = models.ForeignKey(
        "library.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharedQuerySet.as_manager()
    language_versions = GenericRelation("translation.LanguageVersion")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["addressed", "network", "public"])
                & Q(called_visibility__in=["network", "public"]),
                name="day_of_action_never_private",
                violation_error_message=_(
                    "A day of action is for the network or the public; it cannot be private."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(visibility="addressed"),
                name="day_of_action_draft_for_callers",
                violation_error_message=_("A day being prepared is for its callers only."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-date"]),
            models.Index(fields=["visibility", "status", "-date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("day_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return day_bounds(self.date)

    def routing_origin(self) -> Origin:
        """What calling reads of the day: its calling organization, that organization's country,
        the call's language."""
        return Origin(
            issuer_id=self.organization_id,
            country=str(self.organization.country),
            languages=(self.language,),
        )


class CoCaller(models.Model):
    """An organization invited to call the day with its calling organization. Once it accepts, it
    is one of the callers: it sees the answers and the contacts, and approves the report."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    day = models.ForeignKey(DayOfAction, on_delete=models.CASCADE, related_name="cocallers")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="days_cocalled"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organization"],
                name="unique_day_cocaller",
                violation_error_message=_("This organization is already invited to call the day."),
            )
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.day_id} + {self.organization_id}"


class Called(AddresseeBase):
    """An organization called to act on the day, and why. One per (day, organization)."""

    target_field = "day"

    day = models.ForeignKey(
        DayOfAction, on_delete=models.CASCADE, related_name="addressees", db_index=False
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organization"],
                name="unique_day_called",
                violation_error_message=_("This organization is already called."),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "day"]),
            *addressee_indexes("day", "actions_called"),
        ]

    def __str__(self) -> str:
        return f"{self.day_id} → {self.organization_id}"


class Answer(Shared, models.Model):
    """A called organization's answer: it will act, it cannot (and why), or it passed the call
    on. One per (day, organization): a new answer replaces the earlier one. Who answered what
    stays between the organization and the callers."""

    audience = Audience(
        owner="organization",
        addressed=("day__organization", "day__cocallers__organization"),
        visibility=None,
        level=ADDRESSED,
        within="day",
    )

    class Kind(models.TextChoices):
        WILL_ACT = "will_act", _("Will act")
        CANNOT_ACT = "cannot_act", _("Cannot act")
        PASSED_ON = "passed_on", _("Passed on")

    day = models.ForeignKey(DayOfAction, on_delete=models.CASCADE, related_name="answers")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="day_answers"
    )
    # The organization's country when it answered: the callers count answers per country.
    country = models.CharField(max_length=2, blank=True, default="")
    kind = models.CharField(_("answer"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True, default="")
    # The organizations it passed the call on to (called in their turn).
    passed_to = models.JSONField(default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["country", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organization"],
                name="unique_day_answer",
                violation_error_message=_("This organization has already answered."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="cannot_act") | ~Q(reason=""),
                name="day_answer_cannot_has_reason",
                violation_error_message=_("Say why the organization cannot act."),
            ),
        ]
        indexes = [models.Index(fields=["day", "country", "kind"])]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.day_id}"

    def get_absolute_url(self) -> str:
        return reverse("day_answers", args=[self.day_id])


class LocalAction(Shared, TimeStampedModel):
    """One organization's action on the day, at one place, in that place's time zone. Read by
    whoever reads the day; its contact only by the callers and the acting organization
    (selectors.hide_contacts)."""

    audience = Audience(owner="organization", visibility=None, level=PUBLIC, within="day")

    day = models.ForeignKey(DayOfAction, on_delete=models.CASCADE, related_name="local_actions")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="local_actions",
        verbose_name=_("organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city or place"), max_length=120)
    # ISO 3166 code.
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, help_text=_("An IANA time zone."))
    # The moments, in UTC: the order of the day's page and the iCalendar feed.
    start_at = models.DateTimeField(_("start"))
    end_at = models.DateTimeField(_("end"))
    # The wall times as the organization gave them, on the clocks of `time_zone`: kept as given,
    # so that a later change of the zone's rules shows, rather than silently moving the action.
    local_start_date = models.DateField(_("local start date"))
    local_start_time = models.TimeField(_("local start time"))
    local_end_date = models.DateField(_("local end date"))
    local_end_time = models.TimeField(_("local end time"))
    expected_participants = models.PositiveIntegerField(
        _("expected participants"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PARTICIPANTS)],
    )
    description = models.TextField(_("public description"), max_length=5000, blank=True)
    contact = models.TextField(
        _("contact"),
        max_length=1000,
        blank=True,
        help_text=_("Who the callers may reach, and how. Only the callers see it."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")),
                name="local_action_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=Q(expected_participants__isnull=True)
                | Q(expected_participants__lte=MAX_PARTICIPANTS),
                name="local_action_participants_bounded",
                violation_error_message=_("Give at most 10,000,000 participants."),
            ),
        ]
        indexes = [
            # The day's page: its actions as the day moves around the world.
            models.Index(fields=["day", "start_at", "id"], name="local_action_day_order"),
            models.Index(fields=["organization", "start_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.city}"

    def get_absolute_url(self) -> str:
        return reverse("local_action_detail", args=[self.day_id, self.pk])


class Report(Shared, TimeStampedModel):
    """What happened at a local action, reported back by its organization after its start: one
    per action. Reaches the callers as a notice; read by whoever reads the action."""

    audience = Audience(
        owner="action__organization", visibility=None, level=PUBLIC, within="action"
    )

    class Outcome(models.TextChoices):
        HELD = "held", _("Held as planned")
        PARTLY = "partly", _("Held in part")
        PREVENTED = "prevented", _("Prevented")
        CALLED_OFF = "called_off", _("Called off")

    action = models.OneToOneField(LocalAction, on_delete=models.CASCADE, related_name="report")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As reported by the organization: the aggregated report says so.
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    # Markdown, rendered sanitized.
    text = models.TextField(_("what happened"), max_length=20_000)
    language = models.CharField(_("language"), max_length=35, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # Addresses of press coverage, in the organization's order.
    press_links = models.JSONField(_("press coverage"), default=list, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__lte=MAX_PARTICIPANTS),
                name="report_participants_bounded",
                violation_error_message=_("Give at most 10,000,000 participants."),
            )
        ]

    def __str__(self) -> str:
        return f"report of {self.action_id}"


class ReportPhoto(Shared, models.Model):
    """A photo of a report, checked and stripped of its metadata (EXIF, GPS) on upload as pledges'
    evidence is. Faces are the reporting organization's responsibility: the form says so."""

    audience = Audience(
        owner="report__action__organization", visibility=None, level=PUBLIC, within="report"
    )

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to="day-reports/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"


class ReportApproval(models.Model):
    """One caller's approval of the aggregated report: once every caller (the calling
    organization and the co-callers that accepted) approved it, it is published to the library."""

    day = models.ForeignKey(DayOfAction, on_delete=models.CASCADE, related_name="approvals")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["approved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organization"],
                name="unique_day_report_approval",
                violation_error_message=_("This organization has already approved the report."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} approves {self.day_id}"
