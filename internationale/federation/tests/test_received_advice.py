"""Advice of other servers received here: a remote organization's advice to one of this server's
organizations (the `Create` of a `Note` with a subject, as this platform's advice.py sends it)
is advice that organization finds on its advice page and answers; its answer goes back to the
sender's inbox alone as the `Accept`, `TentativeAccept` or `Reject` of the `Note`; what may not
be taken is refused with its reason and nothing changed."""

import uuid
from typing import Any

import pytest

from internationale.federation.models import Block, ReceivedContent
from internationale.statements.models import Advice

from .conftest import SITE, sent_to, taken_as_blocked

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"


def note(remote: Any, *, to: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    """Rotterdam's advice, as this platform's advice.note makes it."""
    url = f"{remote.server.url}/statements/advice/{uuid.uuid4().int % 10_000}/"
    document = {
        "id": url,
        "type": "Note",
        "attributedTo": remote.actor,
        "name": "Talk to the works council first",
        "summary": "Talk to the works council first",
        "content": "<p>Ask the <strong>works council</strong> for the plans.</p>",
        "mediaType": "text/html",
        "source": {
            "content": "Ask the **works council** for the plans.",
            "mediaType": "text/markdown",
        },
        "url": url,
        "to": to if to is not None else [METAL],
    }
    document.update(fields)
    return document


def create(remote: Any, obj: dict[str, Any]) -> dict[str, Any]:
    return remote.activity("Create", object=obj, to=obj["to"])


def test_advice_from_another_server_is_answered_here_and_the_answer_goes_back(
    client,
    client_for,
    rotterdam,
    accepted,
    owner_org,
    sam,
    work_off,
    django_capture_on_commit_callbacks,
):
    obj = note(rotterdam)
    assert rotterdam.post(client, INBOX, create(rotterdam, obj)).status_code == 202
    advice = Advice.objects.get()
    assert (advice.sender, advice.receiver, advice.subject) == (
        accepted,
        owner_org,
        "Talk to the works council first",
    )
    assert advice.text == "Ask the **works council** for the plans."
    assert advice.answer == Advice.Answer.CONSIDERING
    # On the organization's advice page, marked with its sender's home server.
    page = client_for(sam).get(f"/statements/advice/{advice.pk}/").content.decode()
    assert "Talk to the works council first" in page and "Havenbond Rotterdam" in page
    assert rotterdam.server.url.removeprefix("http://") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            f"/statements/advice/{advice.pk}/answer/",
            {"answer": "partly", "reason": "The council is split."},
        )
    assert response.status_code == 302
    work_off()
    answers = [a for _p, _h, a in sent_to(rotterdam)]
    assert [a["type"] for a in answers] == ["TentativeAccept"]
    sent = answers[0]
    assert (sent["actor"], sent["object"], sent["to"]) == (METAL, obj["id"], [rotterdam.actor])
    assert (sent["answer"], sent["content"]) == ("partly", "The council is split.")
    assert sent_to(rotterdam)[0][0] == "/users/havenbond/inbox"
    # The same advice again changes nothing.
    assert rotterdam.post(client, INBOX, create(rotterdam, obj)).status_code == 202
    assert Advice.objects.count() == 1


def test_a_note_without_a_subject_is_not_advice(client, rotterdam, accepted, owner_org):
    message = note(rotterdam)
    del message["name"]
    assert rotterdam.post(client, INBOX, create(rotterdam, message)).status_code == 202
    assert not Advice.objects.exists()


def test_what_cannot_be_taken_of_remote_advice_is_refused_and_changes_nothing(
    client, rotterdam, accepted, owner_org
):
    elsewhere = note(rotterdam, to=["https://elsewhere.example/users/someone"])
    forged = note(rotterdam, attributedTo="https://elsewhere.example/users/someone")
    too_long = note(rotterdam, source={"content": "x" * 30_000, "mediaType": "text/markdown"})
    cases = [
        (create(rotterdam, elsewhere), 422, "no_addressee"),
        (create(rotterdam, forged), 403, "forged_origin"),
        (create(rotterdam, too_long), 422, "too_long"),
    ]
    for activity, status, code in cases:
        response = rotterdam.post(client, INBOX, activity)
        assert (response.status_code, response.json()["error"]) == (status, code), activity
    # From a server an organization blocked: answered as delivered, nothing made.
    host = rotterdam.server.url.removeprefix("http://")
    Block.objects.create(organization=owner_org, host=host)
    taken_as_blocked(rotterdam.post(client, INBOX, create(rotterdam, note(rotterdam))), owner_org)
    assert not Advice.objects.exists()
    assert not ReceivedContent.objects.exists()
