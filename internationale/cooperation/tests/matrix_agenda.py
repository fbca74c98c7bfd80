"""Permission-matrix cases for the agenda and minutes of a meeting, pages (`PAGE_CASES`, in
matrix.py) and API (`API_CASES`, in matrix_api.py).

What they point at, built lazily in `w.extra` from the shared world: a meeting hosted by the owning
organization (Sam), which the other organization accepted (Kit its delegate); two agenda items,
the first with minutes, a link and a file; minutes submitted for approval, with a correction by
the other organization open; a later meeting of the same host, where an item can go.
"""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation import agenda, minutes
from internationale.cooperation.services import invitation_accept, meeting_create, meeting_invite
from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect
from internationale.organizations.models import Membership

from .matrix import INVITED, INVITED_SPEAKERS, on_meeting, statuses


def built(w: Any) -> dict[str, Any]:
    if "agenda_meeting" in w.extra:
        return w.extra
    sam, kim = w.people["sam"], w.people["kim"]
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)

    def plan(title: str, days: int = 0) -> Any:
        return meeting_create(
            actor=sam,
            organization=w.owner_org,
            kind="bilateral",
            title=title,
            start=start + datetime.timedelta(days=days),
            end=start + datetime.timedelta(days=days, hours=3),
            time_zone="America/Sao_Paulo",
        )

    meeting = plan("Port automation")
    later = plan("Port automation, follow-up", days=30)
    meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[w.other_org.pk]))
    invitation_accept(
        actor=kim,
        meeting=meeting,
        organization=w.other_org,
        delegates=[Membership.objects.get(user=w.people["kit"]).pk],
    )
    first = agenda.agenda_item_add(
        actor=sam, meeting=meeting, title="Cranes", rapporteur=w.other_org
    )
    second = agenda.agenda_item_add(actor=sam, meeting=meeting, title="Shifts")
    link = agenda.agenda_document_add(
        actor=sam, item=first, title="Report", link="https://docs.example.org/cranes"
    )
    upload = SimpleUploadedFile("notes.txt", b"Crane automation notes.\n", "text/plain")
    file = agenda.agenda_document_add(actor=sam, item=first, title="Notes", file=upload)
    minutes.minutes_record(actor=sam, item=first, text="We agreed to **compare** contracts.")
    minutes.minutes_submit(
        actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=40)
    )
    correction = minutes.correction_propose(
        actor=kim,
        meeting=meeting,
        organization=w.other_org,
        item=first,
        text="We agreed to compare contracts by June.",
        reason="The date was agreed.",
    )
    w.extra.update(
        agenda_meeting=meeting,
        later=later,
        first=first,
        second=second,
        link=link,
        file=file,
        correction=correction,
    )
    return w.extra


def page(template: str):  # type: ignore[no-untyped-def]
    return lambda w: template.format(**{k: getattr(v, "pk", v) for k, v in built(w).items()})


def api(template: str):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + page(template)(w)


PARTICIPANTS = [*OWNERS, *INVITED]
SEEN = statuses(404, anonymous=404, **{p: 200 for p in PARTICIPANTS})
NO_POST = expect([], 200, 405)
M = "/meetings/{agenda_meeting}"


def item_form(w: Any) -> dict[str, Any]:
    return {"title": "Health and safety", "rapporteur": w.other_org.slug}


def correction_form(w: Any) -> dict[str, Any]:
    return {
        "organization": w.other_org.slug,
        "item": built(w)["first"].pk,
        "text": "We agreed to compare contracts this year.",
        "reason": "The year was agreed.",
    }


