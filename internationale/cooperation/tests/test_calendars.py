"""Calendars of meetings, as the people concerned meet them: cancelling a meeting, an
organization's calendar at a secret address, the invitation e-mailed with the event, and the
times of each participant with their night hours and other meetings. Calendars are read back with
the `icalendar` library, as a calendar program would.

The Metalworkers of São Paulo (Sam speaks for them, Mo is a member) host; the Korean Dockworkers
(Kim speaks for them, Kit is a member) are invited; Nell belongs to no organization."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.cancellation import meeting_cancel
from internationale.cooperation.models import CalendarFeed, Invitation, Meeting
from internationale.cooperation.services import (
    invitation_decline,
    meeting_create,
    meeting_edit,
    meeting_invite,
)
from internationale.cooperation.timing import country_time_zone, is_night, participant_times
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def local(days: int = 30, hour: int = 10) -> datetime.datetime:
    """A time on the clocks of São Paulo, `days` ahead."""
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def plan(sam, owner_org, **fields):  # type: ignore[no-untyped-def]
    values = {
        "kind": "bilateral",
        "title": "Plant closures",
        "start": local(),
        "end": local(hour=12),
        "time_zone": "America/Sao_Paulo",
        "place": "Rua do Carmo 12, São Paulo",
    }
    values.update(fields)
    return meeting_create(actor=sam, organization=owner_org, **values)


@pytest.fixture
def meeting(sam, owner_org, other_org, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    meeting = plan(sam, owner_org)
    with django_capture_on_commit_callbacks(execute=False):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    return meeting


def api(client, method, path, data=None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        f"/api/v1{path}", data=json.dumps(data or {}), content_type="application/json"
    )


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


# Cancelling --------------------------------------------------------------------------------------


def test_the_host_cancels_a_meeting_after_confirming_and_those_invited_are_told(
    client_for, sam, kim, other_org, meeting, work_off, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    confirm = client.get(f"/meetings/{meeting.pk}/cancel/")
    assert confirm.status_code == 200 and "Yes, cancel the meeting" in confirm.content.decode()
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/meetings/{meeting.pk}/cancel/", {"reason": "The plant was occupied."}
        )
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    work_off()
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None and meeting.sequence == 1
    assert meeting.cancel_reason == "The plant was occupied."
    assert AuditEntry.objects.filter(action="meeting.cancel").count() == 1
    entry = InboxEntry.objects.get(organization=other_org, kind="meeting.cancelled")
    assert entry.title == "Cancelled: Plant closures"
    # Still listed, as cancelled, and its page says so with the reason.
    page = client_for(kim).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "This meeting is cancelled." in page and "The plant was occupied." in page
    assert "Answer the invitation" not in page
    listed = client_for(kim).get("/meetings/").content.decode()
    assert "Plant closures" in listed and "cancelled" in listed
    # Its calendar keeps the UID, raises the SEQUENCE and says CANCELLED.
    [event] = parse(client_for(kim).get(f"/meetings/{meeting.pk}/calendar.ics").content).events
    assert event["status"] == "CANCELLED" and int(event["sequence"]) == 1
    assert "The plant was occupied." in event["description"]


def test_a_cancelled_meeting_cannot_be_changed_invited_to_answered_or_cancelled_again(
    client_for, sam, kim, meeting
):
    meeting_cancel(actor=sam, meeting=meeting)
    third = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    host = client_for(sam)
    for method, path, data in [
        ("patch", f"/meetings/{meeting.pk}", {"title": "Another"}),
        ("post", f"/meetings/{meeting.pk}/invitations", {"add": [third.slug]}),
        ("post", f"/meetings/{meeting.pk}/cancel", {}),
    ]:
        refused = api(host, method, path, data)
        assert refused.status_code == 400, path
        assert "cancelled" in refused.json()["detail"]
    refused = api(client_for(kim), "post", f"/meetings/{meeting.pk}/answer", {"answer": "decline"})
    assert refused.status_code == 400 and "cancelled" in refused.json()["detail"]
    # On the page: the form says why, and nothing changes.
    response = host.post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "title": "Another",
            "start": local().strftime("%Y-%m-%dT%H:%M"),
            "end": local(hour=12).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "America/Sao_Paulo",
            "visibility": "addressed",
        },
    )
    assert response.status_code == 200 and "is cancelled" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Plant closures" and meeting.sequence == 1
    assert Invitation.objects.filter(meeting=meeting).count() == 1
    assert Invitation.objects.get(meeting=meeting).status == Invitation.Status.INVITED


def test_cancelling_through_the_api_is_for_the_hosts_speakers(client_for, sam, mo, kim, meeting):
    for person in (mo, kim):
        assert api(client_for(person), "post", f"/meetings/{meeting.pk}/cancel").status_code == 403
    too_long = api(
        client_for(sam), "post", f"/meetings/{meeting.pk}/cancel", {"reason": "x" * 2001}
    )
    assert too_long.status_code == 400
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None
    done = api(client_for(sam), "post", f"/meetings/{meeting.pk}/cancel", {"reason": "Strike"})
    assert done.status_code == 200
    assert done.json()["cancelled_at"] and done.json()["cancel_reason"] == "Strike"
    assert done.json()["sequence"] == 1


def test_a_meeting_over_cannot_be_cancelled(client_for, sam, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - datetime.timedelta(days=2),
        end_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = client_for(sam).post(f"/meetings/{meeting.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200 and "over" in response.content.decode()
    assert Meeting.objects.get().cancelled_at is None


# The organization's calendar feed -----------------------------------------------------------


def feed_url_of(client, slug: str) -> str:  # type: ignore[no-untyped-def]
    """Make the organization's calendar address on its page, and read it there."""
    assert client.post(f"/meetings/calendar/{slug}/renew/").status_code == 302
    page = client.get("/meetings/calendar/").content.decode()
    start = page.index("http://testserver/calendars/")
    return page[start : page.index("</code>", start)].removeprefix("http://testserver")


