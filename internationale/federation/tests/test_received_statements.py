"""Statements of other servers received here: an accepted remote organization's statement
addressed to an organization of this server becomes a statement its participants read on their
statements pages (read-only, its initiator marked with its home server); its new versions,
positions called, adoption and withdrawal follow it; the positions, signatures and amendments
this server's organizations make on it go back to its server as the activities that server
takes. Amendments of remote participants to a statement of this server are received as theirs.
Bad ones are refused with nothing changed."""

import json
from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.federation.models import Block, ReceivedActivity, ReceivedStatement
from internationale.notifications.models import InboxEntry
from internationale.statements.amendments import amendment_propose
from internationale.statements.consensus import position_state, signature_add
from internationale.statements.models import Amendment, Signature, Statement
from internationale.statements.services import statement_create
from internationale.statements.tests.matrix_world import PARAGRAPHS, deadlines

from .conftest import SITE, Remote

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"


def article(remote: Remote, number: int = 1, **fields: Any) -> dict[str, Any]:
    """A statement of the remote organization as its server (one of this platform's) sends it."""
    url = f"{remote.server.url}/statements/{number}/"
    until = deadlines()
    return {
        "id": url,
        "type": "Article",
        "attributedTo": remote.actor,
        "name": "Solidarity with the dockers of Rotterdam",
        "nameMap": {"en": "Solidarity with the dockers of Rotterdam"},
        "content": "".join(f"<p>{p}</p>" for p in PARAGRAPHS),
        "contentMap": {"en": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)},
        "url": url,
        "status": "drafting",
        "version": 1,
        "paragraphs": PARAGRAPHS,
        "amendmentsUntil": until["amendments_until"].isoformat(),
        "positionsUntil": until["positions_until"].isoformat(),
        "minAgree": 2,
        "to": [METAL],
        **fields,
    }


def send(client: Any, remote: Remote, kind: str, obj: Any, path: str = INBOX) -> Any:
    to = obj.get("to", [METAL]) if isinstance(obj, dict) else [METAL]
    return remote.post(client, path, remote.activity(kind, object=obj, to=to))


def copy_of(remote: Remote, number: int = 1) -> Statement:
    return ReceivedStatement.objects.get(url=f"{remote.server.url}/statements/{number}/").statement


def posted(remote: Remote) -> list[tuple[str, dict[str, Any]]]:
    return [(path, json.loads(body)) for path, _headers, body in remote.server.posted]


def test_a_statement_of_another_server_is_read_by_its_participant_here_and_edited_by_nobody(
    client, client_for, rotterdam, accepted, sam, kim, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, rotterdam, "Create", article(rotterdam))
    assert response.status_code == 202, response.content
    work_off()
    statement = copy_of(rotterdam)
    assert (statement.organization, statement.status, statement.language) == (
        accepted,
        "drafting",
        "en",
    )
    assert statement.current_version.paragraphs == PARAGRAPHS
    assert list(statement.participants.values_list("organization__slug", flat=True)) == ["metal-sp"]
    assert ReceivedActivity.objects.get().outcome == "statement_received"
    # The Metalworkers are told, and read it on their statements pages, marked with its server.
    assert InboxEntry.objects.filter(organization__slug="metal-sp").exists()
    host = rotterdam.server.url.removeprefix("http://")
    listed = client_for(sam).get("/statements/").content.decode()
    assert "Solidarity with the dockers of Rotterdam" in listed and f"from {host}" in listed
    page = client_for(sam).get(f"/statements/{statement.pk}/")
    assert page.status_code == 200 and PARAGRAPHS[1] in page.content.decode()
    # Another organization, and the public, do not; nobody here revises or withdraws it.
    assert client_for(kim).get(f"/statements/{statement.pk}/").status_code == 404
    assert client_for().get(f"/statements/{statement.pk}/").status_code == 404
    revise = client_for(sam).post(
        f"/statements/{statement.pk}/revise/", {"paragraphs": "Ours.", "note": "Better."}
    )
    assert revise.status_code in (403, 404)
    statement.refresh_from_db()
    assert statement.current_version.number == 1


