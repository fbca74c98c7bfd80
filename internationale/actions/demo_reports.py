"""The demo's past day of action, with its reports: the Nigerian dockworkers called it with the
Korean logistics workers five weeks ago, for the public; twenty organizations in twenty countries
acted, each reported back (some with a photo), and both callers approved the report, which is in
the library. Called by web/demo.py after the organizations, employers and the library exist:

    from internationale.actions import demo_reports
    demo_reports.create_past_day(orgs, people)

Everything is fixed but the date, which is five weeks before the demo is loaded, so the day is
always past. Photos are drawn here (plain coloured images), never fetched.
"""

import datetime
import io
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from internationale.addressing.routing import Criteria
from internationale.organizations.demo import ORGANIZATIONS, speaker

from . import reports, services
from .models import DayOfAction, LocalAction

PAST_DAY_TITLE = "A safe port is a union port: Meridian Freight, worldwide"

# (organization slug, kind, local start hour, participants reported, outcome, what happened)
PAST_ACTIONS: tuple[tuple[str, str, int, int | None, str, str], ...] = (
    ("wwua", "rally", 7, 420, "held", "A dawn rally at the Port Botany gate before the shift."),
    ("klwu", "stoppage", 9, 1200, "held", "Cranes at Busan New Port stood still for an hour."),
    ("yptwu", "stoppage", 9, 380, "held", "Honmoku pier stopped for thirty minutes."),
    ("sbpi", "rally", 10, 900, "held", "Dockers marched to the Tanjung Priok terminal office."),
    ("tngwf", "message", 11, None, "held", "A solidarity message read at every shift meeting."),
    ("ktgwu", "rally", 10, 150, "partly", "Police kept the rally away from the gate."),
    (
        "mawusa",
        "message",
        11,
        None,
        "held",
        "A message to the dockworkers of Apapa, signed by the executive.",
    ),
    ("ndpwu", "strike", 8, 3200, "held", "A 24-hour strike at the Apapa container terminal."),
    ("fmtl", "picket", 9, 260, "held", "A picket at the Casablanca logistics park."),
    ("zzpm", "picket", 10, 140, "held", "A picket at the Poznań hub's main gate."),
    ("gtl", "rally", 11, 800, "held", "A rally at Waltershof with the dockers of Hamburg."),
    ("sea", "stoppage", 12, 500, "held", "Algeciras transshipment stopped for an hour."),
    ("ftth", "delegation", 14, 30, "held", "A delegation to the Nigerian consulate in Paris."),
    ("nsf", "message", 10, None, "held", "A message from the Göteborg port workers."),
    ("wisc", "online", 13, 2000, "held", "An online meeting with the Apapa strikers."),
    ("sintlog", "rally", 8, 650, "held", "A rally at the Santos distribution centre."),
    ("sittba", "message", 10, None, "held", "A message from the Buenos Aires garment workers."),
    ("cst", "delegation", 11, 25, "prevented", "The consulate refused to receive the delegation."),
    ("fatm", "rally", 12, 300, "partly", "A short rally: the maquiladora locked its gates."),
    ("iwwu", "picket", 6, 220, "held", "A picket at the Inland Empire fulfilment centre."),
)
PHOTO_COLOURS = {"klwu": (20, 90, 160), "ndpwu": (200, 40, 40), "gtl": (30, 120, 60)}


def _photo(slug: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), PHOTO_COLOURS[slug])
    ImageDraw.Draw(image).rectangle((40, 260, 600, 360), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{slug}.jpg", buffer.getvalue(), "image/jpeg")


def create_past_day(orgs: dict[str, Any], people: dict[str, Any]) -> DayOfAction:
    """The past public day across twenty countries, reported and published. Returns it."""
    caller, cocaller = orgs["ndpwu"], orgs["klwu"]
    amara, jiwoo = speaker("ndpwu", people), speaker("klwu", people)
    ahead = timezone.now().date() + datetime.timedelta(days=30)
    day = services.day_create(
        actor=amara,
        organization=caller,
        title=PAST_DAY_TITLE,
        text=(
            "On one day, at every site of Meridian Freight, we act for the organizers dismissed "
            "at Apapa and for safety on every terminal: a safe port is a union port."
        ),
        demands="Reinstate the dismissed organizers of Apapa.\nA joint safety committee at every terminal.",
        language="en",
        date=ahead,
        suggested_kinds=["strike", "stoppage", "rally", "picket"],
        called_visibility="public",
        cocallers=[cocaller],
    )
    services.cocall_answer(actor=jiwoo, day=day, organization=cocaller, accept=True)
    acting = [slug for slug, *_rest in PAST_ACTIONS if slug not in ("ndpwu", "klwu")]
    services.day_call(actor=amara, day=day, criteria=Criteria(add=[orgs[s].pk for s in acting]))
    # The day moves back to five weeks ago: a day is called ahead, and this one is over.
    date = timezone.now().date() - datetime.timedelta(days=35)
    DayOfAction.objects.filter(pk=day.pk).update(date=date)
    day.refresh_from_db()
    places = {o.slug: o for o in ORGANIZATIONS}
    for slug, kind, hour, participants, outcome, text in PAST_ACTIONS:
        place = places[slug]
        zone = zoneinfo.ZoneInfo(place.time_zone)
        start = datetime.datetime.combine(date, datetime.time(hour), tzinfo=zone)
        end = start + datetime.timedelta(hours=2)
        action = LocalAction.objects.create(
            day=day,
            organization=orgs[slug],
            created_by=speaker(slug, people),
            kind=kind,
            city=place.city,
            country=place.country,
            time_zone=place.time_zone,
            start_at=start.astimezone(datetime.UTC),
            end_at=end.astimezone(datetime.UTC),
            local_start_date=start.date(),
            local_start_time=start.time(),
            local_end_date=end.date(),
            local_end_time=end.time(),
            expected_participants=participants,
            description=text,
            contact=f"{speaker(slug, people).name}, through the platform",
        )
        reports.report_submit(
            actor=speaker(slug, people),
            action=action,
            text=text,
            outcome=outcome,
            participants=participants,
            language="en",
            photos=[(_photo(slug), place.city)] if slug in PHOTO_COLOURS else [],
        )
    reports.report_approve(actor=jiwoo, day=day, organization=cocaller)
    reports.report_approve(actor=amara, day=day, organization=caller)
    day.refresh_from_db()
    return day