def test_an_organizations_calendar_holds_its_meetings_with_their_time_zones(
    client_for, sam, kim, owner_org, other_org, meeting, settings
):
    settings.SITE_URL = "http://testserver"
    # Korean Dockworkers host one in Seoul, are invited to another and decline a third.
    theirs = meeting_create(
        actor=kim,
        organization=other_org,
        kind="seminar",
        title="Port automation",
        start=local(days=40),
        end=local(days=40, hour=12),
        time_zone="Asia/Seoul",
    )
    declined = plan(sam, owner_org, title="Not for us")
    meeting_invite(actor=sam, meeting=declined, criteria=Criteria(add=[other_org.pk]))
    invitation_decline(actor=kim, meeting=declined, organization=other_org)
    old = plan(sam, owner_org, title="Long ago")
    Meeting.objects.filter(pk=old.pk).update(
        start_at=timezone.now() - datetime.timedelta(days=400),
        end_at=timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(hours=2),
    )
    Invitation.objects.create(meeting=old, organization=other_org)
    url = feed_url_of(client_for(kim), other_org.slug)
    response = client_for(None).get(url)  # no sign-in: the address is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert calendar["x-wr-calname"] == "Korean Dockworkers"
    assert [e["summary"] for e in calendar.events] == ["Plant closures", "Port automation"]
    assert sorted(z["tzid"] for z in calendar.walk("VTIMEZONE")) == [
        "America/Sao_Paulo",
        "Asia/Seoul",
    ]
    first = calendar.events[0]
    assert first["dtstart"].params["TZID"] == "America/Sao_Paulo"
    assert first.decoded("dtstart") == local().replace(tzinfo=SAO_PAULO)
    # A change keeps the UID and raises the SEQUENCE; a cancellation says CANCELLED.
    meeting_edit(actor=sam, meeting=meeting, start=local(hour=14), end=local(hour=16))
    meeting_cancel(actor=kim, meeting=theirs)
    again = parse(client_for(None).get(url).content).events
    assert again[0]["uid"] == first["uid"] and int(again[0]["sequence"]) == 1
    assert again[0].decoded("dtstart") == local(hour=14).replace(tzinfo=SAO_PAULO)
    assert again[1]["status"] == "CANCELLED" and int(again[1]["sequence"]) == 1


def test_a_full_calendar_drops_its_oldest_meetings_never_those_to_come(
    client_for, sam, owner_org, settings, monkeypatch
):
    settings.SITE_URL = "http://testserver"
    monkeypatch.setattr("internationale.cooperation.calendar.FEED_LIMIT", 2)
    past = plan(sam, owner_org, title="Held last month")
    Meeting.objects.filter(pk=past.pk).update(
        start_at=timezone.now() - datetime.timedelta(days=30),
        end_at=timezone.now() - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
    )
    plan(sam, owner_org, title="Next month", start=local(days=30), end=local(days=30, hour=12))
    plan(sam, owner_org, title="In two months", start=local(days=60), end=local(days=60, hour=12))
    url = feed_url_of(client_for(sam), owner_org.slug)
    events = parse(client_for(None).get(url).content).events
    assert [e["summary"] for e in events] == ["Next month", "In two months"]


