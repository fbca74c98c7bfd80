"""The records of campaigns.

A campaign is shared content (core/visibility.py): its organizing organization owns it, the
co-sponsoring organizations invited through the addressing of appeals are its addressees
(`Sponsor`). While it is a draft it is seen by its organizer and the organizations invited to
sponsor it; launched, it is public. Its letter or petition text is translatable
(translation/): the original, in its language, is authoritative, and versions in other languages
are read by the reader's language first.

Signatures are made by the public, without an account. They are append-only rows: a signature is
confirmed by a link sent by e-mail (its token kept only as a hash), and counted afterwards by a
periodic task that adds, in one batch, the newly confirmed signatures to the campaign's count
(`SignatureCount`, one row per campaign): no row is updated by every signature. A signature may be
blocked (answered as a success, never counted) or invalidated later by an operator.

Network addresses: a signature keeps no address, only a keyed hash of it (`client_hash`), for the
limits per address of the anti-abuse screening, and only for as long as those limits need it.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from internationale.addressing.models import AddresseeBase, addressee_indexes
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.text import render_markdown
from internationale.core.visibility import Audience, Shared, SharedQuerySet
from internationale.translation.registry import Translatable

# A draft is for its organizer and the organizations invited to sponsor it; launched, for anyone.
CAMPAIGN_VISIBILITIES = [
    (value, label)
    for value, label in Visibility.choices
    if value in (Visibility.PUBLIC, Visibility.ADDRESSED)
]


class Campaign(Shared, TimeStampedModel):
    audience = Audience(owner="organization", addressed=("sponsors__organization",))
    # Read in the reader's language (translation/content.py): its title and its text.
    translatable = Translatable(fields=("title", "text"), markdown=("text",))

    class Kind(models.TextChoices):
        LETTER = "letter", _("Protest letter")
        PETITION = "petition", _("Petition")

    class Status(models.TextChoices):
        # Prepared by its organizer, sponsors invited: not yet public, not signed.
        DRAFT = "draft", _("Draft")
        # Launched: public, signed between its start and its end.
        OPEN = "open", _("Open")
        # Closed by its organizer before its end: public, no longer signed.
        CLOSED = "closed", _("Closed")

    class Delivery(models.TextChoices):
        EVERY = "every", _("Every time a number of new signatures is reached")
        DAILY = "daily", _("Once a day")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="campaigns",
        verbose_name=_("organizing organization"),
        db_index=False,  # (organization, status) serves it
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The appeal the campaign answers, if any: its page shows the campaign (appeals/extensions.py).
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        verbose_name=_("appeal"),
        db_index=False,  # campaign_appeal, for the campaigns that have one
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LETTER)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text of the letter or petition"),
        max_length=20000,
        help_text=_("Markdown. What every signer signs."),
    )
    # A BCP 47 tag in its standard form: the language of the original text.
    language = models.CharField(_("language"), max_length=35, help_text=_("A BCP 47 tag."))
    goal = models.PositiveIntegerField(
        _("goal"),
        validators=[MinValueValidator(1)],
        help_text=_("The number of signatures the campaign aims for."),
    )
    starts_at = models.DateTimeField(_("start"), help_text=_("Signatures are taken from then."))
    ends_at = models.DateTimeField(_("end"), help_text=_("And until then."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=CAMPAIGN_VISIBILITIES,
        default=Visibility.ADDRESSED,
    )
    # How the letter and its signatures reach the targets: one message per `delivery_every` new
    # signatures, or one a day.
    delivery = models.CharField(
        _("delivery to the targets"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.EVERY,
    )
    delivery_every = models.PositiveIntegerField(
        _("signatures per delivery"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("With delivery by number: one message to the targets per this many."),
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = SharedQuerySet.as_manager()
    language_versions = GenericRelation("translation.LanguageVersion")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
                violation_error_message=_("A campaign ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "addressed"]),
                name="campaign_public_or_addressed",
                violation_error_message=_(
                    "A campaign is public, or while a draft, for its organizations."
                ),
            ),
            models.CheckConstraint(
                condition=Q(goal__gte=1) & Q(delivery_every__gte=1),
                name="campaign_goal_positive",
                violation_error_message=_(
                    "The goal and the signatures per delivery are at least 1."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "visibility", "-launched_at"]),
            models.Index(
                fields=["appeal"], name="campaign_appeal", condition=Q(appeal__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign_detail", args=[self.pk])

    @property
    def text_html(self) -> str:
        return render_markdown(self.text)

    def is_signable(self, at: datetime | None = None) -> bool:
        """Open, and between its start and its end."""
        now = at or timezone.now()
        return self.status == self.Status.OPEN and self.starts_at <= now < self.ends_at

    def routing_origin(self) -> Origin:
        """What inviting sponsors reads of the campaign: its organizer, the organizer's country,
        the language of its text, and the employer of its appeal, if any."""
        appeal = self.appeal
        return Origin(
            issuer_id=self.organization_id,
            country=str(appeal.country if appeal is not None else self.organization.country),
            languages=(self.language,) if self.language else (),
            employer_id=appeal.employer_id if appeal is not None else None,
        )


class Target(models.Model):
    """Who the letter or petition is addressed to: an employer, a ministry, an embassy. One or more
    per campaign; each receives the signatures in batches."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    postal_address = models.TextField(_("postal address"), max_length=1000, blank=True)
    # Delivery: every signature confirmed up to this moment was delivered to this target (none
    # yet: null), and when the last message went.
    delivered_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Sponsor(AddresseeBase):
    """An organization invited to co-sponsor a campaign, why, and its answer. One per (campaign,
    organization). The organizer sponsors its campaign without a row of its own."""

    target_field = "campaign"

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="sponsors", db_index=False
    )
    # Database defaults: addressee rows are inserted in bulk, without the model's defaults.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INVITED,
        db_default=Status.INVITED,
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="unique_campaign_sponsor",
                violation_error_message=_("This organization is already invited to sponsor it."),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "campaign"]),
            *addressee_indexes("campaign", "campaign_sponsor"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.organization_id}"


