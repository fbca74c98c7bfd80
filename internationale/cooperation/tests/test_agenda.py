"""The agenda and minutes of a meeting, through the pages and the API (with API tokens). The Metalworkers of São Paulo (Sam speaks
for them, Mo is a member, Olu an observer) host; the Korean Dockworkers (Kim speaks for them, Kit
is a member) accepted; the Dutch Port Union (Piet speaks for it) is invited and has not answered;
Nell belongs to no organization."""

import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.accounts.tests.factories import UserFactory
from internationale.cooperation import agenda, minutes
from internationale.cooperation.models import (
    AgendaDocument,
    AgendaItem,
    Invitation,
    Minutes,
    MinutesApproval,
    MinutesCorrection,
)
from internationale.cooperation.services import meeting_create
from internationale.core.actors import System
from internationale.core.models import AuditEntry, Notice
from internationale.core.tests import files
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.core.uploads import DOCUMENT_MAX_BYTES
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def local(days: int = 30, hour: int = 10) -> datetime.datetime:
    """A local time in São Paulo, `days` ahead."""
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def plan(sam, owner_org, days: int = 30, title: str = "Plant closures"):  # type: ignore[no-untyped-def]
    return meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title=title,
        start=local(days),
        end=local(days, hour=13),
        time_zone="America/Sao_Paulo",
    )


@pytest.fixture
def dutch_org(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")


@pytest.fixture
def piet(dutch_org):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        organization=dutch_org, role="secretary", user=UserFactory(email="piet@ports.example")
    ).user


@pytest.fixture
def meeting(sam, kim, kit, owner_org, other_org, dutch_org):  # type: ignore[no-untyped-def]
    meeting = plan(sam, owner_org)
    Invitation.objects.create(meeting=meeting, organization=other_org, status="accepted")
    Invitation.objects.create(meeting=meeting, organization=dutch_org)
    return meeting


@pytest.fixture
def item(sam, meeting):  # type: ignore[no-untyped-def]
    return agenda.agenda_item_add(actor=sam, meeting=meeting, title="Closures at the ABC plants")


@pytest.fixture
def submitted(sam, meeting, item):  # type: ignore[no-untyped-def]
    minutes.minutes_record(actor=sam, item=item, text="Both unions **refuse** the closures.")
    minutes.minutes_submit(
        actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=10)
    )
    return Minutes.objects.get(meeting=meeting)


def errors_of(response) -> dict:  # type: ignore[no-untyped-def]
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


def page_messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# The agenda --------------------------------------------------------------------------------------


def test_a_secretary_of_the_host_adds_an_item_with_a_rapporteur_and_a_time_slot(
    client_for, sam, meeting, other_org
):
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/new/",
        {
            "title": "Port automation",
            "rapporteur": other_org.slug,
            "start": local(hour=10).strftime("%Y-%m-%dT%H:%M"),
            "end": local(hour=11).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.rapporteur == other_org and item.position == 1
    assert item.starts_at == local(hour=10).replace(tzinfo=SAO_PAULO)
    assert AuditEntry.objects.for_target(meeting).filter(action="agenda.add").exists()
    page = client_for(sam).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Port automation" in page and "Rapporteur: Korean Dockworkers" in page
    assert "(America/Sao_Paulo)" in page


def test_the_same_form_sent_twice_adds_one_item(client_for, sam, meeting):
    form = {"title": "Port automation", "submission_key": "one-click"}
    for _twice in range(2):
        response = client_for(sam).post(f"/meetings/{meeting.pk}/agenda/new/", form)
        assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_participants_see_the_agenda_on_the_meeting_page_without_its_buttons(
    client_for, kit, meeting, item
):
    page = client_for(kit).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Closures at the ABC plants" in page
    assert f"/meetings/{meeting.pk}/agenda/{item.pk}/edit/" not in page


def test_a_rapporteur_that_does_not_take_part_is_a_field_error_and_nothing_is_added(
    client_for, sam, meeting
):
    stranger = OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/new/", {"title": "Copper", "rapporteur": stranger.slug}
    )
    assert response.status_code == 200
    assert errors_of(response) == {
        "rapporteur": [
            "The rapporteur must take part in the meeting: the host, or an organization "
            "invited that has not declined."
        ]
    }
    assert not AgendaItem.objects.exists()


