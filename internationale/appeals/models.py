from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from internationale.addressing.models import AddresseeBase, Ring, addressee_indexes
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Urgency, Visibility
from internationale.core.money import amount_field, currency_field, money_errors
from internationale.core.text import render_markdown
from internationale.core.visibility import ADDRESSED, Audience, Masked, Shared, SharedQuerySet
from internationale.translation.registry import Translatable

# An appeal is shared with someone: "private" (the author only) means nothing for it.
APPEAL_VISIBILITIES = [(value, label) for value, label in Visibility.choices if value != "private"]


class Situation(models.TextChoices):
    STRIKE = "strike", _("Strike")
    LOCKOUT = "lockout", _("Lockout")
    DISMISSALS = "dismissals", _("Dismissals")
    ARRESTS = "arrests", _("Arrests")
    REPRESSION = "repression", _("Repression")
    VIOLENCE = "violence", _("Violence")
    DISASTER = "disaster", _("Disaster")
    OTHER = "other", _("Other")


class SupportForm(models.TextChoices):
    """The three classic forms of solidarity."""

    PROPAGANDA = "propaganda", _("Propaganda: statements, publicity")
    SYMPATHY = "sympathy", _("Sympathy: protest letters, messages, actions")
    MATERIAL_AID = "material_aid", _("Material aid: money, goods")


def support_forms_in_order(forms: Iterable[str]) -> list[str]:
    """The forms given, each once, in the order of SupportForm (propaganda first)."""
    given = set(forms)
    return [form for form in SupportForm.values if form in given]


class Appeal(Shared, TimeStampedModel):
    # Drafts, and appeals still being sent: the issuer only. Once sent: by its visibility, and to
    # the organizations it was sent to.
    audience = Audience(
        owner="organization",
        addressed=("addressees__organization",),
        owner_only={"status": ("draft", "sending")},
    )
    # Read in the reader's language (translation/content.py): its title, its text and, once it is
    # resolved, the report on its outcome, all in `language`.
    translatable = Translatable(
        fields=("title", "text", "outcome_report"), markdown=("text", "outcome_report")
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Sent by its issuer; its addressees are being recorded in the background. Then open.
        SENDING = "sending", _("Sending")
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        WON = "won", _("Won")
        PARTLY_WON = "partly_won", _("Partly won")
        LOST = "lost", _("Lost")
        ONGOING_ELSEWHERE = "ongoing_elsewhere", _("Ongoing elsewhere")

    # Sent and not yet resolved or closed: it may be answered.
    LIVE = (Status.OPEN, Status.ESCALATED)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="appeals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=35, help_text=_("A BCP 47 tag."))
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.ROUTINE
    )
    country = CountryField(_("country"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    employer = models.ForeignKey(
        "organizations.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
        verbose_name=_("employer"),
    )

    # The forms of support requested, each with its specifics.
    asks_propaganda = models.BooleanField(_("propaganda requested"), default=False)
    propaganda_details = models.TextField(_("statements or publicity that would help"), blank=True)
    asks_sympathy = models.BooleanField(_("sympathy requested"), default=False)
    sympathy_target = models.CharField(_("target of protest letters"), max_length=200, blank=True)
    sympathy_address = models.TextField(_("address of the target"), blank=True)
    asks_material_aid = models.BooleanField(_("material aid requested"), default=False)
    aid_goal_amount = amount_field(_("goal"))
    aid_goal_currency = currency_field()
    aid_goods = models.TextField(_("goods needed"), blank=True)

    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=APPEAL_VISIBILITIES, default=Visibility.NETWORK
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Routing: the criteria chosen when sending (routing.Criteria as JSON), widened by escalation.
    criteria = models.JSONField(default=dict, blank=True)
    ring = models.PositiveSmallIntegerField(default=Ring.CHOSEN)
    escalation_threshold = models.PositiveSmallIntegerField(
        _("responses expected"),
        default=0,
        help_text=_(
            "Widen the appeal if fewer organizations have answered by the escalation time."
        ),
    )
    escalate_at = models.DateTimeField(_("escalation time"), null=True, blank=True, db_index=True)

    sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_report = models.TextField(_("outcome report"), blank=True, help_text=_("Markdown."))
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-urgency", "-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aid_goal_amount__isnull=True) | Q(aid_goal_amount__gt=0),
                name="appeal_goal_positive",
                violation_error_message=_("The goal of the aid must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(visibility="private"),
                name="appeal_never_private",
                violation_error_message=_(
                    "An appeal is public, network or addressed; it cannot be private."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility", "-sent_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appeal_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_over(self) -> bool:
        """Resolved or closed: its urgency no longer matters."""
        return self.status in (self.Status.RESOLVED, self.Status.CLOSED)

    @property
    def text_html(self) -> str:
        return render_markdown(self.text)

    @property
    def url(self) -> str:
        return self.get_absolute_url()

    @property
    def asked_forms(self) -> list[str]:
        """The forms of support the appeal asks for, in the order of SupportForm."""
        asked = {
            SupportForm.PROPAGANDA: self.asks_propaganda,
            SupportForm.SYMPATHY: self.asks_sympathy,
            SupportForm.MATERIAL_AID: self.asks_material_aid,
        }
        return [form for form, asks in asked.items() if asks]

    def routing_origin(self) -> Origin:
        """What routing reads of the appeal: its issuer, country, language and employer."""
        return Origin(
            issuer_id=self.organization_id,
            country=str(self.country),
            languages=(self.language,) if self.language else (),
            employer_id=self.employer_id,
        )

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if not (self.asks_propaganda or self.asks_sympathy or self.asks_material_aid):
            errors["asks_propaganda"] = ValidationError(
                _("Ask for at least one form of support."), code="no_support_requested"
            )
        if self.asks_sympathy and not (self.sympathy_target and self.sympathy_address):
            errors["sympathy_target"] = ValidationError(
                _("Name the target of protest letters and give its address."),
                code="sympathy_target_required",
            )
        if self.asks_material_aid:
            errors |= money_errors(
                self.aid_goal_amount,
                self.aid_goal_currency,
                goods=self.aid_goods,
                incomplete_field="aid_goal_currency",
                missing_field="aid_goods",
                incomplete=(_("A goal is an amount with its currency."), "goal_incomplete"),
                missing=(
                    _("Give a goal (an amount and a currency) or describe the goods needed."),
                    "aid_goal_required",
                ),
            )
        if errors:
            raise ValidationError(errors)


class Addressee(AddresseeBase):
    """An organization the appeal was sent to, and why. One per (appeal, organization)."""

    target_field = "appeal"

    # The unique (appeal, organization) serves lookups by appeal, the index (organization, appeal)
    # lookups by organization, and `addressee_indexes` the summary's counts and pages. Each index
    # costs every send of an appeal to thousands of organizations: no other.
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="addressees", db_index=False
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "organization"],
                name="unique_addressee",
                violation_error_message=_("This appeal was already sent to this organization."),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "appeal"]),
            *addressee_indexes("appeal", "appeals_addressee"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.organization_id}"


