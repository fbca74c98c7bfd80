"""The demo's days of action: the unions at Meridian Freight's ports call an international day of
action six weeks ahead, for permanent contracts in every port. Santos calls it, Hamburg calls it
with them; the port unions of four continents are called, answer (most will act, one cannot, one
passes the call on) and register their actions, from Sydney's morning to California's afternoon:
the day's page follows them around the world.

Called, answered and registered through the services, as on the site. The calls are put in the
inboxes here without e-mailing anyone (the background delivery then finds nothing new), as the
statements' invitations are.
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.notifications.demo import quietly
from internationale.organizations.demo import ORGANIZATIONS, speaker

from . import local, services
from .models import Called, DayOfAction

# The demo days by their titles, which tell them from days people call themselves.
DAY_TITLES: dict[str, str] = {
    "upcoming": "International day of action at Meridian Freight: permanent contracts in every port",
}
CALL_TEXT = (
    "On this day the unions at every port and warehouse of **Meridian Freight** act together.\n\n"
    "Casual workers do the same work as permanent ones, for less pay and no protection. "
    "Meridian Freight refuses to talk at group level: we answer at every site, on the same day."
)
DEMANDS = (
    "Permanent contracts for every worker at Meridian Freight's ports and warehouses.\n"
    "Talks at group level with the unions of every site within six months."
)
CALLED = [
    *("ndpwu", "fmtl", "fenatral", "iwwu", "klwu", "sbpi", "yptwu", "sea", "zzpm", "wwua"),
    *("cst", "wisc"),
]
# (organization, kind, local start hour, hours, expected participants, description)
ACTIONS: list[tuple[str, str, int, int, int, str]] = [
    ("wwua", "rally", 7, 2, 400, "Rally at the gates of Port Botany before the morning shift."),
    ("yptwu", "stoppage", 10, 1, 250, "One-hour stoppage at the Honmoku terminal."),
    ("klwu", "rally", 10, 2, 600, "Rally at the Busan New Port terminal gate."),
    ("sbpi", "picket", 8, 3, 150, "Picket at the Tanjung Priok warehouse."),
    ("ndpwu", "strike", 6, 12, 2000, "Twelve-hour strike at Apapa."),
    ("fmtl", "rally", 11, 2, 300, "Rally at the Casablanca port entrance."),
    ("gtl", "delegation", 11, 1, 20, "Delegation to the Brazilian consulate in Hamburg."),
    ("sea", "picket", 9, 3, 120, "Picket at the Algeciras container terminal."),
    ("zzpm", "message", 12, 1, 40, "Solidarity message read at the Poznań warehouse canteen."),
    ("sintlog", "strike", 6, 12, 3000, "Strike at the Santos terminal, every shift."),
    ("fenatral", "rally", 17, 2, 800, "Rally on Avenida Paulista."),
    (
        "iwwu",
        "online",
        15,
        2,
        500,
        "Online assembly of the warehouse workers of the Inland Empire.",
    ),
]
AHEAD = datetime.timedelta(days=42)


def create_days(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    """The upcoming day, called and answered, with actions across many time zones."""
    date = (timezone.now() + AHEAD).date()
    day = services.day_create(
        actor=speaker("sintlog", people),
        organization=orgs["sintlog"],
        title=DAY_TITLES["upcoming"],
        text=CALL_TEXT,
        demands=DEMANDS,
        language="en",
        date=date,
        suggested_kinds=["strike", "stoppage", "rally", "picket", "delegation", "message"],
        called_visibility="network",
        cocallers=[orgs["gtl"]],
    )
    services.cocall_answer(
        actor=speaker("gtl", people), day=day, organization=orgs["gtl"], accept=True
    )
    services.day_call(
        actor=speaker("sintlog", people),
        day=day,
        criteria=Criteria(add=[orgs[slug].pk for slug in CALLED]),
    )
    called = Called.objects.filter(day=day, delivered_at__isnull=True)
    quietly(
        kind="day.called",
        source=day,
        organizations=list(called.values_list("organization_id", flat=True)),
        params={"caller": day.organization.name, "title": day.title, "date": date.isoformat()},
        sender=day.organization_id,
    )
    called.update(delivered_at=timezone.now())
    day.refresh_from_db()
    _answer(day, orgs, people)
    _act(day, orgs, people)


def _answer(day: DayOfAction, orgs: dict[str, Any], people: dict[str, Any]) -> None:
    acting = {slug for slug, *_rest in ACTIONS}
    for slug in CALLED:
        if slug in acting:
            services.day_answer(
                actor=speaker(slug, people), day=day, organization=orgs[slug], kind="will_act"
            )
    services.day_answer(
        actor=speaker("cst", people),
        day=day,
        organization=orgs["cst"],
        kind="cannot_act",
        reason="Our members in the warehouses are bound by a no-strike clause until March.",
    )
    services.day_answer(
        actor=speaker("wisc", people),
        day=day,
        organization=orgs["wisc"],
        kind="passed_on",
        passed_to=[orgs["nsf"]],
    )


def _act(day: DayOfAction, orgs: dict[str, Any], people: dict[str, Any]) -> None:
    specs = {o.slug: o for o in ORGANIZATIONS}
    for slug, kind, hour, hours, participants, description in ACTIONS:
        spec = specs[slug]
        start = datetime.datetime.combine(day.date, datetime.time(hour))
        local.local_action_register(
            actor=speaker(slug, people),
            day=day,
            organization=orgs[slug],
            kind=kind,
            city=spec.city,
            country=spec.country,
            time_zone=spec.time_zone,
            start=start,
            end=start + datetime.timedelta(hours=hours),
            expected_participants=participants,
            description=description,
            contact=f"{speaker(slug, people).name}, {speaker(slug, people).email}",
        )
