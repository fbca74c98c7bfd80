"""A meeting as iCalendar, read back with the `icalendar` library, as a calendar program would:
its time zone, a UID that stays, and a SEQUENCE that each change raises. And changing a meeting,
on its page and through the API."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.models import Meeting
from internationale.cooperation.services import meeting_create, meeting_edit, meeting_invite
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def local(days: int = 30, hour: int = 10) -> datetime.datetime:
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


@pytest.fixture
def meeting(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        description="Coordinating our answer.",
        start=local(),
        end=local(hour=13),
        time_zone="America/Sao_Paulo",
        place="Rua do Carmo 12, São Paulo",
    )
    meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    return meeting


def read(client, meeting) -> icalendar.Calendar:  # type: ignore[no-untyped-def]
    response = client.get(f"/meetings/{meeting.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_holds_the_meeting_in_its_own_time_zone(client_for, kim, meeting):
    calendar = read(client_for(kim), meeting)
    [event] = calendar.events
    assert event["summary"] == "Plant closures"
    assert event["location"] == "Rua do Carmo 12, São Paulo"
    start = event.decoded("dtstart")
    assert start == local().replace(tzinfo=SAO_PAULO)
    assert event["dtstart"].params["TZID"] == "America/Sao_Paulo"
    assert [zone["tzid"] for zone in calendar.walk("VTIMEZONE")] == ["America/Sao_Paulo"]
    assert event["class"] == "CONFIDENTIAL"  # for its participants only
    assert int(event["sequence"]) == 0


def test_a_change_keeps_the_uid_and_raises_the_sequence(
    client_for, sam, kim, other_org, meeting, work_off, django_capture_on_commit_callbacks
):
    client = client_for(kim)
    before = read(client, meeting).events[0]
    form = {
        "title": "Plant closures",
        "description": "Coordinating our answer.",
        "start": local(hour=14).strftime("%Y-%m-%dT%H:%M"),
        "end": local(hour=17).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "place": "Rua do Carmo 12, São Paulo",
        "visibility": "addressed",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(f"/meetings/{meeting.pk}/edit/", form)
    assert response.status_code == 302
    work_off()
    entry = InboxEntry.objects.get(organization=other_org, kind="meeting.changed")
    assert entry.title == "Changed: Plant closures"
    after = read(client, meeting).events[0]
    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart") == local(hour=14).replace(tzinfo=SAO_PAULO)
    # The form sent again unchanged changes nothing: the sequence stays.
    client_for(sam).post(f"/meetings/{meeting.pk}/edit/", form)
    assert int(read(client, meeting).events[0]["sequence"]) == int(after["sequence"])
    assert AuditEntry.objects.filter(action="meeting.change").count() == 1


def test_the_calendar_of_a_meeting_one_may_not_see_is_not_found(client_for, nell, meeting):
    assert client_for(nell).get(f"/meetings/{meeting.pk}/calendar.ics").status_code == 404
    assert client_for(None).get(f"/meetings/{meeting.pk}/calendar.ics").status_code == 404


def test_a_public_meeting_is_in_a_public_calendar(client_for, sam, meeting):
    meeting_edit(actor=sam, meeting=meeting, visibility="public")
    event = read(client_for(None), meeting).events[0]
    assert event["class"] == "PUBLIC"


def test_changing_through_the_api_checks_the_times_as_planning_does(client_for, sam, meeting):
    client = client_for(sam)

    def patch(data):  # type: ignore[no-untyped-def]
        return client.patch(
            f"/api/v1/meetings/{meeting.pk}", data=json.dumps(data), content_type="application/json"
        )

    refused = patch({"end": local(hour=9).isoformat()})
    assert refused.status_code == 400 and "end" in refused.json()["errors"]
    refused = patch({"time_zone": "Moon/Tranquility"})
    assert refused.status_code == 400 and "time_zone" in refused.json()["errors"]
    refused = patch({"start": local(-3).isoformat(), "end": local(-3, 12).isoformat()})
    assert refused.status_code == 400 and "start" in refused.json()["errors"]
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.end_at == local(hour=13).replace(tzinfo=SAO_PAULO)
    changed = patch({"time_zone": "Asia/Seoul"})
    assert changed.status_code == 200
    answer = changed.json()
    # The same clock times, now in Seoul: an instant twelve hours earlier.
    assert answer["start_local"].startswith(local().isoformat()) and answer["sequence"] == 1
    assert Meeting.objects.get().start_at == local().replace(tzinfo=zoneinfo.ZoneInfo("Asia/Seoul"))


def test_only_the_hosts_speakers_change_a_meeting(client_for, mo, kim, meeting):
    for person in (mo, kim):
        assert client_for(person).get(f"/meetings/{meeting.pk}/edit/").status_code == 403
        response = client_for(person).patch(
            f"/api/v1/meetings/{meeting.pk}",
            data=json.dumps({"title": "Ours now"}),
            content_type="application/json",
        )
        assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "Plant closures" and meeting.sequence == 0