def test_renewing_the_calendar_address_kills_the_old_one_at_once(
    client_for, sam, owner_org, meeting, settings
):
    settings.SITE_URL = "http://testserver"
    client = client_for(sam)
    page = client.get("/meetings/calendar/").content.decode()
    assert "Make an address" in page and "/calendars/" not in page
    old = feed_url_of(client, owner_org.slug)
    assert client_for(None).get(old).status_code == 200
    confirm = client.get(f"/meetings/calendar/{owner_org.slug}/renew/").content.decode()
    assert "The old one stops at once" in confirm
    assert client_for(None).get(old).status_code == 200  # asking changes nothing
    new = feed_url_of(client, owner_org.slug)
    assert new != old
    assert client_for(None).get(old).status_code == 404
    assert client_for(None).get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1
    assert AuditEntry.objects.filter(action="calendar_feed.renew").count() == 1


def test_a_made_up_or_tampered_calendar_address_is_not_found(
    client_for, sam, owner_org, meeting, settings
):
    settings.SITE_URL = "http://testserver"
    url = feed_url_of(client_for(sam), owner_org.slug)
    token = url.removeprefix("/calendars/").removesuffix(".ics")
    pk, mac = token.split("-")
    flipped = ("0" if mac[0] != "0" else "1") + mac[1:]
    for wrong in (f"{pk}-{flipped}", f"{int(pk) + 1}-{mac}", "1", "../../etc", f"{pk}-{mac[:-1]}"):
        assert client_for(None).get(f"/calendars/{wrong}.ics").status_code == 404, wrong


def test_only_an_organizations_speakers_see_and_renew_its_calendar_address(
    client_for, sam, mo, kim, owner_org
):
    assert client_for(mo).get("/meetings/calendar/").status_code == 403
    # A member is refused, as on the API; another organization's people find nothing.
    renew = f"/meetings/calendar/{owner_org.slug}/renew/"
    api = f"/api/v1/organizations/{owner_org.slug}/calendar-feed/renew"
    assert client_for(mo).post(renew).status_code == client_for(mo).post(api).status_code == 403
    assert client_for(kim).post(renew).status_code == client_for(kim).post(api).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_an_unverified_organization_has_no_calendar_address(client_for, uma, unverified_org):

    from internationale.cooperation.feeds import calendar_feed_renew
    from internationale.core.actors import Person
    from internationale.core.services import NotVerified

    assert not Person(uma).has_perm("cooperation.manage_calendar_feed", unverified_org)
    with pytest.raises(NotVerified):
        calendar_feed_renew(actor=uma, organization=unverified_org)
    page = client_for(uma).get("/meetings/calendar/")
    assert page.status_code == 403 and "not verified" in page.content.decode()
    assert (
        client_for(uma).post(f"/meetings/calendar/{unverified_org.slug}/renew/").status_code == 404
    )
    assert not CalendarFeed.objects.exists()


# Invitations by e-mail, with the event ------------------------------------------------------


def calendar_parts(message) -> list[tuple[str, icalendar.Calendar]]:  # type: ignore[no-untyped-def]
    return [
        (mimetype, parse(content if isinstance(content, bytes) else content.encode()))
        for _name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]


