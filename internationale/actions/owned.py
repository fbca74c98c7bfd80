"""What an organization owns of days of action (core/owned.py): the days it calls with their
co-callers, the organizations called and their answers, the local actions, reports and photos
of them; and its own part in others' days (its answers, actions, reports and approvals). A local
action's contact is personal data: exported only when the admin includes e-mail addresses."""

from django.db.models import Q

from internationale.core.owned import Owned, Personal, declare_owned

CALLER = "day__organization"
PUBLIC_DAY = Q(day__visibility="public")

declare_owned(
    Owned(
        model="actions.DayOfAction",
        key="actions.day",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
    )
)
for model, key, owners in (
    ("actions.CoCaller", "actions.co_caller", (CALLER, "organization")),
    ("actions.Called", "actions.called", (CALLER,)),
    ("actions.Answer", "actions.answer", (CALLER, "organization")),
    ("actions.ReportApproval", "actions.report_approval", (CALLER, "organization")),
):
    declare_owned(Owned(model=model, key=key, owners=owners, confidential=True, keep_if=PUBLIC_DAY))
declare_owned(
    Owned(
        model="actions.LocalAction",
        key="actions.local_action",
        owners=("organization", CALLER),
        personal={"contact": Personal.EMAIL},
        confidential=True,
        keep_if=PUBLIC_DAY,
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
        confidential=True,
        keep_if=Q(report__action__day__visibility="public"),
    )
)