def test_a_time_slot_outside_the_meeting_is_refused(client_for, sam, meeting):
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/new/",
        {
            "title": "Late session",
            "start": local(hour=15).strftime("%Y-%m-%dT%H:%M"),
            "end": local(hour=16).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert errors_of(response) == {"start": ["The time slot must lie within the meeting."]}
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("who", ["mo", "olu", "kim"])
def test_members_observers_and_participants_may_not_change_the_agenda(
    client_for, request, meeting, item, who
):
    client = client_for(request.getfixturevalue(who))
    assert client.post(f"/meetings/{meeting.pk}/agenda/new/", {"title": "X"}).status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/").status_code == 403
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_an_outsider_does_not_see_that_the_meeting_has_an_agenda(client_for, meeting, item):
    nell = UserFactory(email="nell@example.org")
    assert client_for(nell).get(f"/meetings/{meeting.pk}/agenda/new/").status_code == 404


def test_items_move_up_and_down_with_buttons(client_for, sam, meeting, item):
    second = agenda.agenda_item_add(actor=sam, meeting=meeting, title="Pensions")
    client_for(sam).post(f"/meetings/{meeting.pk}/agenda/{second.pk}/shift/", {"direction": "up"})
    assert [i.title for i in agenda.agenda_list(agenda_access(sam, meeting))] == [
        "Pensions",
        "Closures at the ABC plants",
    ]
    client_for(sam).post(f"/meetings/{meeting.pk}/agenda/{second.pk}/shift/", {"direction": "down"})
    assert list(AgendaItem.objects.order_by("position").values_list("title", flat=True)) == [
        "Closures at the ABC plants",
        "Pensions",
    ]


def agenda_access(viewer, meeting):  # type: ignore[no-untyped-def]
    from internationale.cooperation.selectors import meeting_access

    return meeting_access(viewer=viewer, pk=meeting.pk)


def test_removing_an_item_asks_first_then_removes_it_with_its_documents(
    client_for, sam, meeting, item
):
    agenda.agenda_document_add(actor=sam, item=item, title="Plan", link="https://example.org/p")
    client = client_for(sam)
    confirm = client.get(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/").content.decode()
    assert 'class="button danger">Remove the item</button>' in confirm
    assert AgendaItem.objects.exists()
    assert client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/").status_code == 302
    assert not AgendaItem.objects.exists() and not AgendaDocument.objects.exists()


def test_an_item_not_reached_moves_to_a_later_meeting_of_the_host_with_its_documents(
    client_for, sam, owner_org, meeting, item
):
    later = plan(sam, owner_org, days=60, title="Plant closures, second round")
    earlier = plan(sam, owner_org, days=10, title="Preparation")
    document = agenda.agenda_document_add(
        actor=sam, item=item, title="Plan", link="https://example.org/p"
    )
    form = client_for(sam).get(f"/meetings/{meeting.pk}/agenda/{item.pk}/move/")
    choices = [str(c[1]) for c in form.context["form"].fields["meeting"].choices]
    assert "Plant closures, second round" in choices and "Preparation" not in choices
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/{item.pk}/move/", {"meeting": later.pk}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    document.refresh_from_db()
    assert item.meeting == later and document.item == item
    refused = client_for(sam).post(
        f"/meetings/{later.pk}/agenda/{item.pk}/move/", {"meeting": earlier.pk}
    )
    assert "meeting" in errors_of(refused)


def test_an_item_of_an_edition_moves_only_to_a_later_edition_of_its_series_not_cancelled(
    client_for, sam, owner_org, meeting, item
):
    from internationale.cooperation.cancellation import meeting_cancel
    from internationale.cooperation.series import series_create, series_next_edition

    series = series_create(actor=sam, meeting=meeting, title="Plant closures", period="irregular")
    next_edition = series_next_edition(
        actor=sam, series=series, start=local(days=50), end=local(days=50, hour=12)
    )
    cancelled = series_next_edition(
        actor=sam, series=series, start=local(days=70), end=local(days=70, hour=12)
    )
    meeting_cancel(actor=sam, meeting=cancelled)
    plan(sam, owner_org, days=60, title="Outside the series")
    form = client_for(sam).get(f"/meetings/{meeting.pk}/agenda/{item.pk}/move/")
    assert [c[0].value for c in form.context["form"].fields["meeting"].choices if c[0]] == [
        next_edition.pk
    ]


def test_a_document_file_is_served_as_an_attachment_to_participants_only(
    client_for, sam, kit, meeting, item
):
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/{item.pk}/documents/new/",
        {"title": "Notes", "file": SimpleUploadedFile("notes.txt", b"Our notes.\n", "text/plain")},
    )
    assert response.status_code == 302
    document = AgendaDocument.objects.get()
    url = f"/meetings/{meeting.pk}/agenda/documents/{document.pk}/"
    served = client_for(kit).get(url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == b"Our notes.\n"
    nell = UserFactory(email="nell@example.org")
    assert client_for(nell).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("run.html", b"<script>alert(1)</script>", "text/html"),
            "This type of file is not accepted.",
        ),
        (
            SimpleUploadedFile("big.pdf", b"%" * (DOCUMENT_MAX_BYTES + 1), "application/pdf"),
            "The file is too large: at most 5.0\xa0MB.",
        ),
    ],
)
def test_a_document_of_a_refused_type_or_too_large_is_refused(
    client_for, sam, meeting, item, upload, message, settings
):
    _refused_on_the_page(client_for, sam, meeting, item, upload, message, settings)


