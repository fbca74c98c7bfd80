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
from internationale.core.tests import files
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


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leaflet.docx", files.zip_bomb_docx(), "grows more than 100 times when unpacked"),
        ("leaflet.odt", files.nested_archive_odt(), "holds an archive inside an archive"),
    ],
)
def test_an_office_file_built_to_exhaust_the_server_is_refused(
    client_for, kim, task, name, content, message
):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    response = client_for(kim).post(
        f"/meetings/tasks/{task.pk}/complete/", {"evidence_file": upload}
    )
    assert message in errors_of(response)["evidence_file"][0]
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


# Reminders ---------------------------------------------------------------------------------------


def at(day: datetime.date) -> datetime.datetime:
    """Noon (UTC) of a day: the reminders' clock, moved."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def reminders_of(organization) -> list[str]:  # type: ignore[no-untyped-def]
    from internationale.core.models import Notice

    return [
        n.kind
        for n in Notice.objects.order_by("pk")
        if n.kind.startswith("task.")
        and n.kind != "task.assigned"
        and organization.pk in n.organization_ids
    ]


def test_a_task_is_reminded_a_week_and_a_day_before_its_deadline_and_when_overdue_once_each(
    task, other_org
):
    from internationale.cooperation.reminders import remind

    deadline = task.deadline
    assert remind(now=at(deadline - datetime.timedelta(days=8))) == 0
    assert remind(now=at(deadline - datetime.timedelta(days=7))) == 1
    # Run again, the same hour or the next day: nothing twice.
    assert remind(now=at(deadline - datetime.timedelta(days=7))) == 0
    assert remind(now=at(deadline - datetime.timedelta(days=6))) == 0
    assert remind(now=at(deadline - datetime.timedelta(days=1))) == 1
    assert remind(now=at(deadline)) == 0
    assert remind(now=at(deadline + datetime.timedelta(days=1))) == 1
    assert remind(now=at(deadline + datetime.timedelta(days=9))) == 0
    assert reminders_of(other_org) == ["task.due_soon", "task.due_soon", "task.overdue"]
    assert task.reminders.count() == 3


def test_a_moved_deadline_is_reminded_of_again_and_a_done_task_no_more(sam, kim, task, other_org):
    from internationale.cooperation.agreements import task_complete, task_edit
    from internationale.cooperation.reminders import remind

    first = task.deadline
    assert remind(now=at(first - datetime.timedelta(days=7))) == 1
    later = first + datetime.timedelta(days=30)
    task = task_edit(actor=sam, task=task, deadline=later)
    assert remind(now=at(later - datetime.timedelta(days=7))) == 1
    task_complete(actor=kim, task=task, evidence_text="Translated.")
    assert remind(now=at(later + datetime.timedelta(days=3))) == 0
    assert reminders_of(other_org) == ["task.due_soon", "task.due_soon"]


def test_the_periodic_task_sends_the_reminders_through_the_worker(task, other_org, work_off):
    from internationale.cooperation.reminders import send_task_reminders

    Task.objects.filter(pk=task.pk).update(
        deadline=timezone.now().date() - datetime.timedelta(days=2)
    )
    send_task_reminders.enqueue()
    work_off()
    send_task_reminders.enqueue()
    work_off()
    entries = InboxEntry.objects.filter(organization=other_org, kind="task.overdue")
    assert entries.count() == 1
    assert entries.get().url.endswith(f"/meetings/tasks/{task.pk}/")


# Accountability ----------------------------------------------------------------------------------


@pytest.fixture
def commitments(sam, kim, agreement, owner_org, other_org, task):  # type: ignore[no-untyped-def]
    """The Dockworkers' task (pending) and three of the Metalworkers: done, overdue, dropped."""
    from internationale.cooperation.agreements import task_complete, task_set_status

    def ours(title: str, days: int) -> Task:
        return task_create(
            actor=sam,
            agreement=agreement,
            title=title,
            organization=owner_org,
            deadline=agreement.adopted_on + datetime.timedelta(days=days),
        )

    task_complete(actor=sam, task=ours("Print the leaflet", 30), evidence_link="https://x.org/a")
    ours('=HYPERLINK("http://evil")', 1)  # overdue, and a formula
    task_set_status(actor=sam, task=ours("Book the hall", 30), status="dropped", reason="Closed")
    return agreement


def test_the_commitments_page_shows_what_each_side_committed_to_and_what_is_overdue(
    client_for, mo, commitments, owner_org
):
    page = client_for(mo).get(f"/meetings/commitments/{owner_org.slug}/").content.decode()
    # Ours: one done of two counted (the dropped one is not), one overdue.
    assert "50% done (1 of 2)" in page
    assert "0% done (0 of 1)" in page  # the Dockworkers', to us
    assert "Korean Dockworkers" in page
    overdue = client_for(mo).get(f"/meetings/commitments/{owner_org.slug}/?show=overdue")
    assert "HYPERLINK" in overdue.content.decode()
    assert "Translate the leaflet" not in overdue.content.decode()