PAGE_CASES = [
    Case("agenda_item_add", "GET", page(M + "/agenda/new/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "agenda_item_add",
        "POST",
        page(M + "/agenda/new/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=item_form,
    ),
    Case(
        "agenda_item_edit",
        "GET",
        page(M + "/agenda/{first}/edit/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "agenda_item_edit",
        "POST",
        page(M + "/agenda/{first}/edit/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=item_form,
    ),
    Case(
        "agenda_item_remove",
        "GET",
        page(M + "/agenda/{second}/remove/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "agenda_item_remove",
        "POST",
        page(M + "/agenda/{second}/remove/"),
        on_meeting(302, OWNER_SPEAKERS),
    ),
    Case("agenda_item_shift", "GET", page(M + "/agenda/{second}/shift/"), NO_POST),
    Case(
        "agenda_item_shift",
        "POST",
        page(M + "/agenda/{second}/shift/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"direction": "up"},
    ),
    Case(
        "agenda_item_move",
        "GET",
        page(M + "/agenda/{second}/move/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "agenda_item_move",
        "POST",
        page(M + "/agenda/{second}/move/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"meeting": built(w)["later"].pk},
    ),
    Case(
        "agenda_document_add",
        "GET",
        page(M + "/agenda/{first}/documents/new/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "agenda_document_add",
        "POST",
        page(M + "/agenda/{first}/documents/new/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"title": "Agreement", "link": "https://docs.example.org/agreement"},
    ),
    Case("agenda_document_file", "GET", page(M + "/agenda/documents/{file}/"), SEEN),
    Case("agenda_document_file", "POST", page(M + "/agenda/documents/{file}/"), NO_POST),
    Case(
        "agenda_document_remove",
        "GET",
        page(M + "/agenda/documents/{link}/remove/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "agenda_document_remove",
        "POST",
        page(M + "/agenda/documents/{link}/remove/"),
        on_meeting(302, OWNER_SPEAKERS),
    ),
    Case("minutes_detail", "GET", page(M + "/minutes/"), SEEN),
    Case("minutes_detail", "POST", page(M + "/minutes/"), NO_POST),
    Case(
        "minutes_edit", "GET", page(M + "/minutes/{first}/edit/"), on_meeting(200, OWNER_SPEAKERS)
    ),
    Case(
        "minutes_edit",
        "POST",
        page(M + "/minutes/{first}/edit/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"text": "We agreed to compare contracts."},
    ),
    Case("minutes_submit", "GET", page(M + "/minutes/submit/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "minutes_submit",
        "POST",
        page(M + "/minutes/submit/"),
        on_meeting(200, OWNER_SPEAKERS),
        data=lambda w: {"deadline": "2031-01-10T12:00"},
        note="submitted already: the form says so (200)",
    ),
    Case(
        "minutes_approve", "GET", page(M + "/minutes/approve/"), on_meeting(200, INVITED_SPEAKERS)
    ),
    Case(
        "minutes_approve",
        "POST",
        page(M + "/minutes/approve/"),
        on_meeting(302, INVITED_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug},
    ),
    Case(
        "minutes_correction_propose",
        "GET",
        page(M + "/minutes/corrections/new/"),
        on_meeting(200, INVITED_SPEAKERS),
    ),
    Case(
        "minutes_correction_propose",
        "POST",
        page(M + "/minutes/corrections/new/"),
        on_meeting(302, INVITED_SPEAKERS),
        data=correction_form,
    ),
    Case(
        "minutes_correction_answer",
        "GET",
        page(M + "/minutes/corrections/{correction}/answer/"),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "minutes_correction_answer",
        "POST",
        page(M + "/minutes/corrections/{correction}/answer/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"answer": "reject", "reason": "No date was agreed."},
    ),
]


def on_api(ok: int, allowed: list[str]) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in PARTICIPANTS})
    result["anonymous"] = 401
    result.update({p: ok for p in allowed})
    return result


API_SEEN = expect(PARTICIPANTS, 200, 404, anonymous=401)

API_CASES = [
    Case("api:agenda_list", "GET", api(M + "/agenda"), API_SEEN),
    Case(
        "api:agenda_item_create",
        "POST",
        api(M + "/agenda"),
        on_api(201, OWNER_SPEAKERS),
        data=item_form,
        json=True,
    ),
    Case("api:agenda_item_detail", "GET", api(M + "/agenda/{first}"), API_SEEN),
    Case(
        "api:agenda_item_update",
        "PATCH",
        api(M + "/agenda/{first}"),
        on_api(200, OWNER_SPEAKERS),
        data=lambda w: {"title": "Cranes and automation"},
        json=True,
    ),
    Case(
        "api:agenda_item_delete",
        "DELETE",
        api(M + "/agenda/{second}"),
        on_api(204, OWNER_SPEAKERS),
    ),
    Case(
        "api:agenda_item_shift",
        "POST",
        api(M + "/agenda/{second}/shift"),
        on_api(200, OWNER_SPEAKERS),
        data=lambda w: {"direction": "up"},
        json=True,
    ),
    Case(
        "api:agenda_item_move",
        "POST",
        api(M + "/agenda/{second}/move"),
        on_api(200, OWNER_SPEAKERS),
        data=lambda w: {"meeting": built(w)["later"].pk},
        json=True,
    ),
    Case(
        "api:agenda_document_create",
        "POST",
        api(M + "/agenda/{first}/documents"),
        on_api(201, OWNER_SPEAKERS),
        data=lambda w: {"title": "Agreement", "link": "https://docs.example.org/agreement"},
        json=True,
    ),
    Case(
        "api:agenda_document_delete",
        "DELETE",
        api(M + "/agenda/{first}/documents/{link}"),
        on_api(204, OWNER_SPEAKERS),
    ),
    Case("api:minutes_detail", "GET", api(M + "/minutes"), API_SEEN),
    Case(
        "api:minutes_item_update",
        "PATCH",
        api(M + "/minutes/items/{first}"),
        on_api(200, OWNER_SPEAKERS),
        data=lambda w: {"text": "We agreed to compare contracts."},
        json=True,
    ),
    Case(
        "api:minutes_submit",
        "POST",
        api(M + "/minutes/submit"),
        on_api(400, OWNER_SPEAKERS),
        data=lambda w: {"deadline": "2031-01-10T12:00:00"},
        json=True,
        note="submitted already: 400",
    ),
    Case(
        "api:minutes_approve",
        "POST",
        api(M + "/minutes/approve"),
        on_api(200, INVITED_SPEAKERS),
        data=lambda w: {},
        json=True,
    ),
    Case("api:minutes_correction_list", "GET", api(M + "/minutes/corrections"), API_SEEN),
    Case(
        "api:minutes_correction_create",
        "POST",
        api(M + "/minutes/corrections"),
        on_api(201, INVITED_SPEAKERS),
        data=lambda w: {k: v for k, v in correction_form(w).items() if k != "organization"},
        json=True,
    ),
    Case(
        "api:minutes_correction_answer",
        "POST",
        api(M + "/minutes/corrections/{correction}/answer"),
        on_api(200, OWNER_SPEAKERS),
        data=lambda w: {"answer": "reject", "reason": "No date was agreed."},
        json=True,
    ),
]

# In several languages (languages.py): the same answers whatever the language asked for, and asking
# for a translation of the meeting is for those who see it.
PAGE_CASES += [
    Case("meeting_detail", "GET", page(M + "/?lang=en"), SEEN, note="in English"),
    Case("meeting_detail", "GET", page(M + "/?lang=en&original=1"), SEEN, note="the original"),
    Case("minutes_detail", "GET", page(M + "/minutes/?lang=en"), SEEN, note="in English"),
    Case(
        "translation_ask",
        "POST",
        lambda w: "/translations/ask/",
        expect(PARTICIPANTS, 302, 404, anonymous=302),
        data=lambda w: {
            "content": "cooperation.meeting",
            "id": built(w)["agenda_meeting"].pk,
            "language": "fr",
        },
        note="a meeting: its participants only",
    ),
]
API_CASES += [
    Case("api:meeting_detail", "GET", api(M + "?lang=en"), API_SEEN, note="in English"),
    Case("api:agenda_list", "GET", api(M + "/agenda?lang=en"), API_SEEN, note="in English"),
    Case("api:minutes_detail", "GET", api(M + "/minutes?lang=en"), API_SEEN, note="in English"),
]