def _refused_on_the_page(client_for, sam, meeting, item, upload, message, settings):  # type: ignore[no-untyped-def]
    settings.INTERNATIONALE_MAX_REQUEST_BYTES = 8 * 1024 * 1024
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/agenda/{item.pk}/documents/new/", {"title": "X", "file": upload}
    )
    assert response.status_code == 200
    assert errors_of(response)["file"][0].startswith(message)
    assert not AgendaDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", files.zip_bomb_docx(), "A part of this file (word/media/image1.png) grows"),
        ("notes.odt", files.nested_archive_odt(), "This file holds an archive inside an archive"),
    ],
)
def test_an_office_file_built_to_exhaust_the_server_is_refused_on_the_page_and_the_api(
    client_for, sam, owner_org, meeting, item, name, content, message, settings
):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    _refused_on_the_page(client_for, sam, meeting, item, upload, message, settings)
    _token, raw = token_create(
        actor=System(reason="test"), user=sam, organization=owner_org, name="test"
    )
    answer = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        f"/api/v1/meetings/{meeting.pk}/agenda/{item.pk}/documents",
        {"title": "Notes", "file": SimpleUploadedFile(name, content, "application/octet-stream")},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["file"][0].startswith(message)
    assert not AgendaDocument.objects.exists()


# Minutes -----------------------------------------------------------------------------------------


def test_the_host_records_and_submits_the_minutes_and_the_participants_are_told(
    client_for, sam, meeting, item, other_org
):
    client = client_for(sam)
    response = client.post(
        f"/meetings/{meeting.pk}/minutes/{item.pk}/edit/",
        {"text": "Both unions refuse.<script>alert(1)</script>"},
    )
    assert response.status_code == 302
    deadline = local(days=40).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(f"/meetings/{meeting.pk}/minutes/submit/", {"deadline": deadline}).status_code
        == 302
    )
    record = Minutes.objects.get(meeting=meeting)
    assert record.status == "submitted"
    assert record.approval_deadline == local(days=40).replace(tzinfo=SAO_PAULO)
    notice = Notice.objects.get(kind="minutes.submitted")
    assert notice.organization_ids == [other_org.pk]
    page = client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "Both unions refuse." in page and "<script>" not in page


def test_a_draft_is_for_the_host_only(client_for, sam, kim, meeting, item):
    minutes.minutes_record(actor=sam, item=item, text="Draft.")
    assert client_for(sam).get(f"/meetings/{meeting.pk}/minutes/").status_code == 200
    assert client_for(kim).get(f"/meetings/{meeting.pk}/minutes/").status_code == 404


