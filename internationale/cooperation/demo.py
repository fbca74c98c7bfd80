"""The demo's meetings: the world meeting of the unions at Meridian Freight, a yearly series whose
first edition was held and whose second is prepared, with a bilateral meeting and a delegation
visit before it.

Planned, invited and answered through the services, as on the site. The invitations are put in
the inboxes here without e-mailing anyone (the background delivery then finds nothing new). A
meeting already held is planned ahead, answered, then moved to its past date: the services
refuse to plan a meeting in the past, and rightly.
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.notifications.demo import quietly
from internationale.organizations.demo import speaker
from internationale.organizations.models import Membership

from .agenda import agenda_item_add
from .agreements import agreement_create, task_complete, task_create, task_set_status
from .minutes import minutes_approve, minutes_record, minutes_submit
from .models import Invitation, Meeting
from .series import series_create, series_next_edition
from .services import invitation_accept, invitation_decline, meeting_create, meeting_invite

# The demo meetings by their titles, which tell them from meetings people plan themselves.
MEETING_TITLES: dict[str, str] = {
    "world_last": "World meeting of the unions at Meridian Freight, 2026",
    "world_next": "World meeting of the unions at Meridian Freight, 2027",
    "lagos_busan": "Lagos and Busan: one employer, two ports",
    "santos_tangier": "Santos and Tangier: the new warehouse contracts",
    "visit_santos": "Delegation of GTL to the Santos distribution centre",
}
SERIES_TITLE = "World meeting of the unions at Meridian Freight"
# The first edition's agenda: (title, rapporteur, minutes); an item without minutes was not
# reached. The second edition starts from the same items.
WORLD_AGENDA = (
    (
        "Reports from the ports and warehouses",
        "klwu",
        "Busan: the new crane shifts start in March. Lagos: 40 casual workers made permanent.",
    ),
    (
        "A common demand on casual contracts",
        "ndpwu",
        "Agreed: every union raises the end of casual contracts at its next bargaining round.",
    ),
    ("Health and safety in automated terminals", "gtl", ""),
)
# The organizations whose speakers plan or answer the demo meetings.
MEETING_ORGANIZATIONS = ("sintlog", "ndpwu", "klwu", "gtl", "fmtl", "sea")


def _at(days: int, hour: int) -> datetime.datetime:
    """A local time (naive) so many days from today, at the hour given."""
    day = timezone.now().date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour))


def _agree(meeting: Meeting, orgs: dict[str, Any], people: dict[str, Any]) -> None:
    """The agreement of the first world meeting, its tasks in every state: one done with
    evidence, one in progress, one open and overdue, one open, one dropped with its reason."""
    host = speaker("sintlog", people)
    adopted = meeting.start_at.date()
    agreement = agreement_create(
        actor=host,
        meeting=meeting,
        title="A common demand on casual contracts",
        text=(
            "Every union raises the end of casual contracts at Meridian Freight at its next "
            "bargaining round, and reports to the next world meeting."
        ),
        parties=[orgs[s].pk for s in ("sintlog", "ndpwu", "klwu", "gtl", "fmtl")],
        adopted_on=adopted,
    )

    def task(slug: str, title: str, days_after: int) -> Any:
        return task_create(
            actor=host,
            agreement=agreement,
            title=title,
            organization=orgs[slug],
            deadline=adopted + datetime.timedelta(days=days_after),
        )

    done = task("ndpwu", "Raise casual contracts at the Apapa bargaining round", 90)
    task_complete(
        actor=speaker("ndpwu", people),
        task=done,
        evidence_text="40 casual dockworkers made permanent; the agreement is signed.",
    )
    going = task("klwu", "Survey casual work at the Busan terminal", 400)
    task_set_status(
        actor=speaker("klwu", people),
        task=going,
        status="in_progress",
        note="Half of the terminal's shifts surveyed.",
    )
    task("gtl", "Translate the common demand into German", 60)  # overdue
    task("sintlog", "Prepare the report to the next world meeting", 390)
    dropped = task("fmtl", "Raise casual contracts at Tangier Med", 200)
    task_set_status(
        actor=speaker("fmtl", people),
        task=dropped,
        status="dropped",
        reason="Meridian sold its Tangier warehouse; the new owner has no casual contracts.",
    )


def create_meetings(orgs: dict[str, Any], people: dict[str, Any]) -> dict[str, Meeting]:
    """The demo meetings, answered; returns them by their key in MEETING_TITLES."""

    def plan(
        key: str, host: str, days: int, hours: tuple[int, int], zone: str, **fields: Any
    ) -> Any:
        return meeting_create(
            actor=speaker(host, people),
            organization=orgs[host],
            title=MEETING_TITLES[key],
            start=_at(days, hours[0]),
            end=_at(days, hours[1]),
            time_zone=zone,
            **fields,
        )

    def invite(meeting: Meeting, *slugs: str) -> None:
        meeting_invite(
            actor=speaker(meeting.organization.slug, people),
            meeting=meeting,
            criteria=Criteria(add=[orgs[s].pk for s in slugs]),
        )
        deliver(meeting)

    def deliver(meeting: Meeting) -> None:
        invitations = Invitation.objects.filter(meeting=meeting, delivered_at__isnull=True)
        quietly(
            kind="meeting.invited",
            source=meeting,
            organizations=list(invitations.values_list("organization_id", flat=True)),
            params={
                "host": meeting.organization.name,
                "kind": meeting.kind,
                "title": meeting.title,
            },
            sender=meeting.organization_id,
            summary=meeting.description[:280],
        )
        invitations.update(delivered_at=timezone.now())

    def accept(meeting: Meeting, slug: str, note: str = "") -> None:
        delegate = Membership.objects.get(organization=orgs[slug], user=speaker(slug, people))
        invitation_accept(
            actor=speaker(slug, people),
            meeting=meeting,
            organization=orgs[slug],
            delegates=[delegate.pk],
            note=note,
        )

    def decline(meeting: Meeting, slug: str, note: str) -> None:
        invitation_decline(
            actor=speaker(slug, people), meeting=meeting, organization=orgs[slug], note=note
        )

    def held(meeting: Meeting, planned_in: int, days_ago: int) -> None:
        """Move a meeting planned `planned_in` days ahead to `days_ago`, as if it had been held."""
        shift = datetime.timedelta(days=planned_in + days_ago)
        Meeting.objects.filter(pk=meeting.pk).update(
            start_at=meeting.start_at - shift, end_at=meeting.end_at - shift
        )
        meeting.refresh_from_db()

    meetings: dict[str, Meeting] = {}
    items: list[tuple[Any, str]] = []
    world = {
        "kind": "multilateral",
        "place": "Santos, Sindicato dos Trabalhadores em Logística",
        "languages": ["pt-BR", "en", "es", "fr"],
        "description": (
            "The unions at Meridian Freight's ports and warehouses meet once a year to compare "
            "contracts, prepare joint demands and plan common action."
        ),
    }
    last = plan("world_last", "sintlog", 3, (9, 17), "America/Sao_Paulo", **world)
    invite(last, "ndpwu", "klwu", "gtl", "fmtl", "sea")
    for slug in ("ndpwu", "klwu", "gtl", "fmtl"):
        accept(last, slug)
    decline(last, "sea", "Our congress falls that week; we send our report in writing.")
    for title, rapporteur, minutes in WORLD_AGENDA:
        item = agenda_item_add(
            actor=speaker("sintlog", people),
            meeting=last,
            title=title,
            rapporteur=orgs[rapporteur] if rapporteur else None,
        )
        items.append((item, minutes))
    held(last, 3, 330)
    # Its minutes, recorded by the host, approved by every union that came: frozen.
    for item, text in items:
        if text:
            minutes_record(actor=speaker("sintlog", people), item=item, text=text)
    minutes_submit(
        actor=speaker("sintlog", people),
        meeting=last,
        deadline=timezone.now() + datetime.timedelta(days=14),
    )
    for slug in ("ndpwu", "klwu", "gtl", "fmtl"):
        minutes_approve(actor=speaker(slug, people), meeting=last, organization=orgs[slug])
    _agree(last, orgs, people)
    meetings["world_last"] = last

    # Its series: the next edition is prepared from it, and those who took part are invited.
    series = series_create(
        actor=speaker("sintlog", people), meeting=last, title=SERIES_TITLE, period="yearly"
    )
    meetings["world_next"] = nxt = series_next_edition(
        actor=speaker("sintlog", people),
        series=series,
        title=MEETING_TITLES["world_next"],
        start=_at(75, 9),
        end=_at(75, 17),
    )
    deliver(nxt)
    accept(nxt, "ndpwu")
    accept(nxt, "klwu", "Two delegates from Busan; one speaks Portuguese.")

    # Prepared bilaterally before the next edition: Lagos and Busan online, at an hour that is
    # daytime in both (09:00 in Lagos is 17:00 in Busan).
    meetings["lagos_busan"] = bilateral = plan(
        "lagos_busan",
        "ndpwu",
        30,
        (9, 11),
        "Africa/Lagos",
        kind="bilateral",
        online_link="https://meet.example.org/lagos-busan",
        languages=["en", "ko"],
        description="Crane automation and the new shift pattern at both terminals.",
    )
    invite(bilateral, "klwu")
    accept(bilateral, "klwu")

    meetings["santos_tangier"] = santos_tangier = plan(
        "santos_tangier",
        "fmtl",
        3,
        (14, 16),
        "Africa/Casablanca",
        kind="bilateral",
        online_link="https://meet.example.org/santos-tangier",
        languages=["fr", "pt-BR"],
    )
    invite(santos_tangier, "sintlog")
    accept(santos_tangier, "sintlog")
    held(santos_tangier, 3, 120)

    # A delegation visit the German union has not answered yet.
    meetings["visit_santos"] = visit = plan(
        "visit_santos",
        "sintlog",
        45,
        (10, 16),
        "America/Sao_Paulo",
        kind="delegation",
        sender=orgs["gtl"],
        receiver=orgs["sintlog"],
        place="Santos distribution centre",
        languages=["pt-BR", "de", "en"],
    )
    deliver(visit)
    return meetings
