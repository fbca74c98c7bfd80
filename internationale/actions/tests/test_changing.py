"""Changing the call after it was made, cancelling the day, and inviting co-callers later, through
the pages and the API. The Metalworkers of São Paulo (Sam speaks for them, Mo is a member) call;
the Korean Dockworkers (Kim speaks for them) are called; the Chilean Port Union is invited to
call it with them."""

import json

import pytest

from internationale.actions import services
from internationale.actions.models import CoCaller, DayOfAction
from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

from .world import day_fields


@pytest.fixture
def chilean(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Chilean Port Union", slug="ports-cl", country="CL")


@pytest.fixture
def called_day(sam, owner_org, other_org, chilean, django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        day = services.day_create(
            actor=sam, organization=owner_org, cocallers=[chilean], **day_fields()
        )
        services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    work_off()
    return day


def _api(client, method, path, body=None):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        "/api/v1" + path, data=json.dumps(body or {}), content_type="application/json"
    )


def test_the_callers_change_the_call_and_those_called_are_told(
    sam, called_day, other_org, chilean, client_for, django_capture_on_commit_callbacks, work_off
):
    client = client_for(sam)
    form = client.get(f"/days/{called_day.pk}/edit/")
    assert form.status_code == 200 and called_day.text in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/days/{called_day.pk}/edit/",
            {
                "title": "Global day at Meridian Freight, 1 May",
                "text": "Every site stops for an hour.",
                "demands": "Reinstate the organizers.\nRecognize the union.",
                "suggested_kinds": ["stoppage"],
            },
        )
    work_off()
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Every site stops for an hour." in page.text and "Recognize the union." in page.text
    called_day.refresh_from_db()
    assert called_day.suggested_kinds == ["stoppage"]
    assert called_day.date == day_fields()["date"]  # the date stays
    for organization in (other_org, chilean):
        entry = InboxEntry.objects.get(organization=organization, kind="day.changed")
        assert "1 May" in entry.title
    audit = AuditEntry.objects.get(action="day.change")
    assert set(audit.data["changed"]) == {"title", "text", "demands", "suggested_kinds"}


def test_a_bad_change_is_refused_and_changes_nothing(sam, mo, kim, called_day, client_for):
    before = called_day.title
    refused = client_for(sam).post(
        f"/days/{called_day.pk}/edit/",
        {"title": "", "text": "Still here.", "suggested_kinds": ["juggling"]},
    )
    assert refused.status_code == 200
    assert "This field is required." in refused.text
    assert "Select a valid choice." in refused.text
    # Members of the caller and speakers of a called organization may not change it.
    assert client_for(mo).get(f"/days/{called_day.pk}/edit/").status_code == 403
    assert client_for(kim).post(f"/days/{called_day.pk}/edit/", {"title": "x"}).status_code == 403
    called_day.refresh_from_db()
    assert called_day.title == before and called_day.text == day_fields()["text"]
    assert not AuditEntry.objects.filter(action="day.change").exists()


def test_cancelling_asks_first_then_tells_those_called_and_the_cocallers(
    sam, kim, called_day, other_org, chilean, client_for,
    django_capture_on_commit_callbacks, work_off,
):  # fmt: skip
    client = client_for(sam)
    page = client.get(f"/days/{called_day.pk}/")
    assert f"/days/{called_day.pk}/cancel/" in page.text
    confirm = client.get(f"/days/{called_day.pk}/cancel/")
    assert confirm.status_code == 200 and "Yes, cancel the day" in confirm.text
    assert "2 organizations called to it or calling it with you are told" in confirm.text
    called_day.refresh_from_db()
    assert called_day.status == DayOfAction.Status.CALLED  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/days/{called_day.pk}/cancel/", {"reason": "The company gave in: all reinstated."}
        )
    work_off()
    assert done.status_code == 302
    called_day.refresh_from_db()
    assert called_day.status == DayOfAction.Status.CANCELLED and called_day.cancelled_at
    for organization in (other_org, chilean):
        assert InboxEntry.objects.filter(organization=organization, kind="day.cancelled").exists()
    assert AuditEntry.objects.filter(action="day.cancel").count() == 1
    shown = client_for(kim).get(f"/days/{called_day.pk}/")
    assert "This day of action is cancelled." in shown.text
    assert "The company gave in: all reinstated." in shown.text
    # Nothing more is done on it: no second cancel, no change, no answer.
    again = client.get(f"/days/{called_day.pk}/cancel/", follow=True)
    assert "changed no more" in again.text
    assert f"/days/{called_day.pk}/edit/" not in shown.text
    answer = client_for(kim).post(f"/days/{called_day.pk}/answer/", {"kind": "will_act"})
    assert answer.status_code == 200 and "cancelled" in answer.text
    assert AuditEntry.objects.filter(action="day.cancel").count() == 1


