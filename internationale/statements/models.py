"""Joint statements deliberated by organizations to consensus, and advice between organizations.

A statement is shared content (core/visibility.py): its initiating organization owns it, the
organizations invited to take part are its addressees (addressing/), and while it is drafted only
they see it. Once adopted it is frozen and, if the initiator chose so, published to the network or
the public.

Its text is a numbered list of paragraphs (Markdown, rendered sanitized), kept as versions: every
decision on an amendment, and every revision by the initiator, makes a new version; positions are
stated on one version. What the participants say among themselves (amendments, comments,
positions) stays among them whatever the statement's visibility; the adopted version and the
signatures follow the statement.

The adopted text reads in several languages through the shared language versions
(translation/): the original, in the drafting language, is authoritative; versions in other
languages are made by machines on adoption or entered by people (translations.py).

Advice is not shared content: it is private between the two organizations, read by their admins
and secretaries only (selectors.advice_visible_to), never by operators.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.addressing.models import AddresseeBase
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.visibility import ADDRESSED, PUBLIC, Audience, Shared, SharedQuerySet
from internationale.translation.registry import Translatable

# Who reads an adopted statement: its participants, the network or everyone.
ADOPTED_VISIBILITIES = [
    (value, label) for value, label in Visibility.choices if value != Visibility.PRIVATE
]

# The participants: the initiator's people and those of the organizations invited.
PARTICIPANTS = ("statement__participants__organization",)


class Statement(Shared, TimeStampedModel):
    audience = Audience(owner="organization", addressed=("participants__organization",))

    class Status(models.TextChoices):
        # Amendments are proposed and decided, supporters gather.
        DRAFTING = "drafting", _("Drafting")
        # Positions are called on one version (`positions_version`).
        POSITIONS = "positions", _("Positions called")
        ADOPTED = "adopted", _("Adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="statements_initiated",
        verbose_name=_("initiating organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # The drafting language, a BCP 47 tag in its standard form: the authoritative text's.
    language = models.CharField(_("drafting language"), max_length=35)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    # While drafted a statement is for its participants ("addressed"); on adoption it takes
    # `adopted_visibility`, the initiator's choice.
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=ADOPTED_VISIBILITIES, default=Visibility.ADDRESSED
    )
    adopted_visibility = models.CharField(
        _("visibility once adopted"),
        max_length=20,
        choices=ADOPTED_VISIBILITIES,
        default=Visibility.PUBLIC,
        help_text=_("Who may read the statement and its signatories once it is adopted."),
    )
    amendments_until = models.DateTimeField(_("deadline for amendments"))
    positions_until = models.DateTimeField(_("deadline for positions"))
    # Consensus rule: at least this many participants (the initiator included) agree, and, if
    # set, a participant silent at the deadline counts as standing aside.
    min_agree = models.PositiveIntegerField(_("agreements needed"), default=2)
    silence_stands_aside = models.BooleanField(
        _("silence at the deadline counts as standing aside"), default=False
    )
    # Supporters a draft gathers before positions may be called (0: none needed).
    min_supporters = models.PositiveIntegerField(_("supporters needed"), default=0)
    # The latest version, and the one positions are called on (the latest, once called).
    current_version = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    positions_version = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True, default="")

    objects = SharedQuerySet.as_manager()

    # The adopted text in several languages (translatable_texts): its versions in other languages
    # go with it (`language_versions`, given by the declaration).
    translatable = Translatable(
        fields=("title",), markdown=("paragraph",), versions_rule="statements.translate_statement"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="private") & ~Q(adopted_visibility="private"),
                name="statement_never_private",
                violation_error_message=_(
                    "A statement is for its participants, the network or the public; it cannot "
                    "be private."
                ),
            ),
            models.CheckConstraint(
                condition=Q(positions_until__gte=models.F("amendments_until")),
                name="statement_positions_after_amendments",
                violation_error_message=_(
                    "The deadline for positions cannot come before the one for amendments."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["visibility", "status", "adopted_at"]),
            # The worker's look for deadlines for positions passing (consensus.statements_due).
            models.Index(fields=["status", "positions_until"], name="statement_positions_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statement_detail", args=[self.pk])

    def adopted_version(self) -> "Version | None":
        version = self.current_version
        if self.status != self.Status.ADOPTED or version is None or not version.is_adopted:
            return None
        return version

    def translatable_texts(self) -> dict[str, str]:
        """The adopted text, what is translated: its title, then "paragraph.1"... (Markdown).
        Nothing before adoption: a draft is not translated."""
        version = self.adopted_version()
        if version is None:
            return {}
        texts = {"title": version.title}
        for number, paragraph in enumerate(version.paragraphs, start=1):
            texts[f"paragraph.{number}"] = paragraph
        return texts

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.WITHDRAWN)

    def routing_origin(self) -> Origin:
        """What inviting reads of the statement: its initiator, the initiator's country, its
        drafting language."""
        return Origin(
            issuer_id=self.organization_id,
            country=str(self.organization.country),
            languages=(self.language,),
        )


class Participant(AddresseeBase):
    """An organization invited to take part in a statement, and why. One per (statement,
    organization). The initiator takes part without a row of its own."""

    target_field = "statement"

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    # The organization supports the draft being circulated for positions.
    supported_at = models.DateTimeField(null=True, blank=True)
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"],
                name="unique_statement_participant",
                violation_error_message=_("This organization already takes part."),
            )
        ]
        indexes = [models.Index(fields=["organization", "statement"])]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.organization_id}"


class Version(Shared, models.Model):
    """One numbered version of a statement's text: its paragraphs (Markdown), in order. Version 1
    is the initiator's draft; each later one records why it was made."""

    # Participants only, except the adopted version, which whoever sees the statement reads.
    audience = Audience(
        owner="statement__organization",
        addressed=PARTICIPANTS,
        visibility=None,
        level=ADDRESSED,
        within="statement",
        open_if="is_adopted",
    )

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    # Why it was made: "Amendment 4 accepted", the initiator's note on a revision.
    note = models.TextField(_("what changed"), blank=True, default="")
    # The amendment whose decision made this version, if one did.
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_adopted = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"],
                name="unique_statement_version",
                violation_error_message=_("This statement already has a version of this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} v{self.number}"

    def get_absolute_url(self) -> str:
        # Where positions on it are stated and read (the link of notices about it).
        return reverse("statement_detail", args=[self.statement_id]) + "#positions-heading"


class Amendment(Shared, TimeStampedModel):
    """A participant's proposal to change one paragraph of a version: replace it, insert a new
    paragraph after it (0: before the first), or delete it, with its reason. The initiator
    decides."""

    audience = Audience(
        owner="organization",
        addressed=("statement__organization", *PARTICIPANTS),
        visibility=None,
        level=ADDRESSED,
        within="statement",
    )

    class Kind(models.TextChoices):
        REPLACE = "replace", _("Replace the paragraph")
        INSERT_AFTER = "insert_after", _("Insert a paragraph after it")
        DELETE = "delete", _("Delete the paragraph")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged by hand")
        REJECTED = "rejected", _("Rejected")
        NEEDS_REBASE = "needs_rebase", _("Needs rebasing")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="amendments")
    # The version it was written against, and the paragraph's number in it (from 1).
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="amendments")
    paragraph = models.PositiveIntegerField(_("paragraph"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("proposed text"), blank=True, default="")
    reason = models.TextField(_("reason"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("proposing organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The version the decision made (accepted, merged).
    result_version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "id"]
        indexes = [models.Index(fields=["statement", "status"])]

    def __str__(self) -> str:
        return f"{self.statement_id} §{self.paragraph} ({self.kind})"

    def get_absolute_url(self) -> str:
        return reverse("amendment_detail", args=[self.pk])


class Comment(Shared, models.Model):
    """A participant's comment on one paragraph of a version, for the participants."""

    audience = Audience(
        owner="organization",
        addressed=("statement__organization", *PARTICIPANTS),
        visibility=None,
        level=ADDRESSED,
        within="statement",
    )

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.PositiveIntegerField(_("paragraph"))
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "paragraph", "id"]
        indexes = [models.Index(fields=["statement", "version", "paragraph"])]

    def __str__(self) -> str:
        return f"{self.statement_id} §{self.paragraph}: {self.text[:40]}"


class Position(Shared, models.Model):
    """A participant's position on one version. Changed in place until the deadline; a new
    version asks again."""

    audience = Audience(
        owner="organization",
        addressed=("statement__organization", *PARTICIPANTS),
        visibility=None,
        level=ADDRESSED,
        within="statement",
    )

    class Stance(models.TextChoices):
        AGREE = "agree", _("Agree")
        RESERVATIONS = "reservations", _("Agree with reservations")
        STAND_ASIDE = "stand_aside", _("Stand aside")
        BLOCK = "block", _("Block")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="positions")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    # The reservations, or the reason for blocking (required then).
    text = models.TextField(_("reservations or reason"), blank=True, default="")
    # Reservations published with the adopted statement, if the organization wishes.
    publish_reservations = models.BooleanField(_("publish our reservations"), default=False)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization"],
                name="unique_position_per_version",
                violation_error_message=_("This organization has already stated its position."),
            ),
            models.CheckConstraint(
                condition=~Q(stance="block") | ~Q(text=""),
                name="block_has_reason",
                violation_error_message=_("A block needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.organization_id} {self.stance}"

    def get_absolute_url(self) -> str:
        return reverse("statement_detail", args=[self.statement_id]) + "#positions-heading"


class Signature(Shared, models.Model):
    """An organization that signs an adopted statement: a participant that agreed (at adoption),
    or another verified organization afterwards, which the initiator can decline. One per
    (statement, organization)."""

    # Whoever sees the statement sees who signed it.
    audience = Audience(
        owner="organization",
        addressed=("statement__organization",),
        visibility=None,
        level=PUBLIC,
        within="statement",
    )

    class Source(models.TextChoices):
        ADOPTION = "adoption", _("Agreed at adoption")
        ADDED = "added", _("Added after adoption")

    class Status(models.TextChoices):
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined by the initiator")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatures")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SIGNED)
    # The organization's published reservations, if it agreed with reservations and wished so.
    reservations = models.TextField(_("reservations"), blank=True, default="")
    # The signatory's country, kept on the row: the public page groups signatories by it.
    country = models.CharField(max_length=2, blank=True, default="")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, default="")

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "country", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"],
                name="unique_signature",
                violation_error_message=_("This organization has already signed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.organization_id}"

    def get_absolute_url(self) -> str:
        return reverse("statement_detail", args=[self.statement_id]) + "#signatures-heading"


class Advice(TimeStampedModel):
    """A piece of advice or an opinion one organization sends another, private between the two:
    read by the admins and secretaries of each, nobody else (operators included). The receiver
    records what it makes of it."""

    class Answer(models.TextChoices):
        CONSIDERING = "considering", _("Under consideration")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Accepted in part")
        REJECTED = "rejected", _("Rejected")

    sender = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="advice_given",
        verbose_name=_("from"),
    )
    receiver = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="advice_received",
        verbose_name=_("to"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("advice"))
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.CONSIDERING
    )
    answer_reason = models.TextField(_("reason"), blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("advice")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")),
                name="advice_to_another",
                violation_error_message=_("Advice goes to another organization."),
            )
        ]
        indexes = [
            models.Index(fields=["sender", "-created_at"]),
            models.Index(fields=["receiver", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.subject
