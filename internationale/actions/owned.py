"""What an organization owns of days of action (core/owned.py): the days it called with their
co-callers, called organizations, answers, local actions, reports and approvals; what it did on
others' days (its co-calling, its answer, its local actions and their reports with photos).

A local action's contact is personal data (a name, a telephone number, an e-mail address): it is
exported only when the admin confirms that addresses are included, and an emergency erase blanks
it even in a public day's actions, whose rest stays public. A report's photos go into the archive
as files; an erase removes them, except those of a public day, already published to everyone."""

from django.db.models import Q

from internationale.core.owned import Agreed, Owned, Personal, declare_owned

from .reports import checked_photo

CALLER = "day__organization"
PUBLIC_DAY = Q(day__visibility="public")

declare_owned(
    Owned(
        model="actions.DayOfAction",
        key="actions.day",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Called: only a verified organization calls a day.
        verified_only=~Q(status="draft"),
    )
)
# A co-caller that accepted is one of the callers: on import, invited again. An approval of the
# report by another organization is left out: it approves again.
AGREED = {
    "actions.cocaller": Agreed(
        status="status",
        values=("accepted",),
        asked={"status": "invited", "answered_at": None, "answered_by": None},
    ),
    "actions.report_approval": Agreed(),
}
for model, key in (
    ("actions.CoCaller", "actions.cocaller"),
    ("actions.Called", "actions.called"),
    ("actions.Answer", "actions.answer"),
    ("actions.ReportApproval", "actions.report_approval"),
):
    declare_owned(
        Owned(
            model=model,
            key=key,
            owners=(CALLER, "organization"),
            confidential=True,
            keep_if=PUBLIC_DAY,
            agreed=AGREED.get(key),
        )
    )
declare_owned(
    Owned(
        model="actions.LocalAction",
        key="actions.local_action",
        owners=("organization", CALLER),
        personal={"contact": Personal.EMAIL},
        confidential=True,
        keep_if=PUBLIC_DAY,
        confidential_fields=("contact",),
    )
)
declare_owned(
    Owned(
        model="actions.Report",
        key="actions.report",
        owners=("action__organization", "action__day__organization"),
        confidential=True,
        keep_if=Q(action__day__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="actions.ReportPhoto",
        key="actions.report_photo",
        owners=("report__action__organization", "report__action__day__organization"),
        files=("file",),
        checks={"file": checked_photo},
        confidential=True,
        keep_if=Q(report__action__day__visibility="public"),
    )
)
