"""Who reads a task's evidence and progress notes, through real requests: the people of the
responsible organization and of the meeting's host, whatever the meeting's visibility.

The Metalworkers of São Paulo (Sam speaks for them, Mo is a member) hosted a public meeting three
days ago with the Korean Dockworkers (Kim speaks for them, Kit is a member) and the Dutch Port
Union (Nia speaks for it). Their agreement gives the Dockworkers a task, done with a text, a
link and a file, after a progress note, and another, overdue, with a note."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.cooperation.agreements import (
    agreement_create,
    task_complete,
    task_create,
    task_note_add,
)
from internationale.cooperation.models import Invitation, Meeting, Task
from internationale.cooperation.services import meeting_create
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

EVIDENCE_TEXT = "Translated by our education office."
EVIDENCE_LINK = "https://dockworkers.example/leaflet-ko"
EVIDENCE_FILE = b"The leaflet, in Korean.\n"
NOTE = "Half of the leaflet is translated."
LATE_NOTE = "Waiting for the printer's quote."


@pytest.fixture
def third_org(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Dutch Port Union", country="NL")


@pytest.fixture
def nia(third_org):  # type: ignore[no-untyped-def]
    return MembershipFactory(organization=third_org, role=Membership.Role.SECRETARY).user


@pytest.fixture
def done_task(sam, kim, owner_org, other_org, third_org):  # type: ignore[no-untyped-def]
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="multilateral",
        title="Port campaign",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="UTC",
        visibility="public",
    )
    held = timezone.now() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=held, end_at=held + datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    for organization in (other_org, third_org):
        Invitation.objects.create(
            meeting=meeting, organization=organization, status=Invitation.Status.ACCEPTED
        )
    agreement = agreement_create(
        actor=sam,
        meeting=meeting,
        title="Joint leaflet",
        text="We print a joint leaflet.",
        parties=[owner_org, other_org, third_org],
        adopted_on=held.date(),
    )
    task = task_create(
        actor=sam,
        agreement=agreement,
        title="Translate the leaflet",
        organization=other_org,
        deadline=timezone.now().date() + datetime.timedelta(days=20),
    )
    task_note_add(actor=kim, task=task, text=NOTE)
    task_complete(
        actor=kim,
        task=task,
        evidence_text=EVIDENCE_TEXT,
        evidence_link=EVIDENCE_LINK,
        evidence_file=SimpleUploadedFile("leaflet.txt", EVIDENCE_FILE, "text/plain"),
    )
    late = task_create(
        actor=sam,
        agreement=agreement,
        title="Print the leaflet",
        organization=other_org,
        deadline=held.date() + datetime.timedelta(days=1),
    )
    task_note_add(actor=kim, task=late, text=LATE_NOTE)
    return Task.objects.get(pk=task.pk)


def page_of(client, task: Task) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/meetings/tasks/{task.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["kim", "kit", "sam", "mo"])
def test_the_responsible_organization_and_the_host_read_the_evidence_and_the_notes(
    request, client_for, who, done_task
):
    client = client_for(request.getfixturevalue(who))
    text = page_of(client, done_task)
    assert EVIDENCE_TEXT in text and EVIDENCE_LINK in text and NOTE in text
    assert f"/meetings/tasks/{done_task.pk}/evidence/" in text
    response = client.get(f"/meetings/tasks/{done_task.pk}/evidence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == EVIDENCE_FILE
    body = client.get(f"/api/v1/tasks/{done_task.pk}").json()
    assert body["evidence_text"] == EVIDENCE_TEXT and body["evidence_link"] == EVIDENCE_LINK
    assert body["evidence_url"].endswith(f"/meetings/tasks/{done_task.pk}/evidence/")
    assert [n["text"] for n in body["notes"]] == [NOTE]
    listed = client.get(f"/api/v1/agreements/{done_task.agreement_id}/tasks").json()["items"]
    assert {t["title"]: [n["text"] for n in t["notes"]] for t in listed} == {
        "Translate the leaflet": [NOTE],
        "Print the leaflet": [LATE_NOTE],
    }


def test_a_third_participant_sees_the_task_but_not_its_evidence_or_notes(
    client_for, nia, done_task, third_org, other_org
):
    client = client_for(nia)
    text = page_of(client, done_task)
    assert "Translate the leaflet" in text and "Korean Dockworkers" in text and "Done" in text
    assert EVIDENCE_TEXT not in text and EVIDENCE_LINK not in text and NOTE not in text
    assert f"/meetings/tasks/{done_task.pk}/evidence/" not in text
    assert "read only by the responsible organization and the meeting's host" in text
    assert client.get(f"/meetings/tasks/{done_task.pk}/evidence/").status_code == 404
    body = client.get(f"/api/v1/tasks/{done_task.pk}").json()
    assert body["status"] == "done" and body["title"] == "Translate the leaflet"
    assert body["evidence_text"] == body["evidence_link"] == ""
    assert body["evidence_url"] is None and body["notes"] == []
    listed = client.get(f"/api/v1/agreements/{done_task.agreement_id}/tasks").json()["items"]
    assert len(listed) == 2
    assert all(t["notes"] == [] and t["evidence_text"] == "" for t in listed)
    # Nor through its accountability (the overdue task and its note) or its history with the
    # Dockworkers.
    overdue = client.get(f"/api/v1/organizations/{third_org.slug}/commitments").json()["overdue"]
    assert [(t["title"], t["notes"]) for t in overdue] == [("Print the leaflet", [])]
    history = client.get(
        f"/api/v1/organizations/{third_org.slug}/relations/{other_org.slug}/history"
    ).json()
    tasks = [t for a in history["agreements"] for t in a["tasks"]]
    assert len(tasks) == 2
    assert all(t["evidence_text"] == "" and t["notes"] == [] for t in tasks)
    assert all(t["evidence_url"] is None for t in tasks)
    commitments = client.get(f"/meetings/commitments/{third_org.slug}/?show=theirs")
    assert "Translate the leaflet" in commitments.content.decode()


def test_the_host_reads_the_evidence_through_its_commitments_and_history(
    client_for, mo, done_task, owner_org, other_org
):
    client = client_for(mo)
    overdue = client.get(f"/api/v1/organizations/{owner_org.slug}/commitments").json()["overdue"]
    assert [(t["title"], [n["text"] for n in t["notes"]]) for t in overdue] == [
        ("Print the leaflet", [LATE_NOTE])
    ]
    history = client.get(
        f"/api/v1/organizations/{owner_org.slug}/relations/{other_org.slug}/history"
    ).json()
    texts = {t["title"]: t["evidence_text"] for a in history["agreements"] for t in a["tasks"]}
    assert texts["Translate the leaflet"] == EVIDENCE_TEXT


@pytest.mark.parametrize("who", ["anonymous", "nell"])
def test_the_public_sees_a_public_meetings_task_but_not_its_evidence_or_notes(
    request, client_for, who, done_task
):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    text = page_of(client, done_task)
    assert "Translate the leaflet" in text and "Korean Dockworkers" in text
    assert EVIDENCE_TEXT not in text and EVIDENCE_LINK not in text and NOTE not in text
    assert client.get(f"/meetings/tasks/{done_task.pk}/evidence/").status_code == 404
    agreement = client.get(f"/meetings/agreements/{done_task.agreement_id}/").content.decode()
    assert "Translate the leaflet" in agreement and EVIDENCE_TEXT not in agreement
    api = client.get(f"/api/v1/tasks/{done_task.pk}")
    if who == "anonymous":
        assert api.status_code == 401
    else:
        body = api.json()
        assert body["evidence_text"] == "" and body["evidence_url"] is None
        assert body["notes"] == []
