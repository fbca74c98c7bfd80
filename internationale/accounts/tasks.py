"""Background work for people: the e-mail that tells a person their API tokens were revoked."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.mail import AUTO_SUBMITTED, header_text

from .models import User


@task()
def send_tokens_revoked(user_id: int, reason: str, count: int) -> bool:
    """Tell a person that `count` of their API tokens stopped working, and why. A security notice:
    sent at least once (a task run again after a failure may send it twice)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = header_text(_("Your API tokens were revoked"))
        body = render_to_string(
            "accounts/email/tokens_revoked.txt",
            {"user": user, "reason": reason, "count": count, "site_url": settings.SITE_URL},
        )
    EmailMessage(subject, body, None, [user.email], headers=AUTO_SUBMITTED).send()
    return True
