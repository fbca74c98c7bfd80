"""Background work for organizations. Every task is safe to run twice."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text

from .models import Invitation
from .services import invitation_token


@task()
def send_invitation(invitation_id: int) -> bool:
    """E-mail an invitation once. The row is claimed (sent_at) before sending and released if the
    mail server fails, so a repeated task sends nothing and a failed one can be run again."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(sent_at=now)
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    link = absolute_url(f"/invitations/{invitation_token(invitation)}/")
    with translation.override(_invitation_language(invitation)):
        subject = header_text(
            _("You are invited to join %(org)s on Internationale")
            % {"org": invitation.organization.name}
        )
        body = render_to_string(
            "organizations/email/invitation.txt", {"invitation": invitation, "link": link}
        )
    try:
        EmailMessage(subject, body, None, [invitation.email], headers=AUTO_SUBMITTED).send()
    except OSError:
        Invitation.objects.filter(pk=invitation_id, sent_at=now).update(sent_at=None)
        raise
    return True


def _invitation_language(invitation: Invitation) -> str:
    """The organization's main language (its first), by its primary subtag (pt-BR: pt) when the
    platform speaks it; else the inviting admin's; else the server's."""
    first = invitation.organization.languages.first()
    if first is not None:
        primary = first.tag.split("-")[0].lower()
        if primary in {code for code, _name in settings.LANGUAGES}:
            return primary
    return getattr(invitation.invited_by, "language", "") or settings.LANGUAGE_CODE