def test_the_last_approval_freezes_the_minutes_and_everyone_is_told(
    client_for, kim, meeting, submitted, owner_org, other_org, dutch_org
):
    response = client_for(kim).post(
        f"/meetings/{meeting.pk}/minutes/approve/", {"organization": other_org.slug}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.is_frozen and submitted.frozen_at is not None
    frozen = Notice.objects.get(kind="minutes.frozen")
    assert set(frozen.organization_ids) == {owner_org.pk, other_org.pk, dutch_org.pk}
    assert AuditEntry.objects.for_target(meeting).filter(action="minutes.freeze").exists()


def test_approving_twice_leaves_one_approval(client_for, kim, meeting, submitted, other_org):
    # An open correction keeps the minutes from freezing on the first approval.
    MinutesCorrection.objects.create(
        minutes=submitted,
        item=meeting.agenda_items.get(),
        organization=other_org,
        text="x",
        reason="y",
    )
    client = client_for(kim)
    client.post(f"/meetings/{meeting.pk}/minutes/approve/", {"organization": other_org.slug})
    again = client.post(
        f"/meetings/{meeting.pk}/minutes/approve/", {"organization": other_org.slug}
    )
    assert again.status_code == 200
    assert errors_of(again) == {
        "__all__": ["Korean Dockworkers has already approved these minutes."]
    }
    assert MinutesApproval.objects.count() == 1


def test_an_organization_that_did_not_attend_may_not_approve(
    client_for, piet, meeting, submitted, dutch_org
):
    response = client_for(piet).post(
        f"/meetings/{meeting.pk}/minutes/approve/", {"organization": dutch_org.slug}
    )
    assert response.status_code == 200
    assert errors_of(response)["__all__"][0].startswith(
        "Dutch Port Union did not take part in this meeting"
    )
    assert not MinutesApproval.objects.exists()


@pytest.mark.parametrize("who", ["kit", "mo", "olu"])
def test_members_and_observers_may_not_approve_or_record(
    client_for, request, meeting, submitted, who
):
    client = client_for(request.getfixturevalue(who))
    assert client.post(f"/meetings/{meeting.pk}/minutes/approve/", {}).status_code == 403
    item = meeting.agenda_items.get()
    assert (
        client.post(f"/meetings/{meeting.pk}/minutes/{item.pk}/edit/", {"text": "x"}).status_code
        == 403
    )
    assert not MinutesApproval.objects.exists()


def test_a_correction_accepted_replaces_the_text_and_resets_approvals(
    client_for, sam, kim, meeting, item, submitted, other_org, owner_org
):
    client_for(kim).post(
        f"/meetings/{meeting.pk}/minutes/corrections/new/",
        {
            "organization": other_org.slug,
            "item": item.pk,
            "text": "Both unions refuse the closures and call a joint day of action.",
            "reason": "The day of action was agreed.",
        },
    )
    correction = MinutesCorrection.objects.get()
    assert Notice.objects.get(kind="minutes.correction_proposed").organization_ids == [owner_org.pk]
    response = client_for(sam).post(
        f"/meetings/{meeting.pk}/minutes/corrections/{correction.pk}/answer/",
        {"answer": "accept"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    correction.refresh_from_db()
    assert item.minutes.endswith("call a joint day of action.")
    assert correction.status == "accepted"
    assert Notice.objects.get(kind="minutes.correction_answered").organization_ids == [other_org.pk]


def test_rejecting_a_correction_needs_a_reason(
    client_for, sam, kim, meeting, item, submitted, other_org
):
    correction = minutes.correction_propose(
        actor=kim, meeting=meeting, organization=other_org, item=item, text="x", reason="y"
    )
    url = f"/meetings/{meeting.pk}/minutes/corrections/{correction.pk}/answer/"
    response = client_for(sam).post(url, {"answer": "reject"})
    assert errors_of(response) == {"reason": ["Say why the correction is rejected."]}
    correction.refresh_from_db()
    assert correction.status == "open"


def test_an_edit_after_submission_resets_the_approvals(
    client_for, sam, kim, meeting, item, submitted, other_org
):
    second = OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    Invitation.objects.create(meeting=meeting, organization=second, status="accepted")
    minutes.minutes_approve(actor=kim, meeting=meeting, organization=other_org)
    assert MinutesApproval.objects.count() == 1
    client_for(sam).post(
        f"/meetings/{meeting.pk}/minutes/{item.pk}/edit/", {"text": "Another text."}
    )
    assert not MinutesApproval.objects.exists()


def test_frozen_minutes_refuse_every_change(
    client_for, sam, kim, meeting, item, submitted, other_org
):
    minutes.minutes_approve(actor=kim, meeting=meeting, organization=other_org)
    client = client_for(sam)
    response = client.post(f"/meetings/{meeting.pk}/minutes/{item.pk}/edit/", {"text": "Changed."})
    assert response.status_code == 200
    assert errors_of(response) == {
        "__all__": [
            "The minutes of this meeting are frozen: its agenda and minutes can no longer be "
            "changed."
        ]
    }
    refused = client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/", follow=True)
    assert any("are frozen" in m for m in page_messages(refused))
    item.refresh_from_db()
    assert item.minutes == "Both unions **refuse** the closures."


def test_the_deadline_freezes_the_minutes_unless_a_correction_is_open(
    sam, kim, meeting, item, submitted, other_org
):
    correction = minutes.correction_propose(
        actor=kim, meeting=meeting, organization=other_org, item=item, text="x", reason="y"
    )
    Minutes.objects.filter(pk=submitted.pk).update(
        approval_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert minutes.freeze_due_minutes.call() == 0
    minutes.correction_answer(actor=sam, correction=correction, accept=False, reason="No.")
    submitted.refresh_from_db()
    assert submitted.is_frozen  # the answer closed the last open correction past the deadline
    assert minutes.freeze_due_minutes.call() == 0  # run again: nothing twice
    assert Notice.objects.filter(kind="minutes.frozen").count() == 1


def test_the_periodic_task_freezes_minutes_past_their_deadline(meeting, submitted):
    Minutes.objects.filter(pk=submitted.pk).update(
        approval_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert minutes.freeze_due_minutes.call() == 1
    submitted.refresh_from_db()
    assert submitted.is_frozen
    assert minutes.freeze_due_minutes.call() == 0


# The API -----------------------------------------------------------------------------------------

API = "/api/v1"


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def send(client, method, path, data=None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(data or {}), content_type="application/json"
    )


@pytest.fixture
def host(sam, owner_org):  # type: ignore[no-untyped-def]
    return with_token(sam, owner_org)


@pytest.fixture
def guest(kim, other_org):  # type: ignore[no-untyped-def]
    return with_token(kim, other_org)


def test_the_host_builds_the_agenda_and_participants_read_it(host, guest, meeting, other_org):
    created = send(
        host,
        "post",
        f"/meetings/{meeting.pk}/agenda",
        {
            "title": "Port automation",
            "rapporteur": other_org.slug,
            "start": local(hour=11).isoformat(),
            "end": local(hour=12).isoformat(),
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["rapporteur"]["slug"] == "docks-kr" and body["position"] == 1
    assert body["start_local"].startswith(local(hour=11).isoformat())
    listed = guest.get(f"{API}/meetings/{meeting.pk}/agenda").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Port automation"


def test_a_rapporteur_that_does_not_take_part_is_a_400_on_its_field(host, meeting):
    OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    response = send(
        host, "post", f"/meetings/{meeting.pk}/agenda", {"title": "X", "rapporteur": "miners-cl"}
    )
    assert response.status_code == 400 and "rapporteur" in response.json()["errors"]
    assert not AgendaItem.objects.exists()


def test_members_and_observers_may_not_change_the_agenda_or_the_minutes_or_approve(
    mo, olu, kit, owner_org, other_org, meeting, submitted
):
    item = meeting.agenda_items.get()
    clients = [with_token(mo, owner_org), with_token(olu, owner_org), with_token(kit, other_org)]
    for client in clients:
        for method, path, data in [
            ("post", f"/meetings/{meeting.pk}/agenda", {"title": "X"}),
            ("delete", f"/meetings/{meeting.pk}/agenda/{item.pk}", None),
            ("patch", f"/meetings/{meeting.pk}/minutes/items/{item.pk}", {"text": "x"}),
            ("post", f"/meetings/{meeting.pk}/minutes/approve", {}),
        ]:
            assert send(client, method, path, data).status_code == 403, (method, path)
    assert AgendaItem.objects.get().minutes == "Both unions **refuse** the closures."
    assert not MinutesApproval.objects.exists()


def test_items_are_reordered_moved_and_removed(sam, host, owner_org, meeting, item):
    second = agenda.agenda_item_add(actor=sam, meeting=meeting, title="Pensions")
    shifted = send(
        host, "post", f"/meetings/{meeting.pk}/agenda/{second.pk}/shift", {"direction": "up"}
    )
    assert [i["title"] for i in shifted.json()] == ["Pensions", "Closures at the ABC plants"]
    later = plan(sam, owner_org, days=60, title="Second round")
    agenda.agenda_document_add(actor=sam, item=second, title="Plan", link="https://example.org/p")
    moved = send(
        host, "post", f"/meetings/{meeting.pk}/agenda/{second.pk}/move", {"meeting": later.pk}
    )
    assert moved.status_code == 200 and moved.json()["documents"][0]["title"] == "Plan"
    assert AgendaItem.objects.get(pk=second.pk).meeting == later
    backwards = send(
        host, "post", f"/meetings/{later.pk}/agenda/{second.pk}/move", {"meeting": meeting.pk}
    )
    assert backwards.status_code == 400 and "meeting" in backwards.json()["errors"]
    assert host.delete(f"{API}/meetings/{meeting.pk}/agenda/{item.pk}").status_code == 204
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_documents_are_links_or_checked_files(host, meeting, item, settings):
    settings.INTERNATIONALE_MAX_REQUEST_BYTES = 8 * 1024 * 1024
    path = f"{API}/meetings/{meeting.pk}/agenda/{item.pk}/documents"
    link = send(host, "post", path[len(API) :], {"title": "Plan", "link": "https://example.org/p"})
    assert link.status_code == 201 and link.json()["file_url"] is None
    good = host.post(path, {"title": "Notes", "file": SimpleUploadedFile("n.txt", b"Notes.\n")})
    assert good.status_code == 201 and good.json()["file_url"].endswith(
        f"/meetings/{meeting.pk}/agenda/documents/{good.json()['id']}/"
    )
    for upload, message in [
        (SimpleUploadedFile("x.html", b"<script>alert(1)</script>"), "This type of file is not"),
        (SimpleUploadedFile("big.pdf", b"%" * (DOCUMENT_MAX_BYTES + 1)), "The file is too large"),
    ]:
        refused = host.post(path, {"title": "Bad", "file": upload})
        assert refused.status_code == 400
        assert refused.json()["errors"]["file"][0].startswith(message)
    assert AgendaDocument.objects.count() == 2


def test_minutes_are_submitted_approved_once_and_frozen(host, guest, sam, meeting, item, other_org):
    second = OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    meeting.invitations.create(organization=second, status="accepted")
    assert (
        send(
            host, "patch", f"/meetings/{meeting.pk}/minutes/items/{item.pk}", {"text": "Agreed."}
        ).status_code
        == 200
    )
    deadline = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    submitted = send(host, "post", f"/meetings/{meeting.pk}/minutes/submit", {"deadline": deadline})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    first = send(guest, "post", f"/meetings/{meeting.pk}/minutes/approve")
    assert first.status_code == 200
    assert [o["slug"] for o in first.json()["awaiting"]] == ["miners-cl"]
    again = send(guest, "post", f"/meetings/{meeting.pk}/minutes/approve")
    assert again.status_code == 400 and "already approved" in again.json()["detail"]
    assert MinutesApproval.objects.count() == 1
    assert Minutes.objects.get().status == "submitted"


def test_an_organization_that_did_not_attend_may_not_approve_through_the_api(
    piet, dutch_org, meeting, submitted
):
    response = send(with_token(piet, dutch_org), "post", f"/meetings/{meeting.pk}/minutes/approve")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Dutch Port Union did not take part")
    assert not MinutesApproval.objects.exists()


def test_corrections_are_proposed_and_answered(host, guest, meeting, item, submitted):
    proposed = send(
        guest,
        "post",
        f"/meetings/{meeting.pk}/minutes/corrections",
        {"item": item.pk, "text": "Both unions refuse.", "reason": "Shorter."},
    )
    assert proposed.status_code == 201 and proposed.json()["status"] == "open"
    listed = guest.get(f"{API}/meetings/{meeting.pk}/minutes/corrections").json()
    assert listed["count"] == 1
    path = f"/meetings/{meeting.pk}/minutes/corrections/{proposed.json()['id']}/answer"
    no_reason = send(host, "post", path, {"answer": "reject"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    accepted = send(host, "post", path, {"answer": "accept"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert AgendaItem.objects.get().minutes == "Both unions refuse."


def test_frozen_minutes_refuse_every_change_through_the_api(
    host, kim, other_org, meeting, item, submitted
):
    minutes.minutes_approve(actor=kim, meeting=meeting, organization=other_org)
    assert Minutes.objects.get().status == "frozen"
    for method, path, data in [
        ("patch", f"/meetings/{meeting.pk}/minutes/items/{item.pk}", {"text": "Changed."}),
        ("patch", f"/meetings/{meeting.pk}/agenda/{item.pk}", {"title": "Changed"}),
        ("post", f"/meetings/{meeting.pk}/agenda", {"title": "New"}),
    ]:
        response = send(host, method, path, data)
        assert response.status_code == 400
        assert "minutes of this meeting are frozen" in response.json()["detail"]
    item.refresh_from_db()
    assert item.minutes == "Both unions **refuse** the closures." and item.title != "Changed"
    assert AgendaItem.objects.count() == 1


def test_the_endpoints_are_in_the_openapi_document():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in [
        "/api/v1/meetings/{pk}/agenda",
        "/api/v1/meetings/{pk}/agenda/{item}",
        "/api/v1/meetings/{pk}/agenda/{item}/documents",
        "/api/v1/meetings/{pk}/minutes",
        "/api/v1/meetings/{pk}/minutes/approve",
        "/api/v1/meetings/{pk}/minutes/corrections/{correction}/answer",
    ]:
        assert path in paths


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_the_last_two_approvals_at_the_same_moment_freeze_the_minutes_once(
    kim, meeting, submitted, other_org
):
    chile = OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    rosa = MembershipFactory(
        organization=chile, role="secretary", user=UserFactory(email="rosa@miners.example")
    ).user
    Invitation.objects.create(meeting=meeting, organization=chile, status="accepted")
    outcomes = concurrently(
        lambda: minutes.minutes_approve(actor=kim, meeting=meeting, organization=other_org),
        lambda: minutes.minutes_approve(actor=rosa, meeting=meeting, organization=chile),
    )
    assert all(isinstance(o, MinutesApproval) for o in outcomes), outcomes
    assert Minutes.objects.get(pk=submitted.pk).is_frozen
    assert Notice.objects.filter(kind="minutes.frozen").count() == 1
    assert AuditEntry.objects.filter(action="minutes.freeze").count() == 1


# Changes after the minutes are submitted ---------------------------------------------------------


def test_a_change_to_the_agenda_after_submission_asks_for_the_approvals_again_with_time_to_read(
    sam, kim, meeting, item, submitted, other_org, dutch_org
):
    # Both unions came; the Korean Dockworkers approve, two hours before the deadline.
    Invitation.objects.filter(meeting=meeting, organization=dutch_org).update(status="accepted")
    minutes.minutes_approve(actor=kim, meeting=meeting, organization=other_org)
    Minutes.objects.filter(pk=submitted.pk).update(
        approval_deadline=timezone.now() + datetime.timedelta(hours=2)
    )
    # The host then changes the agenda: the approval goes, and the deadline moves three days on.
    agenda.agenda_item_add(actor=sam, meeting=meeting, title="Any other business")
    submitted.refresh_from_db()
    assert submitted.approvals.count() == 0
    assert submitted.approval_deadline > timezone.now() + datetime.timedelta(days=2, hours=23)
    # The deadline task does not freeze what nobody had time to read.
    minutes.freeze_due_minutes.call()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_an_item_with_an_open_correction_is_neither_removed_nor_moved(
    sam, kim, owner_org, meeting, item, submitted, other_org
):
    later = plan(sam, owner_org, days=60, title="Plant closures, second round")
    empty = agenda.agenda_item_add(actor=sam, meeting=meeting, title="Pensions")
    minutes.correction_propose(
        actor=kim,
        meeting=meeting,
        organization=other_org,
        item=empty,
        text="The pension fund was not discussed.",
        reason="It was not reached.",
    )
    with pytest.raises(ValidationError) as removing:
        agenda.agenda_item_remove(actor=sam, item=empty)
    assert removing.value.code == "correction_open"
    with pytest.raises(ValidationError) as moving:
        agenda.agenda_item_move(actor=sam, item=empty, target=later)
    assert moving.value.code == "correction_open"
    assert AgendaItem.objects.filter(pk=empty.pk, meeting=meeting).exists()
    assert MinutesCorrection.objects.filter(item=empty, status="open").exists()
