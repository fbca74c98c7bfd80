"""The records of campaigns beyond signing: what operators screen with (allow and block lists),
what reached the targets (deliveries), what organizers tell signers afterwards (updates and the
result) and which signers were sent each. Imported at the end of models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internationale.core.text import render_markdown

from .models import Campaign, Signature, Target


class ScreeningRule(models.Model):
    """An operator's entry in the allow or block list of signing. A pattern is matched against an
    e-mail domain or a whole address (shell-style: `*.example.org`, `*@example.org`, in any case),
    or against the client's network address (one address, or a network as 203.0.113.0/24). A
    blocked signature is answered as a success and never counted; an allowed one is spared the
    limits per address and per domain."""

    class List(models.TextChoices):
        ALLOW = "allow", _("Allow")
        BLOCK = "block", _("Block")

    class Kind(models.TextChoices):
        DOMAIN = "domain", _("E-mail domain")
        EMAIL = "email", _("E-mail address")
        NETWORK = "network", _("Network address")

    list = models.CharField(_("list"), max_length=10, choices=List.choices)
    kind = models.CharField(_("what it matches"), max_length=10, choices=Kind.choices)
    pattern = models.CharField(_("pattern"), max_length=254)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["list", "kind", "pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "kind", "pattern"],
                name="unique_screening_rule",
                violation_error_message=_("This pattern is already in this list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.list} {self.kind} {self.pattern}"


class Delivery(models.Model):
    """One delivery of the letter and a batch of its signatures to one target: by e-mail, with
    the list attached as CSV. Its signatures are those confirmed after `confirmed_after` (from the
    first: null) and up to `confirmed_until`."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_ADDRESS = "no_address", _("No e-mail address: deliver by hand")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="deliveries")
    confirmed_after = models.DateTimeField(null=True, blank=True)
    confirmed_until = models.DateTimeField()
    signatures = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["campaign", "-id"], name="delivery_campaign")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.target_id}: {self.signatures}"


class CampaignUpdate(models.Model):
    """What an organizer tells the signers afterwards: news, or the result. Signers who asked for
    news are e-mailed it in batches (outcome.py); `sent_up_to` is the highest signature id sent."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        RESULT = "result", _("Result")

    class Result(models.TextChoices):
        WON = "won", _("Won")
        PARTLY = "partly", _("Partly won")
        LOST = "lost", _("Not won")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="updates", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10000, help_text=_("Markdown."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_up_to = models.BigIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-created_at"], name="update_campaign"),
            models.Index(fields=["id"], name="update_to_send", condition=Q(finished_at=None)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def text_html(self) -> str:
        return render_markdown(self.text)


class NewsOptOut(models.Model):
    """A signer who is sent no more news of a campaign: turned off by the link in a news e-mail
    (one click), or whose address the mail server refused for good (outcome.py). Kept apart from
    the signature, which is append-only."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        UNDELIVERABLE = "undeliverable", _("Address refused by the mail server")

    signature = models.OneToOneField(
        Signature, on_delete=models.CASCADE, primary_key=True, related_name="news_opt_out"
    )
    reason = models.CharField(
        _("why"),
        max_length=20,
        choices=Reason.choices,
        default=Reason.UNSUBSCRIBED,
        db_default=Reason.UNSUBSCRIBED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.signature_id)
