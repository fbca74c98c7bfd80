"""Reads on agreements and tasks, each filtered by the viewer through their meeting's audience,
and accountability: for an organization, its commitments to others (the tasks it is responsible
for) and others' commitments to it (the tasks of the other parties of its agreements), the share
of them done per agreement and per partner, what is overdue; and its CSV export.

The share done counts the tasks done among those not dropped: a dropped task was let go, with a
reason, by its organization. A task is overdue when it is still open or in progress after its
deadline (days in UTC).
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ViewerLike, as_actor
from internationale.core.sliced import Sliced
from internationale.core.visibility import Access, Viewer, access, mask
from internationale.organizations.models import Organization

from .models import Agreement, AgreementParty, Meeting, Task, TaskNote


def today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


@dataclass
class Share:
    """How many tasks, done, dropped, and overdue; the share done among those not dropped."""

    total: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0

    @property
    def counted(self) -> int:
        return self.total - self.dropped

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.counted) if self.counted else None


def _counts(prefix: str = "", day: datetime.date | None = None) -> dict[str, Count]:
    day = day or today()
    return {
        "n_total": Count(f"{prefix}pk", distinct=True),
        "n_done": Count(
            f"{prefix}pk", filter=Q(**{f"{prefix}status": Task.Status.DONE}), distinct=True
        ),
        "n_dropped": Count(
            f"{prefix}pk", filter=Q(**{f"{prefix}status": Task.Status.DROPPED}), distinct=True
        ),
        "n_overdue": Count(
            f"{prefix}pk",
            filter=Q(**{f"{prefix}status__in": Task.PENDING, f"{prefix}deadline__lt": day}),
            distinct=True,
        ),
    }


def share_from(row: object) -> Share:
    values = row if isinstance(row, dict) else row.__dict__
    return Share(
        total=values["n_total"],
        done=values["n_done"],
        dropped=values["n_dropped"],
        overdue=values["n_overdue"],
    )


def share_of(tasks: QuerySet[Task]) -> Share:
    return share_from(tasks.aggregate(**_counts()))


def share_of_tasks(tasks: list[Task], day: datetime.date | None = None) -> Share:
    """The same, of tasks already read: no query."""
    day = day or today()
    return Share(
        total=len(tasks),
        done=sum(t.status == Task.Status.DONE for t in tasks),
        dropped=sum(t.status == Task.Status.DROPPED for t in tasks),
        overdue=sum(t.is_pending and t.deadline < day for t in tasks),
    )


# Agreements and tasks ----------------------------------------------------------------------------


def agreement_list(meeting_access: Access[Meeting]) -> QuerySet[Agreement]:
    """The agreements of a meeting the viewer sees (`meeting_access`: cooperation/selectors.py),
    with their parties."""
    return (
        Agreement.objects.filter(meeting=meeting_access.obj)
        .prefetch_related("parties")
        .annotate(**_counts("tasks__"))
        .order_by("-adopted_on", "-pk")
    )


def agreement_access(*, viewer: ViewerLike, pk: int) -> Access[Agreement]:
    return access(Agreement.objects.select_related("meeting__organization"), viewer, pk=pk)


def agreement_get(*, viewer: ViewerLike, pk: int) -> Agreement:
    return agreement_access(viewer=viewer, pk=pk).obj


def task_list(agreement: Agreement) -> QuerySet[Task]:
    """The agreement's tasks, to count them; to show them, through `tasks_shown`."""
    return Task.objects.filter(agreement=agreement).select_related("organization")


def tasks_shown(viewer: "ViewerLike | Viewer", tasks: QuerySet[Task]) -> Sliced[Task]:
    """The tasks as the viewer may read them, a slice at a time: their evidence blank (and
    `is_masked(task, "evidence")`) unless the viewer is of the responsible organization or of
    the meeting's host (Task.EVIDENCE). Every list of tasks handed out goes through this."""
    who = viewer if isinstance(viewer, Viewer) else Viewer(viewer)
    return Sliced(
        tasks.select_related("organization", "agreement__meeting"),
        lambda items: mask(items, who),
    )


def task_get(*, viewer: ViewerLike, pk: int) -> Task:
    """The task, if the viewer sees its meeting; 404 for missing and not visible alike. Its
    evidence is blank unless the viewer may read it (see `tasks_shown`)."""
    found = access(
        Task.objects.select_related("agreement__meeting__organization", "organization"),
        viewer,
        pk=pk,
    )
    return mask([found.obj], found.who)[0]


def note_list(*, viewer: ViewerLike, task: Task) -> QuerySet[TaskNote]:
    """The task's progress notes, for the people of its responsible organization and of the
    host only (TaskNote.audience); none for anyone else."""
    return TaskNote.objects.visible_to(viewer).filter(task=task).select_related("author")