def test_the_api_changes_and_cancels_a_day(sam, kim, called_day, other_org, client_for):
    client = client_for(sam)
    changed = _api(client, "patch", f"/days/{called_day.pk}", {"title": "A new title"})
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["title"] == "A new title" and body["text"] == day_fields()["text"]
    assert body["suggested_kinds"] == ["rally", "stoppage"]  # left out: kept
    bad = _api(client, "patch", f"/days/{called_day.pk}", {"title": "", "suggested_kinds": ["x"]})
    assert bad.status_code == 400 and {"title", "suggested_kinds.0"} <= set(bad.json()["errors"])
    assert (
        _api(client_for(kim), "patch", f"/days/{called_day.pk}", {"title": "x"}).status_code == 403
    )
    assert _api(client_for(kim), "post", f"/days/{called_day.pk}/cancel").status_code == 403
    called_day.refresh_from_db()
    assert called_day.title == "A new title" and called_day.status == "called"
    long = _api(client, "post", f"/days/{called_day.pk}/cancel", {"reason": "x" * 2001})
    assert long.status_code == 400 and "reason" in long.json()["errors"]
    cancelled = _api(client, "post", f"/days/{called_day.pk}/cancel", {"reason": "Won."})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = _api(client, "post", f"/days/{called_day.pk}/cancel")
    assert again.status_code == 400
    late = _api(client, "patch", f"/days/{called_day.pk}", {"title": "Too late"})
    assert late.status_code == 400
    called_day.refresh_from_db()
    assert called_day.title == "A new title" and called_day.cancel_reason == "Won."


def test_the_callers_invite_cocallers_after_the_day_is_made(
    sam, mo, called_day, chilean, client_for, django_capture_on_commit_callbacks, work_off
):
    dutch = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    form = client.get(f"/days/{called_day.pk}/invite/")
    assert form.status_code == 200 and "Chilean Port Union" in form.text  # invited already
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/days/{called_day.pk}/invite/", {"cocallers": "Dutch Port Union"})
    work_off()
    assert done.status_code == 302
    assert CoCaller.objects.get(day=called_day, organization=dutch).status == "invited"
    assert InboxEntry.objects.filter(organization=dutch, kind="day.cocall_invited").exists()
    # Inviting again those invited already is refused, on the form.
    again = client.post(f"/days/{called_day.pk}/invite/", {"cocallers": "Chilean Port Union"})
    assert again.status_code == 200 and "not invited already" in again.text
    unknown = client.post(f"/days/{called_day.pk}/invite/", {"cocallers": "Nobody at all"})
    assert unknown.status_code == 200 and "Nobody at all" in unknown.text
    assert (
        client_for(mo)
        .post(f"/days/{called_day.pk}/invite/", {"cocallers": "Dutch Port Union"})
        .status_code
        == 403
    )
    assert CoCaller.objects.filter(day=called_day).count() == 2


def test_the_api_invites_cocallers(sam, kim, called_day, chilean, client_for):
    dutch = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    path = f"/days/{called_day.pk}/cocallers"
    invited = _api(client, "post", path, {"cocallers": [dutch.slug]})
    assert invited.status_code == 201
    assert [r["organization"]["slug"] for r in invited.json()] == [dutch.slug]
    assert _api(client, "post", path, {"cocallers": [chilean.slug]}).status_code == 400
    unknown = _api(client, "post", path, {"cocallers": ["nowhere"]})
    assert unknown.status_code == 400 and "cocallers" in unknown.json()["errors"]
    assert _api(client, "post", path, {"cocallers": []}).status_code == 400
    assert _api(client_for(kim), "post", path, {"cocallers": [dutch.slug]}).status_code == 403
    assert CoCaller.objects.filter(day=called_day).count() == 2
