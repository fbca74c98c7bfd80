"""Cancelling a meeting: the host's speakers call it off, with a reason if they wish. The meeting
stays listed, marked cancelled; its SEQUENCE is raised and its calendars say STATUS:CANCELLED, so
that every calendar that holds it takes it off; the organizations invited that had not declined
are told (the e-mail carries METHOD:CANCEL). Nothing about it changes any more (services
refuse: `_require_ahead`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike
from internationale.core.audit import audit
from internationale.core.notices import notice_send
from internationale.core.services import reason_text, require

from .models import Invitation, Meeting
from .services import _require_ahead

REASON_MAX = 2000


def meeting_cancel(*, actor: ActorLike, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a meeting not over yet. Cancelling twice is refused, as is cancelling a meeting
    that is over."""
    require(
        actor,
        "cooperation.cancel_meeting",
        meeting,
        _("Only an admin or secretary of the host can cancel the meeting."),
    )
    reason = reason_text(reason, REASON_MAX)
    now = timezone.now()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.is_cancelled:
            raise ValidationError(_("This meeting is cancelled already."), code="already_cancelled")
        _require_ahead(current, now)
        current.cancelled_at = now
        current.cancel_reason = reason
        current.sequence += 1
        current.save(update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"])
        audit(
            actor=actor,
            action="meeting.cancel",
            target=current,
            organization=current.organization,
            title=current.title,
        )
        notice_send(
            kind="meeting.cancelled",
            source=current,
            organizations=Invitation.objects.filter(meeting=current)
            .exclude(status=Invitation.Status.DECLINED)
            .values_list("organization_id", flat=True),
            params={"title": current.title},
            summary=reason,
            sender=current.organization,
        )
    return current
