"""What happens after: the organizer posts news and, in the end, the result; signers who asked for
news (`Signature.wants_news`) are e-mailed each, in their language where the platform speaks it,
in batches, with a one-click unsubscribe (RFC 8058: List-Unsubscribe and List-Unsubscribe-Post
headers, and a link in the text), as the notice e-mails do (notifications/unsubscribe.py).

An update is sent by a task queued when it is posted and run again periodically until done: each
message is sent and recorded on its own (the update's row lock taken, the message sent, its mark
`sent_up_to` moved past the signer, committed), so a run that dies midway sends one message again
at most, and one address the mail server refuses for good is marked undeliverable and passed over
instead of holding the update back (and everyone before it sent again) at every run. A signer who
unsubscribed or whose address was refused (`NewsOptOut`), erased the signature or had it
invalidated is not sent anything.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text
from internationale.core.services import require
from internationale.notifications.unsubscribe import one_click_headers

from .exports import VALID
from .models import Campaign, CampaignUpdate, NewsOptOut, Signature

_SALT = "internationale.campaigns.news"
BATCH = 500


def update_post(
    *,
    actor: ActorLike,
    campaign: Campaign,
    title: str,
    text: str,
    kind: str = CampaignUpdate.Kind.NEWS,
    result: str = "",
) -> CampaignUpdate:
    """Post news or the result of a launched campaign; its signers who asked for news are
    e-mailed it after commit. ValidationError by field for refused input."""
    require(actor, "campaigns.post_update", campaign)
    if campaign.status == Campaign.Status.DRAFT:
        raise ValidationError(
            _("A campaign has news to tell once it is launched."), code="not_launched"
        )
    update = CampaignUpdate(
        campaign=campaign,
        kind=kind,
        result=result if kind == CampaignUpdate.Kind.RESULT else "",
        title=(title or "").strip(),
        text=(text or "").strip(),
        created_by=person(actor),
    )
    update.full_clean()
    if kind == CampaignUpdate.Kind.RESULT and not result:
        raise ValidationError(
            {"result": ValidationError(_("Say what the result is."), code="required")}
        )
    with transaction.atomic():
        update.save()
        audit(
            actor=actor,
            action="campaign.update",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
            update=update.title,
        )
        from .tasks_delivery import send_campaign_update

        pk = update.pk
        transaction.on_commit(lambda: send_campaign_update.enqueue(pk))
    return update


def updates_of(campaign: Campaign) -> list[CampaignUpdate]:
    return list(CampaignUpdate.objects.filter(campaign=campaign).order_by("-created_at", "-id"))


# Unsubscribing ---------------------------------------------------------------------------------


def unsubscribe_token(signature_id: int) -> str:
    return signing.dumps({"s": signature_id}, salt=_SALT, compress=True)


def unsubscribe_url(signature_id: int) -> str:
    return absolute_url(reverse("campaign_news_off", args=[unsubscribe_token(signature_id)]))


def unsubscribe_read(token: str) -> Signature:
    """The signature whose news the link turns off; signing.BadSignature for a forged, altered
    link or a signature erased."""
    data = signing.loads(token or "", salt=_SALT)
    pk = data.get("s") if isinstance(data, dict) else None
    signature = (
        Signature.objects.select_related("campaign").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if signature is None:
        raise signing.BadSignature("unknown")
    return signature


def news_turn_off(*, token: str) -> Signature:
    """What the link in each news e-mail does. Twice is harmless."""
    signature = unsubscribe_read(token)
    try:
        with transaction.atomic():
            NewsOptOut.objects.get_or_create(signature=signature)
    except IntegrityError:  # pragma: no cover -- turned off at the same moment
        pass
    return signature


# Sending ---------------------------------------------------------------------------------------


def _language(tag: str) -> str:
    primary = (tag or "").split("-")[0].lower()
    spoken = {code for code, _name in settings.LANGUAGES}
    return primary if primary in spoken else settings.LANGUAGE_CODE


def _message(update: CampaignUpdate, signature: Signature) -> EmailMessage:
    off = unsubscribe_url(signature.pk)
    with translation.override(_language(signature.language)):
        subject = header_text(
            _("%(campaign)s: %(title)s")
            % {"campaign": update.campaign.title, "title": update.title}
        )
        body = render_to_string(
            "campaigns/email/update.txt",
            {
                "update": update,
                "campaign": update.campaign,
                "signature": signature,
                "unsubscribe_url": off,
                "page": absolute_url(reverse("campaign_updates", args=[update.campaign_id])),
            },
        )
    return EmailMessage(
        subject,
        body,
        None,
        [signature.email],
        headers=AUTO_SUBMITTED | one_click_headers(off),
    )


def _refused(error: Exception) -> bool:
    """Whether the mail server refused this message for good (its recipient, or the message, with
    a permanent 5xx answer): sending it again would be refused again. Anything else (the server
    gone, a 4xx) is for a later run."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _send_next(update_id: int, connection: BaseEmailBackend) -> bool:
    """Send the update to its next signer, and record it in the same short transaction: the mark
    moves past the signer whether the message went or was refused for good (the address is then
    marked undeliverable, `NewsOptOut.Reason.UNDELIVERABLE`, and sent no news again). Returns
    False when there is no signer left (the update is then finished). A failure that may pass
    (the server gone) is raised, the mark left before that signer: the next run takes it again,
    and only it."""
    with transaction.atomic():
        update = (
            CampaignUpdate.objects.select_for_update()
            .select_related("campaign")
            .filter(pk=update_id, finished_at__isnull=True)
            .first()
        )
        if update is None:
            return False
        signature = (
            Signature.objects.filter(
                campaign_id=update.campaign_id,
                wants_news=True,
                status__in=VALID,
                pk__gt=update.sent_up_to,
                news_opt_out__isnull=True,
            )
            .order_by("id")
            .first()
        )
        if signature is None:
            update.finished_at = timezone.now()
            update.save(update_fields=["finished_at"])
            return False
        try:
            connection.send_messages([_message(update, signature)])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            if not _refused(error):
                raise
            NewsOptOut.objects.get_or_create(
                signature=signature, defaults={"reason": NewsOptOut.Reason.UNDELIVERABLE}
            )
        else:
            update.sent_count += 1
        update.sent_up_to = signature.pk
        update.save(update_fields=["sent_up_to", "sent_count"])
    return True


def update_send_batch(update_id: int, batch: int = BATCH) -> int:
    """Send the update to its next `batch` signers, over one connection to the mail server, each
    message recorded as it goes (`_send_next`). Returns how many signers were passed (0: done)."""
    passed = 0
    with get_connection() as connection:
        while passed < batch and _send_next(update_id, connection):
            passed += 1
    return passed


def update_send(update_id: int, batch: int = BATCH) -> int:
    total = 0
    while True:
        sent = update_send_batch(update_id, batch)
        total += sent
        if sent < batch:
            return total


def updates_to_send_query(now: object = None) -> QuerySet[CampaignUpdate]:
    """The updates not yet sent to all (the partial index `update_to_send`)."""
    return CampaignUpdate.objects.filter(finished_at__isnull=True).order_by("id")


def updates_to_send() -> list[int]:
    return list(updates_to_send_query().values_list("pk", flat=True)[:100])
