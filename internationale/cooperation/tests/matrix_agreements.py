"""Permission-matrix cases for agreements, tasks, commitments and relation histories, pages and
API (see matrix.py). What they point at, built lazily from the shared world:

- `agreement_meeting`: a bilateral meeting hosted by the owning organization (Sam), over, for its
  participants only, which the other organization took part in;
- `agreement`: adopted there between the two;
- `task`: a pending task of the other organization (Kim and Kai act on it, Sam and Ana change it);
- `done_task`: a task of the other organization, done, with an evidence file.
"""

import datetime
import zoneinfo
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from internationale.cooperation.agreements import agreement_create, task_create
from internationale.cooperation.models import Invitation, Meeting, Task
from internationale.cooperation.services import meeting_create
from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

INVITED_SPEAKERS = ["kim", "kai"]
PARTICIPANTS = [*OWNERS, "kit", "kim", "kai"]


def built(w: Any) -> dict[str, Any]:
    if "agreement" in w.extra:
        return w.extra
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        kind="bilateral",
        title="Port campaign",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
    )
    # Held three days ago.
    held = timezone.now() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=held, end_at=held + datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    Invitation.objects.create(
        meeting=meeting, organization=w.other_org, status=Invitation.Status.ACCEPTED
    )
    adopted_on = held.astimezone(zoneinfo.ZoneInfo("America/Sao_Paulo")).date()
    agreement = agreement_create(
        actor=w.people["sam"],
        meeting=meeting,
        title="Joint leaflet",
        text="We print it together.",
        parties=[w.owner_org, w.other_org],
        adopted_on=adopted_on,
    )
    deadline = adopted_on + datetime.timedelta(days=30)
    task = task_create(
        actor=w.people["sam"],
        agreement=agreement,
        title="Translate the leaflet",
        organization=w.other_org,
        deadline=deadline,
    )
    done = task_create(
        actor=w.people["sam"],
        agreement=agreement,
        title="Print the leaflet",
        organization=w.other_org,
        deadline=deadline,
    )
    done.evidence_file.save("printed.txt", ContentFile(b"Printed 5000 copies.\n"), save=False)
    Task.objects.filter(pk=done.pk).update(
        status=Task.Status.DONE, evidence_file=done.evidence_file.name
    )
    w.extra.update(
        agreement_meeting=meeting,
        agreement=agreement,
        adopted_on=adopted_on,
        task=task,
        done_task=done,
    )
    return w.extra


def ref(name: str):  # type: ignore[no-untyped-def]
    return lambda w: built(w)[name].pk


def path(template: str, key: str = "task"):  # type: ignore[no-untyped-def]
    return lambda w: template.format(built(w)[key].pk)


def on_it(ok: int, allowed: list[str], anonymous: int = 302) -> dict[str, int]:
    """An action: `ok` for the allowed, 403 for the other participants, 404 for those who do not
    see it, `anonymous` for the anonymous visitor (302 to sign in, 401 on the API)."""
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in PARTICIPANTS})
    result.update({p: ok for p in allowed})
    result["anonymous"] = anonymous
    return result


SEEN = expect(PARTICIPANTS, 200, 404)
NOT_ALLOWED = expect([], 200, 405)
OWN_PEOPLE = expect(OWNERS, 200, 404, anonymous=302)


def _agreement_data(w: Any) -> dict[str, Any]:
    return {
        "title": "Second leaflet",
        "text": "And a poster.",
        "parties": [w.owner_org.slug, w.other_org.slug],
        "adopted_on": built(w)["adopted_on"].isoformat(),
    }


def _task_data(w: Any) -> dict[str, Any]:
    return {
        "title": "Distribute the leaflet",
        "organization": w.other_org.slug,
        "deadline": (built(w)["adopted_on"] + datetime.timedelta(days=10)).isoformat(),
    }


