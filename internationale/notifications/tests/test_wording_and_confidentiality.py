"""Titles the platform words are read in each reader's language, falling back to the stored one;
the inbox puts the most urgent and the nearest deadline first, passed deadlines last.
(Appeals' own entries, and what stays out of e-mails: appeals/tests/test_notices.py.)"""

import datetime

from django.core import mail
from django.utils import timezone

from internationale.core.models import Urgency
from internationale.notifications.models import InboxEntry
from internationale.organizations.services import relation_propose

from .notices import notify

API = "/api/v1"


def test_a_proposed_relation_is_e_mailed_in_each_recipients_language(
    sam, ana, kim, owner_org, other_org, run_tasks, django_capture_on_commit_callbacks
):
    sam.language = "es"
    sam.save()
    ana.language = "fr"
    ana.save()
    with django_capture_on_commit_callbacks(execute=True):
        relation_propose(
            actor=kim, proposer=other_org, partner=owner_org, kind="fraternal", visibility="public"
        )
    run_tasks()

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "sam@metal.example": "[Metalworkers of São Paulo] Korean Dockworkers propone una relación",
        "ana@metal.example": "[Metalworkers of São Paulo] Korean Dockworkers propose une relation",
    }


def test_a_relation_that_is_not_public_is_e_mailed_without_naming_who_proposes_it(
    sam, kim, owner_org, other_org, run_tasks, django_capture_on_commit_callbacks
):
    sam.language = "es"
    sam.save()
    with django_capture_on_commit_callbacks(execute=True):
        relation_propose(actor=kim, proposer=other_org, partner=owner_org, kind="fraternal")
    run_tasks()

    [message] = mail.outbox
    assert message.subject == "[Metalworkers of São Paulo] Una relación propuesta"
    assert "Korean Dockworkers" not in message.body
    assert "/organizations/metal-sp/relations/" in message.body


def test_an_entry_whose_wording_is_unknown_shows_its_stored_title(owner_org, client_for, mo):
    InboxEntry.objects.create(
        organization=owner_org,
        kind="no.such.kind",
        title="Stored in the server's language",
        params={"x": 1},
    )
    page = client_for(mo).get("/inbox/metal-sp/").content.decode()
    assert "Stored in the server&#x27;s language" in page


def test_the_inbox_puts_urgency_first_then_the_nearest_deadline_and_passed_deadlines_last(
    owner_org, client_for, mo
):
    now = timezone.now()
    for title, urgency, days in [
        ("Urgent, no deadline", Urgency.URGENT, None),
        ("Urgent, in ten days", Urgency.URGENT, 10),
        ("Urgent, tomorrow", Urgency.URGENT, 1),
        ("Emergency, deadline passed", Urgency.EMERGENCY, -1),
        ("Routine, in two days", Urgency.ROUTINE, 2),
        ("Emergency, in a week", Urgency.EMERGENCY, 7),
    ]:
        notify(
            owner_org,
            title=title,
            urgency=urgency,
            deadline=now + datetime.timedelta(days=days) if days is not None else None,
        )

    body = client_for(mo).get(f"{API}/organizations/metal-sp/inbox").json()
    assert [e["title"] for e in body["items"]] == [
        "Emergency, in a week",
        "Urgent, tomorrow",
        "Urgent, in ten days",
        "Urgent, no deadline",
        "Routine, in two days",
        "Emergency, deadline passed",
    ]
    page = client_for(mo).get("/inbox/metal-sp/").content.decode()
    assert page.index("Emergency, in a week") < page.index("Urgent, tomorrow")
    assert page.index("Routine, in two days") < page.index("Emergency, deadline passed")