class Pledge(Shared, TimeStampedModel):
    """What an addressee organization undertakes to do, tracked until fulfilled or withdrawn."""

    # The issuer's and the addressees' people see that a pledge was made; anyone who sees the
    # appeal sees a public one. Who pledged, what was pledged (amounts, goods) and the evidence:
    # the issuer and the pledger, or anyone when the pledge is public. Who stands with whom can
    # be dangerous to reveal.
    audience = Audience(
        owner="organization",
        addressed=("appeal__organization", "appeal__addressees__organization"),
        visibility=None,
        level=ADDRESSED,
        within="appeal",
        open_if="public",
        masked=(
            Masked(
                "details",
                fields=(
                    "amount",
                    "currency",
                    "goods",
                    "evidence_text",
                    "evidence_link",
                    "evidence_file",
                ),
                to=("organization", "appeal__organization"),
                open_if="public",
            ),
            Masked(
                "pledger",
                fields=("organization",),
                to=("organization", "appeal__organization"),
                open_if="public",
            ),
        ),
    )

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="pledges")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="pledges"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The forms of support it carries (one or more): PledgeSupport rows, read through `forms`.
    description = models.TextField(_("what will be done"))
    due_date = models.DateField(_("by when"), null=True, blank=True)
    amount = amount_field()
    currency = currency_field()
    goods = models.TextField(_("goods"), blank=True)
    # A sympathy pledge may point to a campaign launched for the appeal: its id, kept without a
    # foreign key (campaigns is built on appeals); the campaigns app offers and checks it and
    # shows the link (extensions.add_pledge_campaigns, add_pledge_details).
    campaign_ref = models.PositiveBigIntegerField(_("campaign"), null=True, blank=True)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Anyone who sees the appeal sees this pledge and its amount."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLEDGED, db_index=True
    )
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("link to evidence"), max_length=500, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="pledge-evidence/", blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # A remote organization's pledge: the id of the `Offer` it came with, by which its `Add`,
    # `Update` and `Undo` name it (federation/acting.py); received activities are pruned.
    remote_activity_id = models.CharField(max_length=500, blank=True, db_index=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="pledge_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_date"]),
            # The appeal's page shows its latest pledges.
            models.Index(fields=["appeal", "-created_at", "-id"], name="pledge_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {'+'.join(self.forms)} for {self.appeal_id}"

    @cached_property
    def forms(self) -> list[str]:
        """The forms of support pledged, in the order of SupportForm. Read from the prefetched
        `supports` when the selector prefetched them; a service creating the pledge sets it."""
        if self.pk is None:
            return []
        return support_forms_in_order(support.form for support in self.supports.all())

    @property
    def form_labels(self) -> list[str]:
        return [str(SupportForm(form).label) for form in self.forms]

    @property
    def gives_material_aid(self) -> bool:
        return SupportForm.MATERIAL_AID in self.forms

    def clean(self) -> None:
        # Amounts and goods belong to material aid, whatever other forms the pledge carries.
        if self.gives_material_aid:
            errors = money_errors(
                self.amount,
                self.currency,
                goods=self.goods,
                incomplete_field="currency",
                missing_field="amount",
                incomplete=(
                    _("Material aid in money is an amount with its currency."),
                    "amount_incomplete",
                ),
                missing=(
                    _("Pledge an amount and a currency, or describe the goods."),
                    "aid_required",
                ),
            )
            if errors:
                raise ValidationError(errors)
        elif self.amount is not None or self.currency or self.goods:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _("Only material aid has an amount or goods."),
                        code="amount_not_material_aid",
                    )
                }
            )


