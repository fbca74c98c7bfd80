"""Background work for campaigns. Every task is safe to run twice, and works on a batch."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text
from internationale.core.notices import notice_send

from .counting import count_all
from .models import Campaign, Signature, Sponsor
from .signing import confirmation_token


@task()
def deliver_sponsor_invitations(campaign_id: int, organization_ids: Sequence[int]) -> int:
    """Tell a batch of organizations invited to co-sponsor (their inboxes, e-mail, webhooks) and
    mark their invitations delivered. Inbox entries are unique per (organization, source, kind):
    run again, this delivers nothing twice. Returns how many were not yet delivered."""
    campaign = Campaign.objects.select_related("organization").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    with transaction.atomic():
        ids = list(
            Sponsor.objects.filter(
                campaign=campaign, organization_id__in=organization_ids, delivered_at__isnull=True
            ).values_list("organization_id", flat=True)
        )
        notice_send(
            kind="campaign.invited",
            source=campaign,
            organizations=ids,
            params={"organizer": campaign.organization.name, "title": campaign.title},
            sender=campaign.organization_id,
            summary=Truncator(campaign.text).chars(280),
            inbox_now=True,
        )
        Sponsor.objects.filter(campaign=campaign, organization_id__in=ids).update(
            delivered_at=timezone.now()
        )
    return len(ids)


def signer_language(tag: str) -> str:
    """The language of a signer's e-mails: theirs, by its primary subtag, when the platform speaks
    it; else the server's."""
    primary = (tag or "").split("-")[0].lower()
    spoken = {code for code, _name in settings.LANGUAGES}
    return primary if primary in spoken else settings.LANGUAGE_CODE


@task()
def send_confirmation(signature_id: int) -> bool:
    """E-mail a pending signature's confirmation link, in the signer's language. Nothing for a
    signature confirmed meanwhile. Run twice, it sends the same link twice, which is harmless."""
    signature = (
        Signature.objects.select_related("campaign__organization")
        .filter(pk=signature_id, status=Signature.Status.PENDING)
        .first()
    )
    if signature is None:
        return False
    link = absolute_url(reverse("campaign_confirm", args=[confirmation_token(signature)]))
    with translation.override(signer_language(signature.language)):
        subject = header_text(
            _("Confirm your signature: %(title)s") % {"title": signature.campaign.title}
        )
        body = render_to_string(
            "campaigns/email/confirm.txt",
            {
                "signature": signature,
                "campaign": signature.campaign,
                "link": link,
                "hours": settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_HOURS,
            },
        )
    EmailMessage(subject, body, None, [signature.email], headers=AUTO_SUBMITTED).send()
    return True


# Before the tasks of the default priority: under a flood of signatures the worker has a backlog of
# confirmation e-mails (one task each), and a count queued behind them would fall minutes behind
# instead of at most 10 s. One run counts every confirmed signature waiting, in batches.
COUNT_PRIORITY = 10


@task(priority=COUNT_PRIORITY)
def count_signatures() -> int:
    """Add the signatures confirmed since the last run to their campaigns' counts (counting.py).
    Queued every few seconds by the worker, run before the tasks waiting at the default
    priority."""
    return count_all()