def parties_of(agreement: Agreement) -> list[Organization]:
    ids = AgreementParty.objects.filter(agreement=agreement).values("organization_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


# Accountability ----------------------------------------------------------------------------------


def commitments_organization(*, viewer: ViewerLike, slug: str) -> Organization:
    """The organization whose commitments the viewer reads: one of the viewer's own (any role);
    404 for others, as if it did not exist."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not as_actor(viewer).has_perm(
        "cooperation.view_commitments", organization
    ):
        raise Http404
    return organization


@dataclass
class PartnerShare:
    organization: Organization
    theirs: Share = field(default_factory=Share)  # what the partner committed to, to us
    ours: Share = field(default_factory=Share)  # what we committed to, in agreements with it


@dataclass
class Commitments:
    organization: Organization
    ours: QuerySet[Task]
    theirs: QuerySet[Task]
    overdue: QuerySet[Task]
    agreements: QuerySet[Agreement]
    partners: list[PartnerShare]
    total_ours: Share
    total_theirs: Share


def _party_of(organization: Organization) -> Any:
    """The ids of the agreements the organization is a party of, as a subquery."""
    return AgreementParty.objects.filter(organization=organization).values("agreement_id")


def _task_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("organization", "agreement__meeting").order_by("deadline", "pk")


def commitments(
    *, viewer: ViewerLike, organization: Organization, day: datetime.date | None = None
) -> Commitments:
    """What the organization committed to and what others committed to it, as the viewer (one of
    its people) sees them. A fixed number of queries, whatever the number of tasks."""
    day = day or today()
    mine = _party_of(organization)
    visible = Task.objects.visible_to(viewer).filter(agreement__in=mine)
    ours = visible.filter(organization=organization)
    theirs = visible.exclude(organization=organization)
    overdue = visible.filter(status__in=Task.PENDING, deadline__lt=day)
    agreements = (
        Agreement.objects.visible_to(viewer)
        .filter(pk__in=mine)
        .select_related("meeting")
        .annotate(**_counts("tasks__", day))
        .order_by("-adopted_on", "-pk")
    )
    # Per partner: its tasks in our agreements, and ours in the agreements it is a party of.
    partners: dict[int, PartnerShare] = {}
    names = {
        o.pk: o
        for o in Organization.objects.filter(
            pk__in=AgreementParty.objects.filter(agreement__in=mine)
            .exclude(organization=organization)
            .values("organization_id")
        )
    }
    for row in theirs.values("organization_id").annotate(**_counts("", day)):
        partner = names.get(row["organization_id"])
        if partner is not None:
            partners.setdefault(partner.pk, PartnerShare(partner)).theirs = share_from(row)
    with_partner = (
        AgreementParty.objects.filter(
            agreement__in=mine, agreement__tasks__organization=organization
        )
        .exclude(organization=organization)
        .values("organization_id")
        .annotate(**_counts("agreement__tasks__", day))
    )
    for row in with_partner:
        partner = names.get(row["organization_id"])
        if partner is not None:
            partners.setdefault(partner.pk, PartnerShare(partner)).ours = share_from(row)
    return Commitments(
        organization=organization,
        ours=_task_rows(ours),
        theirs=_task_rows(theirs),
        overdue=_task_rows(overdue),
        agreements=agreements,
        partners=sorted(partners.values(), key=lambda p: p.organization.name),
        total_ours=share_of(ours),
        total_theirs=share_of(theirs),
    )


# The CSV export ----------------------------------------------------------------------------------

# A cell a spreadsheet would read as a formula is written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def commitments_csv(found: Commitments, day: datetime.date | None = None) -> str:
    """Every task of both lists, one row each, with what a spreadsheet needs to count them."""
    day = day or today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("direction"),
            _("responsible organization"),
            _("task"),
            _("deadline"),
            _("status"),
            _("overdue"),
            _("closed on"),
            _("agreement"),
            _("adopted on"),
            _("meeting"),
        ]
    )

    def rows(tasks: Iterable[Task], direction: str) -> None:
        for item in tasks:
            late = item.is_pending and item.deadline < day
            writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        direction,
                        item.organization.name,
                        item.title,
                        item.deadline.isoformat(),
                        item.get_status_display(),
                        _("yes") if late else _("no"),
                        item.closed_at.date().isoformat() if item.closed_at else "",
                        item.agreement.title,
                        item.agreement.adopted_on.isoformat(),
                        item.agreement.meeting.title,
                    )
                ]
            )

    rows(found.ours.select_related("agreement__meeting").iterator(), _("ours to others"))
    rows(found.theirs.select_related("agreement__meeting").iterator(), _("others' to us"))
    return out.getvalue()