class Signature(models.Model):
    """One person's signature of one campaign. Append-only: written once when signing; then only
    its confirmation, its status and its counting change, and what signing again with its address
    records (its new link, and when and from which client's hash: signing._again). Pruned when
    never confirmed, emptied some days after it was invalidated (pruning.py).

    Status: `pending` until its e-mail address is confirmed; `confirmed`, then `counted` once the
    counting task added it to the campaign's count; `blocked` by the anti-abuse screening (the
    signer was told it was received, it is never counted); `invalidated` by an operator later
    (taken out of the count if it was in it).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        COUNTED = "counted", _("Counted")
        BLOCKED = "blocked", _("Blocked")
        INVALIDATED = "invalidated", _("Invalidated")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="signatures", db_index=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # Normalized: in lower case (signing.normalize_email); one address counts once per campaign.
    email = models.EmailField(_("e-mail address"), max_length=254)
    email_domain = models.CharField(max_length=253)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    union = models.CharField(_("union"), max_length=200, blank=True)
    # The signer's language (BCP 47): of the e-mails they are sent.
    language = models.CharField(_("language"), max_length=35)
    show_publicly = models.BooleanField(
        _("show my first name and country on the campaign's page"), default=False
    )
    wants_news = models.BooleanField(_("send me news of this campaign"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The confirmation link's token, as a sha256 hash; the link works until `token_expires_at`,
    # and once.
    token_hash = models.CharField(max_length=64, unique=True)
    token_expires_at = models.DateTimeField()
    # A keyed hash of the client's network address, for the limits per address; emptied once
    # those limits no longer need it. For an IPv6 client, also of its /48 (`client_hash_wide`):
    # a site's whole network, with its own, higher limit (empty for IPv4).
    client_hash = models.CharField(max_length=64, blank=True, default="")
    client_hash_wide = models.CharField(max_length=64, blank=True, default="", db_default="")
    # Signing again with the same address (signing._again): when it last happened and from which
    # client (its keyed hash), counted in that client's limits as a signature is; and the links
    # sent again, at most one per INTERNATIONALE_CAMPAIGN_RESEND_SECONDS and
    # INTERNATIONALE_CAMPAIGN_RESENDS_PER_DAY in the day from `resend_window_at`.
    again_at = models.DateTimeField(null=True, blank=True)
    again_client_hash = models.CharField(max_length=64, blank=True, default="", db_default="")
    link_sent_at = models.DateTimeField(null=True, blank=True)
    # A confirmation e-mail is owed (tasks.send_confirmations): set with the link, in the
    # transaction that writes it; cleared once the e-mail with that link is sent. A run of the
    # task claims the rows it sends (`confirmation_claimed_at`); a claim older than
    # INTERNATIONALE_CAMPAIGN_CONFIRMATION_CLAIM_SECONDS (its run died) is taken again.
    confirmation_due = models.BooleanField(default=False, db_default=False)
    confirmation_claimed_at = models.DateTimeField(null=True, blank=True)
    resend_window_at = models.DateTimeField(null=True, blank=True)
    resends = models.PositiveSmallIntegerField(default=0, db_default=0)
    # Set when invalidated or blocked, and by whom (an operator) and why.
    invalidated_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email"],
                name="unique_campaign_signature",
                violation_error_message=_("This e-mail address has already signed."),
            )
        ]
        indexes = [
            # The confirmation e-mails owed (tasks.send_confirmations).
            models.Index(
                fields=["id"], name="signature_mail_due", condition=Q(confirmation_due=True)
            ),
            # The counting task: the confirmed signatures not yet counted.
            models.Index(fields=["id"], name="signature_to_count", condition=Q(status="confirmed")),
            # Delivery and exports: a campaign's signatures of one status, in order.
            models.Index(fields=["campaign", "status", "id"], name="signature_campaign"),
            # The public page: the latest signers who chose to be shown.
            models.Index(
                fields=["campaign", "-confirmed_at"],
                name="signature_shown",
                condition=Q(show_publicly=True, status__in=["confirmed", "counted"]),
            ),
            # The anti-abuse limits and trends: per e-mail domain and per address, in time.
            models.Index(fields=["email_domain", "created_at"], name="signature_domain"),
            models.Index(
                fields=["client_hash", "created_at"],
                name="signature_client",
                condition=~Q(client_hash=""),
            ),
            models.Index(
                fields=["client_hash_wide", "created_at"],
                name="signature_client_wide",
                condition=~Q(client_hash_wide=""),
            ),
            models.Index(
                fields=["again_client_hash", "again_at"],
                name="signature_client_again",
                condition=~Q(again_client_hash=""),
            ),
            # Pruning (pruning.py): the signatures never confirmed (pending, blocked), by age.
            models.Index(fields=["status", "created_at"], name="signature_status_age"),
            # Pruning: the invalidated signatures whose personal fields are not yet erased.
            models.Index(
                fields=["invalidated_at"],
                name="signature_invalidated",
                condition=Q(status="invalidated") & ~Q(email_domain="erased.invalid"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.first_name} ({self.country})"


class SignatureIntake(models.Model):
    """A signature as received, before the worker screens it (signing.signature_receive, then
    tasks.screen_signatures): the one row a signing request writes, so that the request does
    little more than check its input. The worker takes a batch of them, and for each, in one
    transaction, screens it (the limits per address and domain, one signature per address,
    signing again), writes the `Signature` and its consents, and deletes this row: a worker that
    dies leaves the row, taken again once its claim is stale (`claimed_at`). Lives for seconds; it
    holds what the signer gave, never the client's network address (only its keyed hashes and
    what the allow and block lists said of it when it came)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254)
    email_domain = models.CharField(max_length=253)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=100, blank=True)
    union = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=35)
    show_publicly = models.BooleanField(default=False)
    wants_news = models.BooleanField(default=False)
    # The ids of the organizations the signer consented to (checked against the sponsors).
    consents = models.JSONField(default=list, blank=True)
    client_hash = models.CharField(max_length=64, blank=True, default="")
    client_hash_wide = models.CharField(max_length=64, blank=True, default="")
    # What the allow and block lists said when it came ("block", "allow" or empty): read then,
    # since a network pattern needs the address, which is not kept.
    listed = models.CharField(max_length=10, blank=True, default="")
    # And why, when blocked (the screening's reason).
    reason = models.CharField(max_length=200, blank=True, default="")
    received_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        # The worker's batch: the rows unclaimed, oldest first, and those claimed long ago.
        indexes = [
            models.Index(
                fields=["id"], name="intake_waiting", condition=Q(claimed_at__isnull=True)
            ),
            models.Index(
                fields=["claimed_at"], name="intake_claim", condition=Q(claimed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.first_name} ({self.country})"


class Consent(models.Model):
    """A signer's consent to be contacted by one sponsoring organization (the organizer included).
    Never pre-ticked: a row exists only for a box the signer ticked; withdrawn through the link in
    the confirmation e-mail."""

    signature = models.ForeignKey(
        Signature, on_delete=models.CASCADE, related_name="consents", db_index=False
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signature", "organization"],
                name="unique_signature_consent",
                violation_error_message=_("This consent is already recorded."),
            )
        ]
        # A sponsor's export: the signers who consented to it.
        indexes = [models.Index(fields=["organization", "signature"], name="consent_sponsor")]

    def __str__(self) -> str:
        return f"{self.signature_id} → {self.organization_id}"


class SignatureCount(models.Model):
    """A campaign's public count: updated in batches by the counting task (tasks.py), never by a
    signature. The page reads this one row."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="count"
    )
    signatures = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.signatures}"


# Screening lists, deliveries, updates to signers (models_abuse.py).
from .models_abuse import CampaignUpdate, Delivery, NewsOptOut, ScreeningRule  # noqa: E402, F401