class PledgeSupport(models.Model):
    """One form of support a pledge carries; a pledge carries one or more, each once. Seen by
    whoever sees the pledge (Pledge.audience): the forms are not among its masked details."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="supports")
    form = models.CharField(_("form"), max_length=20, choices=SupportForm.choices)

    class Meta:
        ordering = ["pledge", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "form"],
                name="unique_pledge_support",
                violation_error_message=_("This pledge already carries this form of support."),
            ),
            models.CheckConstraint(
                condition=Q(form__in=SupportForm.values),
                name="pledge_support_known_form",
                violation_error_message=_("Choose a form of support from the list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id}: {self.form}"


class Response(Shared, models.Model):
    """An addressee's answer. Appended, never updated: responses are counted on read."""

    # Who answered what: the issuer's and the addressees' people only, whatever the appeal's
    # visibility. Who pledged, unless the pledge is public: the issuer and the pledger only, as
    # for the pledge itself (Pledge.audience).
    audience = Audience(
        owner="appeal__organization",
        addressed=("appeal__addressees__organization",),
        visibility=None,
        level=ADDRESSED,
        within="appeal",
        masked=(
            Masked(
                "responder",
                fields=("organization",),
                to=("appeal__organization", "organization"),
                open_if="names_responder",
            ),
        ),
    )

    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        PLEDGED = "pledged", _("Pledged")
        DECLINED = "declined", _("Declined")
        PASSED = "passed", _("Passed on")

    # Answers that count towards the issuer's threshold: a decline is an answer, not support.
    SUPPORTIVE = (Kind.ACKNOWLEDGED, Kind.PLEDGED, Kind.PASSED)

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="appeal_responses"
    )
    kind = models.CharField(_("response"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    passed_to = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Acknowledging or declining twice says nothing new.
            models.UniqueConstraint(
                fields=["appeal", "organization", "kind"],
                condition=Q(kind__in=["acknowledged", "declined"]),
                name="one_acknowledgement_or_decline",
                violation_error_message=_(
                    "This organization has already answered this appeal in this way."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["appeal", "organization"]),
            # The appeal's page shows its latest answers.
            models.Index(fields=["appeal", "-created_at", "-id"], name="response_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.appeal_id}"

    def get_absolute_url(self) -> str:
        """Where the issuer reads the answers to its appeal."""
        return reverse("appeal_summary", args=[self.appeal_id])

    @property
    def names_responder(self) -> bool:
        """Whether whoever sees the answer may see who gave it: all but a pledge kept private."""
        return self.kind != self.Kind.PLEDGED or self.pledge is None or self.pledge.public


class AppealUpdate(Shared, models.Model):
    """The timeline of an appeal: updates posted by the issuer, and what happened to it."""

    # Whoever sees the appeal.
    audience = Audience(owner="appeal__organization", visibility=None, within="appeal")
    # Its text, read in the reader's language like the appeal's.
    translatable = Translatable(fields=("text",), markdown=("text",))

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        UPDATE = "update", _("Update")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    # The language of its text: the appeal's, unless its author wrote in another.
    language = models.CharField(_("language"), max_length=35, help_text=_("A BCP 47 tag."))
    data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.kind}"

    def get_absolute_url(self) -> str:
        """The appeal, whose page shows its timeline."""
        return reverse("appeal_detail", args=[self.appeal_id])

    @property
    def text_html(self) -> str:
        return render_markdown(self.text)