def test_its_life_follows_it_and_the_position_stated_here_goes_back_to_its_server(
    client, rotterdam, accepted, owner_org, sam, work_off, django_capture_on_commit_callbacks
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    # A new version on its server, then positions called on it.
    changed = [*PARAGRAPHS[:2], "We call on every organization to act on 1 May."]
    second = article(rotterdam, version=2, paragraphs=changed)
    assert send(client, rotterdam, "Update", second).status_code == 202
    statement.refresh_from_db()
    assert (statement.current_version.number, statement.current_version.paragraphs) == (2, changed)
    called = article(rotterdam, version=2, paragraphs=changed, status="positions")
    called["positionsVersion"] = 2
    assert send(client, rotterdam, "Update", called).status_code == 202
    statement.refresh_from_db()
    assert statement.status == "positions"
    # The Metalworkers' secretary agrees with reservations: the activity of its stance goes to
    # the initiator's inbox alone, signed by the Metalworkers.
    rotterdam.server.posted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        position_state(
            actor=sam,
            statement=statement,
            organization=owner_org,
            stance="reservations",
            text="Paragraph 3 is too vague.",
        )
    work_off()
    [(path, activity)] = posted(rotterdam)
    assert path == "/users/havenbond/inbox"
    assert (activity["type"], activity["actor"], activity["to"]) == (
        "TentativeAccept",
        METAL,
        [rotterdam.actor],
    )
    assert activity["object"] == f"{rotterdam.server.url}/statements/1/"
    assert (activity["stance"], activity["content"], activity["version"]) == (
        "reservations",
        "Paragraph 3 is too vague.",
        2,
    )
    # Its own server never adopts it: the initiator states nothing here.
    statement.refresh_from_db()
    assert statement.status == "positions"
    # Adopted on its server, the Metalworkers among its signatories.
    adopted = article(rotterdam, version=2, paragraphs=changed, status="adopted")
    adopted.update(signatories=[rotterdam.actor, METAL])
    adopted["contentMap"]["pt-BR"] = "<p>Um.</p><p>Dois.</p><p>Três.</p>"
    adopted["nameMap"]["pt-BR"] = "Solidariedade"
    assert send(client, rotterdam, "Update", adopted).status_code == 202
    statement.refresh_from_db()
    assert (statement.status, statement.adopted_version().paragraphs) == ("adopted", changed)
    assert sorted(
        Signature.objects.filter(statement=statement).values_list("organization__slug", flat=True)
    ) == sorted([accepted.slug, "metal-sp"])
    assert statement.visibility == "addressed"
    texts = statement.language_versions.get(language="pt-BR").texts
    assert (texts["title"], texts["paragraph.3"]) == ("Solidariedade", "Três.")
    # The same again changes nothing.
    again = send(client, rotterdam, "Update", adopted)
    assert again.status_code == 202
    assert AuditEntry.objects.filter(action="statement.adopt").count() == 1


def test_an_adopted_statement_signs_here_only_the_participants_that_agreed_here(
    client, rotterdam, accepted, owner_org, other_org
):
    # Received adopted, its server naming as signatories the Metalworkers (taking part, but who
    # stated nothing here) and the Korean Dockworkers (never part of it): neither signs.
    adopted = article(rotterdam, status="adopted")
    docks = f"{SITE}/federation/actors/{other_org.slug}"
    adopted["signatories"] = [rotterdam.actor, METAL, docks]
    assert send(client, rotterdam, "Create", adopted).status_code == 202
    statement = copy_of(rotterdam)
    assert statement.status == "adopted"
    signed = Signature.objects.filter(statement=statement).values_list("organization", flat=True)
    assert list(signed) == [accepted.pk]
    assert owner_org.pk not in signed and other_org.pk not in signed


def test_the_same_statement_sent_to_another_organization_here_invites_it_too(
    client, rotterdam, accepted, other_org
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    # Sent again under another id: nothing changes.
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    assert statement.participants.count() == 1
    # To the dockworkers too (one Create per participant): one statement, two participants.
    docks = f"{SITE}/federation/actors/docks-kr"
    to_docks = article(rotterdam, to=[docks])
    response = send(client, rotterdam, "Create", to_docks, path="/federation/actors/docks-kr/inbox")
    assert response.status_code == 202, response.content
    assert Statement.objects.count() == 1 and ReceivedStatement.objects.count() == 1
    assert sorted(statement.participants.values_list("organization__slug", flat=True)) == [
        "docks-kr",
        "metal-sp",
    ]


def test_its_settings_changed_and_its_deletion_on_its_server_follow_it_here(
    client, rotterdam, accepted
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    later = deadlines(days=20)
    changed = article(
        rotterdam,
        name="Solidarity with the port workers",
        nameMap={"en": "Solidarity with the port workers"},
        amendmentsUntil=later["amendments_until"].isoformat(),
        positionsUntil=later["positions_until"].isoformat(),
        minAgree=3,
    )
    assert send(client, rotterdam, "Update", changed).status_code == 202
    statement = copy_of(rotterdam)
    assert (statement.title, statement.positions_until, statement.min_agree) == (
        "Solidarity with the port workers",
        later["positions_until"],
        3,
    )
    assert AuditEntry.objects.filter(action="statement.change").count() == 1
    gone = {"id": f"{rotterdam.server.url}/statements/1/", "type": "Tombstone"}
    assert send(client, rotterdam, "Delete", gone).status_code == 202
    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert not ReceivedStatement.objects.exists()


def test_a_signature_and_an_amendment_made_here_go_to_its_server(
    client, rotterdam, accepted, owner_org, sam, work_off, django_capture_on_commit_callbacks
):
    assert send(client, rotterdam, "Create", article(rotterdam, version=3)).status_code == 202
    statement = copy_of(rotterdam)
    rotterdam.server.posted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendment_propose(
            actor=sam,
            statement=statement,
            organization=owner_org,
            version=1,
            paragraph=2,
            kind="replace",
            text="We condemn the arrests at Santos and demand their release.",
            reason="Say what we demand.",
        )
    work_off()
    [(path, create)] = posted(rotterdam)
    note = create["object"]
    assert (path, create["type"], note["type"], note["inReplyTo"]) == (
        "/users/havenbond/inbox",
        "Create",
        "Note",
        f"{rotterdam.server.url}/statements/1/",
    )
    # The version its server numbers (3), not the copy's (1).
    assert note["amendment"] == {
        "kind": "replace",
        "paragraph": 2,
        "text": "We condemn the arrests at Santos and demand their release.",
        "version": 3,
    }
    assert note["source"]["content"] == "Say what we demand."
    # Adopted there with the Metalworkers silent; they sign afterwards here: a Join goes there.
    adopted = article(rotterdam, version=3, status="adopted", signatories=[rotterdam.actor])
    assert send(client, rotterdam, "Update", adopted).status_code == 202
    rotterdam.server.posted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signature_add(actor=sam, statement=copy_of(rotterdam), organization=owner_org)
    work_off()
    [(path, join)] = posted(rotterdam)
    assert (join["type"], join["actor"], join["object"]) == (
        "Join",
        METAL,
        f"{rotterdam.server.url}/statements/1/",
    )


def test_a_remote_participant_proposes_an_amendment_to_a_statement_of_this_server(
    client, rotterdam, accepted, owner_org, sam, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = statement_create(
            actor=sam,
            organization=owner_org,
            title="For the right to strike",
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[accepted.pk]),
            **deadlines(),
        )
    work_off()
    note = {
        "id": f"{rotterdam.server.url}/amendments/7/",
        "type": "Note",
        "attributedTo": rotterdam.actor,
        "inReplyTo": f"{SITE}/statements/{statement.pk}/",
        "content": "<p>Name the port.</p>",
        "amendment": {"kind": "replace", "paragraph": 3, "text": "Act at Rotterdam.", "version": 1},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, rotterdam, "Create", note)
    assert response.status_code == 202, response.content
    work_off()
    amendment = Amendment.objects.get()
    assert (amendment.organization, amendment.kind, amendment.paragraph) == (accepted, "replace", 3)
    assert (amendment.text, amendment.reason) == ("Act at Rotterdam.", "Name the port.")
    entry = AuditEntry.objects.get(action="amendment.propose")
    assert entry.organization == accepted
    assert InboxEntry.objects.about(amendment).filter(organization=owner_org).exists()
    assert ReceivedActivity.objects.get(activity_id__contains="activities").outcome == (
        "amendment_proposed"
    )


def _refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"] == code


def test_bad_statements_and_amendments_are_refused_with_nothing_changed(
    client, rotterdam, accepted, owner_org, other_org, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ours = statement_create(
            actor=sam,
            organization=owner_org,
            title="For the right to strike",
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[other_org.pk]),
            **deadlines(),
        )
    audited = AuditEntry.objects.count()

    def amendment(statement_url: str, **given: Any) -> dict[str, Any]:
        return {
            "id": f"{rotterdam.server.url}/amendments/7/",
            "type": "Note",
            "attributedTo": rotterdam.actor,
            "inReplyTo": statement_url,
            "content": "<p>Why.</p>",
            "amendment": {"kind": "replace", "paragraph": 1, "text": "New.", "version": 1, **given},
        }

    cases = [
        # Not addressed to any organization here.
        (article(rotterdam, to=[f"{rotterdam.actor}/followers"]), 422, "no_addressee"),
        # Claimed by another actor than its sender.
        (article(rotterdam, attributedTo=f"{rotterdam.actor}-other"), 403, "forged_origin"),
        (article(rotterdam, paragraphs=[]), 422, "no_text"),
        (article(rotterdam, amendmentsUntil="soon"), 422, "bad_deadline"),
        # An amendment to a statement that does not exist, or that it does not take part in.
        (amendment(f"{SITE}/statements/999999/"), 404, "unknown_statement"),
        (amendment(f"{SITE}/statements/{ours.pk}/"), 404, "unknown_statement"),
    ]
    for obj, status, code in cases:
        _refused(send(client, rotterdam, "Create", obj), status, code)
    # An Update of a statement never received here: recorded, nothing made.
    assert send(client, rotterdam, "Update", article(rotterdam, number=5)).status_code == 202
    assert not ReceivedStatement.objects.exists()
    assert Statement.objects.count() == 1 and not Amendment.objects.exists()
    assert AuditEntry.objects.count() == audited
    # From a blocked server: refused before anything is read.
    Block.objects.create(host=rotterdam.server.url.removeprefix("http://"), reason="Spam")
    _refused(send(client, rotterdam, "Create", article(rotterdam)), 403, "blocked")
    assert not ReceivedStatement.objects.exists() and Statement.objects.count() == 1
