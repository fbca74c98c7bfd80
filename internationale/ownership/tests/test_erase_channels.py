"""The emergency erase, end to end, for what the Metalworkers hold beyond appeals and the library:
a meeting for its participants only (its agenda, an agenda document's file, its minutes, its
agreement and a task with its evidence), a statement being drafted with the Korean dockworkers,
and a day of action for the network on which the dockworkers reported. After the erase, nothing
of them can be read back: their pages, the API, the meeting's, the day's and the dockworkers'
calendars (iCal), the statements' and the day's reports' feeds (Atom), the files, and every text
column of the database."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.agenda import agenda_document_add, agenda_item_add
from internationale.cooperation.agreements import agreement_create, task_complete, task_create
from internationale.cooperation.feeds import calendar_feed_renew, feed_token
from internationale.cooperation.minutes import minutes_record
from internationale.cooperation.models import Invitation, Meeting
from internationale.cooperation.services import meeting_create
from internationale.statements.services import statement_create

from .test_erase import _erase, _nothing_secret_in_the_database, _text

pytestmark = pytest.mark.django_db

MEETING = "Juniper talks on the Embraer layoffs"
AGENDA = "Kestrel list of the stewards to protect"
AGENDA_FILE = b"Kestrel: the stewards' home addresses.\n"
MINUTES = "Lobelia agreed to hide the strike fund"
AGREEMENT = "Marigold pact between the two unions"
TASK = "Nutmeg route for the convoy"
EVIDENCE = "Ocelot safe house reached"
STATEMENT = "Pimento declaration against the raids"
DAY = "Quokka day at the Embraer plants"
REPORT = "Rhubarb picket held the north gate"
SECRETS = (MEETING, AGENDA, "Kestrel", MINUTES, AGREEMENT, TASK, EVIDENCE, STATEMENT, DAY, REPORT)


def _nothing_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def held(owner_org, other_org, sam, kim, kai):  # type: ignore[no-untyped-def]
    """The Metalworkers' meeting with the dockworkers, for its participants only, held three days
    ago: its agenda (with a file), minutes, agreement and a task of the dockworkers, done."""
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title=MEETING,
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="UTC",
    )
    assert meeting.visibility != "public"
    Invitation.objects.create(
        meeting=meeting, organization=other_org, status=Invitation.Status.ACCEPTED
    )
    item = agenda_item_add(actor=sam, meeting=meeting, title=AGENDA)
    document = agenda_document_add(
        actor=sam,
        item=item,
        title="Stewards",
        file=SimpleUploadedFile("stewards.txt", AGENDA_FILE, "text/plain"),
    )
    past = timezone.now() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=past, end_at=past + datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    item.meeting = meeting
    minutes_record(actor=sam, item=item, text=MINUTES)
    agreement = agreement_create(
        actor=sam,
        meeting=meeting,
        title=AGREEMENT,
        text="Both unions keep it to themselves.",
        parties=[owner_org, other_org],
        adopted_on=past.date(),
    )
    task = task_create(
        actor=sam,
        agreement=agreement,
        title=TASK,
        organization=other_org,
        deadline=timezone.now().date() + datetime.timedelta(days=20),
    )
    task = task_complete(
        actor=kim,
        task=task,
        evidence_text=EVIDENCE,
        evidence_file=SimpleUploadedFile("route.txt", b"The route.\n", "text/plain"),
    )
    task.refresh_from_db()
    return {
        "meeting": meeting,
        "agreement": agreement,
        "task": task,
        "files": [document.file.name, task.evidence_file.name],
        # The dockworkers' calendar, which lists the meetings they take part in.
        "their_calendar": f"/calendars/{feed_token(calendar_feed_renew(actor=kai, organization=other_org))}.ics",
    }


@pytest.fixture
def drafting(owner_org, other_org, sam):  # type: ignore[no-untyped-def]
    """A statement of the Metalworkers being drafted with the dockworkers."""
    now = timezone.now()
    return statement_create(
        actor=sam,
        organization=owner_org,
        title=STATEMENT,
        language="en",
        paragraphs=["We stand together against the raids on our offices."],
        amendments_until=now + datetime.timedelta(days=7),
        positions_until=now + datetime.timedelta(days=14),
        criteria=Criteria(add=[other_org.pk]),
    )


@pytest.fixture
def reported(owner_org, other_org, sam, kim):  # type: ignore[no-untyped-def]
    """The Metalworkers' day of action for the network, on which the dockworkers reported."""
    from internationale.actions.reports import report_submit
    from internationale.actions.tests.reports_world import called_day, registered, started

    day = called_day(sam, owner_org, other_org, title=DAY)
    assert day.visibility != "public"
    action = started(registered(kim, day, other_org))
    report_submit(actor=kim, action=action, text=REPORT, outcome="held", participants=40)
    return day


def test_after_an_erase_nothing_of_its_meetings_statements_and_days_can_be_read_back(
    held,
    drafting,
    reported,
    owner_org,
    ana,
    ada,
    kim,
    oscar,
    client_for,
    django_capture_on_commit_callbacks,
):
    meeting, agreement, task = held["meeting"], held["agreement"], held["task"]
    pages: dict[str, str | None] = {
        f"/meetings/{meeting.pk}/": MEETING,
        f"/meetings/{meeting.pk}/calendar.ics": MEETING,
        f"/meetings/agreements/{agreement.pk}/": AGREEMENT,
        f"/meetings/tasks/{task.pk}/": EVIDENCE,
        f"/api/v1/meetings/{meeting.pk}": MEETING,
        f"/api/v1/tasks/{task.pk}": TASK,
        f"/statements/{drafting.pk}/": STATEMENT,
        held["their_calendar"]: MEETING,
        f"/days/{reported.pk}/": DAY,
        f"/days/{reported.pk}/calendar.ics": DAY,
        f"/days/{reported.pk}/report/": DAY,
        # The reports' feed is a public day's: checked after only.
        f"/days/{reported.pk}/reports.atom": None,
        f"/api/v1/days/{reported.pk}": DAY,
        f"/api/v1/days/{reported.pk}/reports": REPORT,
    }
    # Before: the dockworkers read it all (else the checks below would prove nothing).
    reader = client_for(kim)
    for path, secret in pages.items():
        if secret is not None:
            assert secret in _text(reader.get(path)), path
    for name in held["files"]:
        assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):  # files are removed on commit
        _erase(owner_org, ana, ada)

    for person in (kim, oscar, None):
        client = client_for(person)
        for path in pages:
            _nothing_secret(_text(client.get(path)))
        for path in (
            "/meetings/",
            "/api/v1/meetings",
            "/statements/",
            "/api/v1/statements",
            "/statements/feed/",
            "/days/",
            "/api/v1/days",
            f"/meetings/tasks/{task.pk}/evidence/",
        ):
            _nothing_secret(_text(client.get(path)))
    assert client_for(kim).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client_for(kim).get(f"/statements/{drafting.pk}/").status_code == 404
    assert client_for(kim).get(f"/meetings/tasks/{task.pk}/evidence/").status_code == 404
    for name in held["files"]:
        assert not default_storage.exists(name), name
    _nothing_secret_in_the_database(SECRETS)