def test_the_commitments_are_for_the_organizations_own_people(client_for, kim, nell, owner_org):
    assert client_for(kim).get(f"/meetings/commitments/{owner_org.slug}/").status_code == 404
    assert client_for(nell).get(f"/meetings/commitments/{owner_org.slug}/").status_code == 404


def test_the_csv_export_lists_every_task_and_writes_formulas_as_text(
    client_for, mo, commitments, owner_org
):
    import csv
    import io

    response = client_for(mo).get(f"/meetings/commitments/{owner_org.slug}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 4
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_commitments_page_reads_a_fixed_number_of_queries(
    client_for, mo, commitments, owner_org, sam, agreement, django_assert_max_num_queries
):
    for n in range(10):
        task_create(
            actor=sam,
            agreement=agreement,
            title=f"Task {n}",
            organization=owner_org,
            deadline=agreement.adopted_on + datetime.timedelta(days=40),
        )
    client = client_for(mo)
    with django_assert_max_num_queries(25):
        assert client.get(f"/meetings/commitments/{owner_org.slug}/").status_code == 200


# The history of a relation -----------------------------------------------------------------------


def test_the_history_of_a_relation_shows_meetings_agreements_tasks_and_appeals_answered(
    client_for, mo, kim, meeting, task, owner_org, other_org
):
    from internationale.appeals.models import Appeal
    from internationale.appeals.tests.factories import AppealFactory, PledgeFactory

    appeal = AppealFactory(
        organization=owner_org, title="Lockout at Santos", status=Appeal.Status.OPEN
    )
    appeal.addressees.create(organization=other_org)
    PledgeFactory(appeal=appeal, organization=other_org)
    elsewhere = AppealFactory(organization=other_org, title="Strike in Busan")
    PledgeFactory(appeal=elsewhere, organization=OrganizationFactory())
    page = client_for(mo).get(f"/meetings/relations/{owner_org.slug}/{other_org.slug}/")
    text = page.content.decode()
    assert "Port campaign" in text and "Joint leaflet" in text and "Translate the leaflet" in text
    assert "Lockout at Santos" in text and "Korean Dockworkers pledged support" in text
    assert "Strike in Busan" not in text
    assert (
        client_for(kim).get(f"/meetings/relations/{owner_org.slug}/{other_org.slug}/").status_code
        == 404
    )
    assert (
        client_for(kim).get(f"/meetings/relations/{other_org.slug}/{owner_org.slug}/").status_code
        == 200
    )


# The API -----------------------------------------------------------------------------------------


def test_the_api_refuses_a_task_for_an_organization_not_a_party_with_a_field_error(
    client_for, sam, agreement
):
    outsider = OrganizationFactory(name="Dutch Port Union", slug="ports-nl")
    response = client_for(sam).post(
        f"/api/v1/agreements/{agreement.pk}/tasks",
        {"title": "Translate", "organization": outsider.slug, "deadline": "2031-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "organization" in response.json()["errors"]
    assert not Task.objects.exists()


def test_the_api_completes_a_task_with_an_evidence_file(client_for, kim, kit, task):
    upload = SimpleUploadedFile("leaflet.txt", b"The leaflet, in Korean.\n", "text/plain")
    response = client_for(kim).post(f"/api/v1/tasks/{task.pk}/complete", {"evidence_file": upload})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["evidence_url"].endswith(f"/tasks/{task.pk}/evidence/")
    again = client_for(kim).post(
        f"/api/v1/tasks/{task.pk}/complete", {"evidence_text": "x"}, content_type="application/json"
    )
    assert again.status_code == 400


def test_the_api_drops_a_task_only_with_a_reason(client_for, kim, task):
    url = f"/api/v1/tasks/{task.pk}/status"
    refused = client_for(kim).post(url, {"status": "dropped"}, content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    task.refresh_from_db()
    assert task.status == "open"


def test_the_api_gives_an_organizations_accountability(client_for, mo, commitments, owner_org):
    body = client_for(mo).get(f"/api/v1/organizations/{owner_org.slug}/commitments").json()
    assert body["ours"] == {"total": 3, "done": 1, "dropped": 1, "overdue": 1, "percent": 50}
    assert body["theirs"]["total"] == 1
    assert [p["organization"]["slug"] for p in body["partners"]] == ["docks-kr"]
    assert [t["title"] for t in body["overdue"]] == ['=HYPERLINK("http://evil")']