PAGES = [
    Case(
        "agreement_create",
        "GET",
        path("/meetings/{}/agreements/new/", "agreement_meeting"),
        on_it(200, OWNER_SPEAKERS),
    ),
    Case(
        "agreement_create",
        "POST",
        path("/meetings/{}/agreements/new/", "agreement_meeting"),
        on_it(302, OWNER_SPEAKERS),
        data=_agreement_data,
    ),
    Case("agreement_detail", "GET", path("/meetings/agreements/{}/", "agreement"), SEEN),
    Case("agreement_detail", "POST", path("/meetings/agreements/{}/", "agreement"), NOT_ALLOWED),
    Case(
        "task_create",
        "GET",
        path("/meetings/agreements/{}/tasks/new/", "agreement"),
        on_it(200, OWNER_SPEAKERS),
    ),
    Case(
        "task_create",
        "POST",
        path("/meetings/agreements/{}/tasks/new/", "agreement"),
        on_it(302, OWNER_SPEAKERS),
        data=_task_data,
    ),
    Case("task_detail", "GET", path("/meetings/tasks/{}/"), SEEN),
    Case("task_detail", "POST", path("/meetings/tasks/{}/"), NOT_ALLOWED),
    Case("task_edit", "GET", path("/meetings/tasks/{}/edit/"), on_it(200, OWNER_SPEAKERS)),
    Case(
        "task_edit",
        "POST",
        path("/meetings/tasks/{}/edit/"),
        on_it(302, OWNER_SPEAKERS),
        data=_task_data,
    ),
    Case("task_status", "GET", path("/meetings/tasks/{}/status/"), on_it(200, INVITED_SPEAKERS)),
    Case(
        "task_status",
        "POST",
        path("/meetings/tasks/{}/status/"),
        on_it(302, INVITED_SPEAKERS),
        data=lambda w: {"status": "in_progress"},
    ),
    Case("task_note", "GET", path("/meetings/tasks/{}/notes/"), NOT_ALLOWED),
    Case(
        "task_note",
        "POST",
        path("/meetings/tasks/{}/notes/"),
        on_it(302, INVITED_SPEAKERS),
        data=lambda w: {"text": "Half of it translated."},
    ),
    Case(
        "task_complete", "GET", path("/meetings/tasks/{}/complete/"), on_it(200, INVITED_SPEAKERS)
    ),
    Case(
        "task_complete",
        "POST",
        path("/meetings/tasks/{}/complete/"),
        on_it(302, INVITED_SPEAKERS),
        data=lambda w: {"evidence_text": "Translated."},
    ),
    Case("task_evidence", "GET", path("/meetings/tasks/{}/evidence/", "done_task"), SEEN),
    Case("task_evidence", "POST", path("/meetings/tasks/{}/evidence/", "done_task"), NOT_ALLOWED),
    Case(
        "commitments",
        "GET",
        lambda w: f"/meetings/commitments/{w.owner_org.slug}/",
        OWN_PEOPLE,
        note="the organization's people, whatever their role",
    ),
    Case(
        "commitments", "POST", lambda w: f"/meetings/commitments/{w.owner_org.slug}/", NOT_ALLOWED
    ),
    Case(
        "commitments_export",
        "GET",
        lambda w: f"/meetings/commitments/{w.owner_org.slug}/export.csv",
        OWN_PEOPLE,
    ),
    Case(
        "commitments_export",
        "POST",
        lambda w: f"/meetings/commitments/{w.owner_org.slug}/export.csv",
        NOT_ALLOWED,
    ),
    Case(
        "relation_history",
        "GET",
        lambda w: f"/meetings/relations/{w.owner_org.slug}/{w.other_org.slug}/",
        OWN_PEOPLE,
    ),
    Case(
        "relation_history",
        "POST",
        lambda w: f"/meetings/relations/{w.owner_org.slug}/{w.other_org.slug}/",
        NOT_ALLOWED,
    ),
]


def api(template: str, key: str = "task"):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(built(w)[key].pk)


API_SEEN = expect(PARTICIPANTS, 200, 404, anonymous=401)

API = [
    Case(
        "api:agreement_list", "GET", api("/meetings/{}/agreements", "agreement_meeting"), API_SEEN
    ),
    Case(
        "api:agreement_create",
        "POST",
        api("/meetings/{}/agreements", "agreement_meeting"),
        on_it(201, OWNER_SPEAKERS, 401),
        data=_agreement_data,
        json=True,
    ),
    Case("api:task_list", "GET", api("/agreements/{}/tasks", "agreement"), API_SEEN),
    Case(
        "api:task_create",
        "POST",
        api("/agreements/{}/tasks", "agreement"),
        on_it(201, OWNER_SPEAKERS, 401),
        data=_task_data,
        json=True,
    ),
    Case("api:task_detail", "GET", api("/tasks/{}"), API_SEEN),
    Case(
        "api:task_update",
        "PATCH",
        api("/tasks/{}"),
        on_it(200, OWNER_SPEAKERS, 401),
        data=lambda w: {"title": "Translate the leaflet into Korean"},
        json=True,
    ),
    Case(
        "api:task_status",
        "POST",
        api("/tasks/{}/status"),
        on_it(200, INVITED_SPEAKERS, 401),
        data=lambda w: {"status": "in_progress"},
        json=True,
    ),
    Case(
        "api:task_note",
        "POST",
        api("/tasks/{}/notes"),
        on_it(201, INVITED_SPEAKERS, 401),
        data=lambda w: {"text": "Half of it translated."},
        json=True,
    ),
    Case(
        "api:task_complete",
        "POST",
        api("/tasks/{}/complete"),
        on_it(200, INVITED_SPEAKERS, 401),
        data=lambda w: {"evidence_text": "Translated."},
        json=True,
    ),
    Case(
        "api:commitments",
        "GET",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/commitments",
        expect(OWNERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:relation_history",
        "GET",
        lambda w: (
            f"/api/v1/organizations/{built(w)['agreement'].meeting.organization.slug}"
            f"/relations/{w.other_org.slug}/history"
        ),
        expect(OWNERS, 200, 404, anonymous=401),
        note="as the page: the first organization's people, whatever their role",
    ),
]
