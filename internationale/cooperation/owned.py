"""What an organization owns of cooperation (core/owned.py): the meetings it hosts with their
invitations, agendas, minutes, agreements and tasks, and what it said in others' (its answers,
approvals and corrections, the tasks assigned to it)."""

from django.db.models import Q
from django.utils.translation import gettext_noop

from internationale.core.owned import Agreed, Owned, declare_not_owned, declare_owned
from internationale.core.uploads import checked_document

HOST = "meeting__organization"
PUBLIC_MEETING = Q(meeting__visibility="public")

declare_owned(
    Owned(
        model="cooperation.Series",
        key="cooperation.series",
        owners=("organization",),
        confidential=True,
    )
)
declare_owned(
    Owned(
        model="cooperation.Meeting",
        key="cooperation.meeting",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Only a verified organization hosts a meeting.
        verified_only=Q(),
    )
)
declare_owned(
    Owned(
        model="cooperation.Invitation",
        key="cooperation.invitation",
        owners=(HOST, "organization"),
        confidential=True,
        keep_if=PUBLIC_MEETING,
        agreed=Agreed(
            status="status",
            values=("accepted",),
            asked={"status": "invited", "answered_at": None, "answered_by": None},
        ),
    )
)
declare_owned(
    Owned(
        model="cooperation.Delegate",
        key="cooperation.delegate",
        owners=("invitation__meeting__organization", "invitation__organization"),
        confidential=True,
    )
)
declare_owned(
    Owned(
        model="cooperation.AgendaItem",
        key="cooperation.agenda_item",
        owners=(HOST,),
        confidential=True,
        keep_if=PUBLIC_MEETING,
    )
)
declare_owned(
    Owned(
        model="cooperation.AgendaDocument",
        key="cooperation.agenda_document",
        owners=("item__meeting__organization",),
        files=("file",),
        checks={"file": checked_document},
        confidential=True,
        keep_if=Q(item__meeting__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="cooperation.Minutes",
        key="cooperation.minutes",
        owners=(HOST,),
        confidential=True,
        keep_if=PUBLIC_MEETING,
    )
)
declare_owned(
    Owned(
        model="cooperation.MinutesApproval",
        key="cooperation.minutes_approval",
        owners=("minutes__meeting__organization", "organization"),
        confidential=True,
        # Another organization's approval is left out: it approves again.
        agreed=Agreed(),
    )
)
declare_owned(
    Owned(
        model="cooperation.MinutesCorrection",
        key="cooperation.minutes_correction",
        owners=("minutes__meeting__organization", "organization"),
        confidential=True,
    )
)
declare_owned(
    Owned(
        model="cooperation.Agreement",
        key="cooperation.agreement",
        owners=(HOST,),
        confidential=True,
        keep_if=PUBLIC_MEETING,
    )
)
declare_owned(
    Owned(
        model="cooperation.AgreementParty",
        key="cooperation.agreement_party",
        owners=("agreement__meeting__organization",),
        confidential=True,
        keep_if=Q(agreement__meeting__visibility="public"),
        # Another organization is a party no more: the archive cannot show that it agreed.
        agreed=Agreed(),
    )
)
declare_owned(
    Owned(
        model="cooperation.Task",
        key="cooperation.task",
        owners=("agreement__meeting__organization", "organization"),
        files=("evidence_file",),
        checks={"evidence_file": checked_document},
        confidential=True,
    )
)
declare_owned(
    Owned(
        model="cooperation.TaskNote",
        key="cooperation.task_note",
        owners=("task__agreement__meeting__organization", "task__organization"),
        confidential=True,
    )
)
declare_not_owned("cooperation.CalendarFeed", gettext_noop("a secret address of this server"))
declare_not_owned("cooperation.TaskReminder", gettext_noop("reminders sent, kept against repeats"))