def test_the_invitation_e_mail_carries_the_event_as_a_calendar_request(
    client_for, sam, kim, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    meeting = plan(sam, owner_org, visibility="public")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    work_off()
    [message] = [m for m in mail.outbox if m.to == ["kim@docks.example"]]
    [(mimetype, calendar)] = calendar_parts(message)
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert calendar["method"] == "REQUEST"
    [event] = calendar.events
    assert event["uid"].startswith(f"meeting-{meeting.pk}@")
    assert int(event["sequence"]) == 0 and event["summary"] == "Plant closures"
    assert event.decoded("dtstart") == local().replace(tzinfo=SAO_PAULO)
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["America/Sao_Paulo"]
    assert "mailto:" in str(event["organizer"])
    # A change: the same UID, a higher SEQUENCE, still a request.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(actor=sam, meeting=meeting, start=local(hour=15), end=local(hour=17))
    work_off()
    [message] = [m for m in mail.outbox if m.to == ["kim@docks.example"]]
    [(_mimetype, changed)] = calendar_parts(message)
    assert changed["method"] == "REQUEST"
    assert changed.events[0]["uid"] == event["uid"] and int(changed.events[0]["sequence"]) == 1
    # Cancelled: METHOD:CANCEL, STATUS:CANCELLED.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=sam, meeting=meeting, reason="Strike")
    work_off()
    [message] = [m for m in mail.outbox if m.to == ["kim@docks.example"]]
    [(mimetype, cancelled)] = calendar_parts(message)
    assert mimetype.startswith("text/calendar; method=CANCEL") and cancelled["method"] == "CANCEL"
    assert cancelled.events[0]["status"] == "CANCELLED"
    assert int(cancelled.events[0]["sequence"]) == 2


def test_a_confidential_meetings_invitation_e_mail_keeps_its_content_out(
    client_for, sam, kim, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    meeting = plan(sam, owner_org, title="Secret strike plans", place="Union hall")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    work_off()
    [message] = [m for m in mail.outbox if m.to == ["kim@docks.example"]]
    [(_mimetype, calendar)] = calendar_parts(message)
    raw = calendar.to_ical().decode()
    assert "Secret strike plans" not in raw and "Union hall" not in raw
    assert "Metalworkers" not in raw
    [event] = calendar.events
    assert int(event["sequence"]) == 0 and event["uid"].startswith(f"meeting-{meeting.pk}@")
    assert event.decoded("dtstart") == local().replace(tzinfo=SAO_PAULO)


def test_a_meeting_made_confidential_before_its_e_mail_leaves_goes_out_without_its_content(
    sam, kim, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    meeting = plan(sam, owner_org, title="Open forum", place="Union hall", visibility="public")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    # The host closes it to the participants before the worker e-mails the invitation.
    Meeting.objects.filter(pk=meeting.pk).update(visibility="addressed")
    work_off()
    [message] = [m for m in mail.outbox if m.to == ["kim@docks.example"]]
    [(_mimetype, calendar)] = calendar_parts(message)
    raw = calendar.to_ical().decode()
    assert "Open forum" not in raw and "Union hall" not in raw


# Times in each reader's zone, and for each participant --------------------------------------


def test_the_list_shows_each_meeting_in_the_readers_zone_and_in_its_own(client_for, kim, meeting):
    kim.time_zone = "Asia/Seoul"
    kim.save()
    page = client_for(kim).get("/meetings/").content.decode()
    seoul = meeting.start_at.astimezone(SEOUL)
    assert f'<time datetime="{seoul.isoformat()}">' in page
    assert "10 p.m.</time> (Asia/Seoul)" in page and "10 a.m. (America/Sao_Paulo)" in page


def test_an_organizations_zone_is_its_countrys_or_its_capitals():
    assert country_time_zone("KR") == ("Asia/Seoul", False)
    assert country_time_zone("FR") == ("Europe/Paris", False)
    assert country_time_zone("BR") == ("America/Sao_Paulo", True)
    assert country_time_zone("US") == ("America/New_York", True)


def test_night_is_any_part_of_a_meeting_between_22_and_7_on_local_clocks():
    def at(zone, hour, minute=0):  # type: ignore[no-untyped-def]
        return datetime.datetime(2030, 7, 1, hour, minute, tzinfo=zone)

    # 10:00 in Paris (summer, UTC+2) is 17:00 in Seoul and 05:00 in São Paulo.
    start, end = at(PARIS, 10), at(PARIS, 12)
    assert not is_night(start, end, PARIS) and not is_night(start, end, SEOUL)
    assert is_night(start, end, SAO_PAULO)
    # 09:00–10:00 in São Paulo is 21:00–22:00 in Seoul: it ends as the night starts.
    assert not is_night(at(SAO_PAULO, 9), at(SAO_PAULO, 10), SEOUL)
    assert is_night(at(SAO_PAULO, 9), at(SAO_PAULO, 10, 30), SEOUL)
    # 06:30 to 07:00, and a meeting across midnight.
    assert is_night(at(PARIS, 6, 30), at(PARIS, 8), PARIS)
    assert not is_night(at(PARIS, 7), at(PARIS, 21, 59), PARIS)
    assert is_night(at(PARIS, 23), at(PARIS, 23) + datetime.timedelta(hours=3), PARIS)


def test_overlaps_count_other_meetings_of_the_same_organizations_but_not_cancelled_or_declined(
    sam, kim, owner_org, other_org, meeting
):
    third = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    # The Korean Dockworkers host a meeting at the same time, among themselves.
    theirs = meeting_create(
        actor=kim,
        organization=other_org,
        kind="seminar",
        title="Among dockworkers",
        start=local(hour=11),
        end=local(hour=13),
        time_zone="America/Sao_Paulo",
    )
    # Two more at the same time: one cancelled, one they declined.
    gone = plan(sam, owner_org, title="Gone", start=local(hour=9), end=local(hour=11))
    meeting_cancel(actor=sam, meeting=gone)
    no = plan(sam, owner_org, title="No thanks", start=local(hour=11), end=local(hour=12))
    meeting_invite(actor=sam, meeting=no, criteria=Criteria(add=[other_org.pk]))
    invitation_decline(actor=kim, meeting=no, organization=other_org)
    # And one just after, which does not overlap.
    plan(sam, owner_org, title="After", start=local(hour=12), end=local(hour=13))
    rows = participant_times(
        viewer=sam,
        start_at=meeting.start_at,
        end_at=meeting.end_at,
        organizations=[other_org, third],
        host=owner_org,
        meeting=meeting,
    )
    by_name = {row.organization.name: row for row in rows}
    host, docks, dutch = (
        by_name["Metalworkers of São Paulo"],
        by_name["Korean Dockworkers"],
        by_name["Dutch Port Union"],
    )
    assert host.host and host.busy == 1 and [m.title for m in host.overlaps] == ["No thanks"]
    # Sam may not see the dockworkers' own meeting: neither named nor counted (a count would
    # tell him when they meet).
    assert docks.busy == 0 and docks.overlaps == []
    assert dutch.busy == 0
    # Kim sees it.
    rows = participant_times(
        viewer=kim,
        start_at=meeting.start_at,
        end_at=meeting.end_at,
        organizations=[other_org],
        meeting=meeting,
    )
    assert [m.pk for m in rows[0].overlaps] == [theirs.pk]
    # 10:00 in São Paulo is 22:00 in Seoul: night for the dockworkers only; 10:00+5 in Amsterdam.
    assert docks.time_zone == "Asia/Seoul" and docks.night and docks.start.hour == 22
    assert not host.night and not dutch.night and dutch.time_zone == "Europe/Amsterdam"


def test_checking_times_on_the_change_form_shows_each_participant_and_saves_nothing(
    client_for, sam, meeting
):
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "check": "1",
            "title": "",  # being filled in: not an error while checking
            "start": local(hour=9).strftime("%Y-%m-%dT%H:%M"),
            "end": local(hour=11).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "America/Sao_Paulo",
            "visibility": "addressed",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The times for each organization" in page
    assert "Korean Dockworkers" in page and "(Asia/Seoul)" in page and "At night" in page
    assert "This field is required" not in page
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.start_at == local().replace(tzinfo=SAO_PAULO)


def test_checking_times_when_planning_flags_the_night_of_the_other_side_of_a_visit(
    client_for, sam, other_org
):
    data = {
        "check": "1",
        "organization": "metal-sp",
        "kind": "delegation",
        "visit": "sends",
        "counterpart": other_org.slug,
        "title": "Delegation to Busan",
        "start": local(hour=11).strftime("%Y-%m-%dT%H:%M"),
        "end": local(hour=12).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }
    response = client_for(sam).post("/meetings/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "Korean Dockworkers" in page and "At night" in page
    assert not Meeting.objects.exists()
    # Times that cannot be: the error, and no table.
    data["end"] = local(hour=10).strftime("%Y-%m-%dT%H:%M")
    page = client_for(sam).post("/meetings/new/", data).content.decode()
    assert "The end must come after the start." in page
    assert "The times for each organization" not in page


def test_checking_times_through_the_api(client_for, sam, kim, owner_org, other_org, meeting):
    body = {
        "start": "2030-07-01T10:00:00",
        "end": "2030-07-01T12:00:00",
        "time_zone": "Europe/Paris",
        "host": owner_org.slug,
        "organizations": [other_org.slug],
    }
    response = api(client_for(sam), "post", "/meeting-times", body)
    assert response.status_code == 200
    rows = {row["organization"]["slug"]: row for row in response.json()}
    assert rows["docks-kr"]["start_local"] == "2030-07-01T17:00:00+09:00"
    assert not rows["docks-kr"]["night"]
    assert rows["metal-sp"]["start_local"] == "2030-07-01T05:00:00-03:00"
    assert (
        rows["metal-sp"]["night"] and rows["metal-sp"]["approximate"] and rows["metal-sp"]["host"]
    )
    unknown = api(client_for(sam), "post", "/meeting-times", {**body, "organizations": ["nobody"]})
    assert unknown.status_code == 400 and "organizations" in unknown.json()["errors"]
    no_host = api(client_for(sam), "post", "/meeting-times", {**body, "host": ""})
    assert no_host.status_code == 400 and "host" in no_host.json()["errors"]
    # For a meeting being changed: its host and those invited; for those who may change it.
    changed = api(client_for(sam), "post", "/meeting-times", {**body, "meeting": meeting.pk})
    assert [r["organization"]["slug"] for r in changed.json()] == ["metal-sp", "docks-kr"]
    refused = api(client_for(kim), "post", "/meeting-times", {**body, "meeting": meeting.pk})
    assert refused.status_code == 403
