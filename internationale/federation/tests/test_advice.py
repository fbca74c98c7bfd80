"""Advice across servers: advice given to a remote organization reaches its own inbox alone as
the `Create` of a `Note`; its `Accept`, `TentativeAccept` or `Reject` of that note is its answer,
as a local organization's would be; what it may not answer is refused with its reason and nothing
changed."""

from typing import Any

import pytest

from internationale.core.models import AuditEntry
from internationale.federation.keys import current_key
from internationale.federation.models import Block, ReceivedActivity
from internationale.federation.signatures import verify
from internationale.statements.advice import advice_give
from internationale.statements.models import Advice

from .conftest import SITE, sent_to, taken_as_blocked

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"


@pytest.fixture
def advised(  # type: ignore[no-untyped-def]
    client_for, sam, owner_org, accepted, work_off, django_capture_on_commit_callbacks
) -> Advice:
    """The Metalworkers' advice to Rotterdam, given on its page, delivered."""
    form = {
        "sender": owner_org.pk,
        "receiver": accepted.slug,
        "subject": "Talking to Maersk's European works council",
        "text": "Ask the **works council** for the closure plans first.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post("/statements/advice/new/", form)
        assert response.status_code == 302
    work_off()
    return Advice.objects.get()


def advice_url(advice: Advice) -> str:
    return f"{SITE}/statements/advice/{advice.pk}/"


def test_advice_given_to_a_remote_organization_reaches_its_inbox_alone_as_a_note(
    advised, rotterdam, owner_org
):
    sent = sent_to(rotterdam)
    assert [activity["type"] for _p, _h, activity in sent] == ["Create"]
    path, headers, create = sent[0]
    assert path == "/users/havenbond/inbox"
    assert (create["actor"], create["to"]) == (METAL, [rotterdam.actor])
    assert "cc" not in create
    verify(
        method="POST",
        url=rotterdam.server.url + path,
        headers=headers,
        body=rotterdam.server.posted[0][2],
        public_key_pem=current_key(owner_org).public_key_pem,
    )
    note = create["object"]
    assert (note["type"], note["id"], note["to"]) == (
        "Note",
        advice_url(advised),
        [rotterdam.actor],
    )
    assert "cc" not in note
    assert note["name"] == "Talking to Maersk's European works council"
    assert "<strong>works council</strong>" in note["content"]
    assert note["source"]["content"] == advised.text


def _answer(remote: Any, kind: str, advice: Advice, **extra: Any) -> dict[str, Any]:
    return remote.activity(kind, object=advice_url(advice), **extra)


def test_a_remote_organization_answers_advice_as_a_local_one_would(
    client, advised, rotterdam, accepted
):
    accept = _answer(rotterdam, "Accept", advised, content="We wrote to them today.")
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    advised.refresh_from_db()
    assert (advised.answer, advised.answer_reason) == ("accepted", "We wrote to them today.")
    entry = AuditEntry.objects.get(action="advice.answer")
    assert entry.acting_for == accepted and entry.data["remote_actor"] == rotterdam.actor
    assert ReceivedActivity.objects.get(activity_id=accept["id"]).outcome == "advice_accepted"
    for kind, extra, answer in [
        ("TentativeAccept", {}, "partly"),
        ("Reject", {"content": "The council is the employer's."}, "rejected"),
        ("TentativeAccept", {"answer": "considering"}, "considering"),
    ]:
        answered = rotterdam.post(client, INBOX, _answer(rotterdam, kind, advised, **extra))
        assert answered.status_code == 202, answered.content
        advised.refresh_from_db()
        assert advised.answer == answer, kind
    assert AuditEntry.objects.filter(action="advice.answer").count() == 4


def test_what_a_remote_organization_may_not_answer_is_refused_and_changes_nothing(
    client, advised, rotterdam, sam, owner_org, other_org
):
    elsewhere = advice_give(
        actor=sam, sender=owner_org, receiver=other_org, subject="Ports", text="Organise."
    )
    cases = [
        (_answer(rotterdam, "Accept", elsewhere), 404, "unknown_advice"),
        (
            rotterdam.activity("Accept", object=f"{SITE}/statements/advice/999999/"),
            404,
            "unknown_advice",
        ),
        (_answer(rotterdam, "Accept", advised, answer="bribes"), 422, "invalid_answer"),
        (_answer(rotterdam, "Reject", advised, content="x" * 5001), 422, "too_long"),
        (
            _answer(rotterdam, "Accept", advised, id="https://elsewhere.example/activities/1"),
            403,
            "forged_origin",
        ),
    ]
    for activity, status, code in cases:
        response = rotterdam.post(client, INBOX, activity)
        assert (response.status_code, response.json()["error"]) == (status, code), activity
    assert not Advice.objects.exclude(answer="considering").exists()
    assert not ReceivedActivity.objects.exists()
    assert not AuditEntry.objects.filter(action="advice.answer").exists()
    accept = _answer(rotterdam, "Accept", advised)
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    again = rotterdam.post(client, INBOX, accept)
    assert (again.status_code, again.json()["error"]) == (409, "replayed")
    assert AuditEntry.objects.filter(action="advice.answer").count() == 1


def test_a_remote_organization_blocked_by_the_adviser_answers_through_the_shared_inbox_to_no_effect(
    client, advised, rotterdam, accepted, owner_org
):
    host = rotterdam.server.url.removeprefix("http://")
    Block.objects.create(organization=owner_org, host=host)
    accept = _answer(rotterdam, "Accept", advised, content="We wrote to them today.")

    response = rotterdam.post(client, "/federation/inbox", accept)

    taken_as_blocked(response, owner_org)
    advised.refresh_from_db()
    assert (advised.answer, advised.answered_at) == ("considering", None)
