"""Agreements and their tasks, through real requests. The Metalworkers of São Paulo (Sam speaks
for them, Mo is a member) hosted a meeting three days ago; the Korean Dockworkers (Kim speaks for
them, Kit is a member) took part; Nell belongs to no organization."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.cooperation.agreements import agreement_create, task_create
from internationale.cooperation.models import Agreement, Invitation, Meeting, Task, TaskNote
from internationale.cooperation.services import meeting_create
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


@pytest.fixture
def meeting(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Port campaign",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
    )
    held = timezone.now() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=held, end_at=held + datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    Invitation.objects.create(
        meeting=meeting, organization=other_org, status=Invitation.Status.ACCEPTED
    )
    return meeting


def held_on(meeting: Meeting) -> datetime.date:
    return meeting.start_at.astimezone(SAO_PAULO).date()


@pytest.fixture
def agreement(sam, meeting, owner_org, other_org):  # type: ignore[no-untyped-def]
    return agreement_create(
        actor=sam,
        meeting=meeting,
        title="Joint leaflet",
        text="We print a **joint** leaflet.",
        parties=[owner_org, other_org],
        adopted_on=held_on(meeting),
    )


@pytest.fixture
def task(sam, agreement, other_org):  # type: ignore[no-untyped-def]
    return task_create(
        actor=sam,
        agreement=agreement,
        title="Translate the leaflet",
        organization=other_org,
        deadline=timezone.now().date() + datetime.timedelta(days=20),
    )


def errors_of(response) -> dict:  # type: ignore[no-untyped-def]
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


# Agreements --------------------------------------------------------------------------------------


def test_the_hosts_secretary_records_an_agreement_between_the_participants(
    client_for,
    sam,
    meeting,
    owner_org,
    other_org,
    kit,
    work_off,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            f"/meetings/{meeting.pk}/agreements/new/",
            {
                "title": "Joint leaflet",
                "text": "We print a joint leaflet.",
                "parties": [owner_org.slug, other_org.slug],
                "adopted_on": held_on(meeting).isoformat(),
            },
        )
    agreement = Agreement.objects.get()
    assert response["Location"] == f"/meetings/agreements/{agreement.pk}/"
    assert set(agreement.parties.all()) == {owner_org, other_org}
    assert AuditEntry.objects.for_target(agreement).get().action == "agreement.create"
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="agreement.recorded").exists()
    page = client_for(kit).get(f"/meetings/{meeting.pk}/")
    assert "Joint leaflet" in page.content.decode()


def test_an_agreement_with_an_organization_that_did_not_take_part_is_refused(
    client_for, sam, meeting, owner_org
):
    outsider = OrganizationFactory(name="Dutch Port Union", slug="ports-nl")
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agreements/new/",
        {
            "title": "Joint leaflet",
            "text": "We print a joint leaflet.",
            "parties": [owner_org.slug, outsider.slug],
            "adopted_on": held_on(meeting).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "parties" in errors_of(response)
    assert not Agreement.objects.exists()


def test_an_agreement_adopted_before_its_meeting_is_refused(
    client_for, sam, meeting, owner_org, other_org
):
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agreements/new/",
        {
            "title": "Joint leaflet",
            "text": "We print a joint leaflet.",
            "parties": [owner_org.slug, other_org.slug],
            "adopted_on": (held_on(meeting) - datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert "adopted_on" in errors_of(response)
    assert not Agreement.objects.exists()


def test_members_and_other_participants_cannot_record_an_agreement(client_for, mo, kim, meeting):
    for person in (mo, kim):
        assert client_for(person).get(f"/meetings/{meeting.pk}/agreements/new/").status_code == 403


def test_the_agreement_page_shows_the_share_of_tasks_done(client_for, kit, agreement, task, kim):
    from internationale.cooperation.agreements import task_complete

    task_create(
        actor=agreement.created_by,
        agreement=agreement,
        title="Print it",
        organization=task.organization,
        deadline=task.deadline,
    )
    task_complete(actor=kim, task=task, evidence_text="Done, see the Korean version.")
    page = client_for(kit).get(f"/meetings/agreements/{agreement.pk}/").content.decode()
    assert "50% done (1 of 2)" in page
    assert "<strong>joint</strong>" in page  # its Markdown, rendered


# Tasks -------------------------------------------------------------------------------------------


def test_a_task_for_an_organization_not_a_party_is_refused_on_its_field(client_for, sam, agreement):
    outsider = OrganizationFactory(name="Dutch Port Union", slug="ports-nl")
    response = client_for(sam).post(
        f"/meetings/agreements/{agreement.pk}/tasks/new/",
        {"title": "Translate", "organization": outsider.slug, "deadline": "2031-01-10"},
    )
    assert response.status_code == 200
    assert errors_of(response) == {
        "organization": ["A task is for one of the agreement's parties."]
    }
    assert not Task.objects.exists()


def test_the_responsible_organization_is_told_of_its_new_task(
    client_for, sam, agreement, other_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            f"/meetings/agreements/{agreement.pk}/tasks/new/",
            {"title": "Translate", "organization": other_org.slug, "deadline": "2031-01-10"},
        )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.organization == other_org and task.status == "open"
    work_off()
    entry = InboxEntry.objects.get(organization=other_org, kind="task.assigned")
    assert entry.url.endswith(f"/meetings/tasks/{task.pk}/")


def test_a_task_is_done_only_with_evidence_and_its_file_is_served_to_those_who_see_it(
    client_for, kim, sam, kit, nell, task
):
    url = f"/meetings/tasks/{task.pk}/complete/"
    refused = client_for(kim).post(url, {"evidence_text": ""})
    assert refused.status_code == 200 and "evidence" in refused.content.decode().lower()
    task.refresh_from_db()
    assert task.status == "open"
    upload = SimpleUploadedFile("leaflet.txt", b"The leaflet, in Korean.\n", "text/plain")
    assert client_for(kim).post(url, {"evidence_file": upload}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.closed_at is not None
    evidence = f"/meetings/tasks/{task.pk}/evidence/"
    response = client_for(sam).get(evidence)
    assert b"".join(response.streaming_content) == b"The leaflet, in Korean.\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(kit).get(evidence).status_code == 200
    assert client_for(nell).get(evidence).status_code == 404
    # Done is closed: nothing changes it any more.
    assert "no longer" in client_for(kim).post(url, {"evidence_text": "Again"}).content.decode()


def test_a_file_that_is_not_what_its_name_says_is_refused(client_for, kim, task):
    upload = SimpleUploadedFile(
        "leaflet.pdf", b"<html><script>x</script></html>", "application/pdf"
    )
    response = client_for(kim).post(
        f"/meetings/tasks/{task.pk}/complete/", {"evidence_file": upload}
    )
    assert "evidence_file" in errors_of(response)
    task.refresh_from_db()
    assert task.status == "open" and not task.evidence_file


def test_members_read_a_task_but_cannot_act_on_it(client_for, kit, mo, task):
    assert client_for(kit).get(f"/meetings/tasks/{task.pk}/").status_code == 200
    for person in (kit, mo):
        client = client_for(person)
        assert (
            client.post(f"/meetings/tasks/{task.pk}/complete/", {"evidence_text": "x"}).status_code
            == 403
        )
        assert client.post(f"/meetings/tasks/{task.pk}/notes/", {"text": "x"}).status_code == 403
    assert not TaskNote.objects.exists()


def test_dropping_a_task_needs_a_reason_and_a_confirmation(client_for, kim, task):
    url = f"/meetings/tasks/{task.pk}/status/"
    unconfirmed = client_for(kim).post(url, {"status": "dropped", "reason": "The port closed."})
    assert "confirm" in errors_of(unconfirmed)
    no_reason = client_for(kim).post(url, {"status": "dropped", "confirm": "on"})
    assert "reason" in errors_of(no_reason)
    task.refresh_from_db()
    assert task.status == "open"
    done = client_for(kim).post(
        url, {"status": "dropped", "reason": "The port closed.", "confirm": "on"}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "dropped" and task.drop_reason == "The port closed."


def test_progress_notes_are_dated_and_shown_on_the_task(client_for, kim, kit, task):
    response = client_for(kim).post(f"/meetings/tasks/{task.pk}/notes/", {"text": "Half done."})
    assert response.status_code == 302
    note = TaskNote.objects.get()
    assert note.author == kim and note.created_at is not None
    assert "Half done." in client_for(kit).get(f"/meetings/tasks/{task.pk}/").content.decode()


def test_the_host_moves_a_deadline_and_outsiders_do_not_see_the_task(
    client_for, sam, nell, task, other_org
):
    new = task.deadline + datetime.timedelta(days=5)
    response = client_for(sam).post(
        f"/meetings/tasks/{task.pk}/edit/",
        {"title": task.title, "organization": other_org.slug, "deadline": new.isoformat()},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.deadline == new
    assert client_for(nell).get(f"/meetings/tasks/{task.pk}/").status_code == 404
