"""A received statement follows each step its server takes as that server took it: positions
called again on the same version, a new version's own title, deadlines already passed there,
the note of a new version in the statement's own language, its deletion, the initiator's
decision on an amendment proposed from here (and, the other way, a decision here on a remote
participant's amendment goes to its server)."""

import datetime

import pytest
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.federation.blocks import block_add
from internationale.federation.models import ReceivedActivity, ReceivedStatement
from internationale.statements.amendments import amendment_decide, amendment_propose
from internationale.statements.consensus import position_state
from internationale.statements.models import Amendment, Position, Signature, Statement, Version
from internationale.statements.services import statement_create
from internationale.statements.tests.matrix_world import PARAGRAPHS, deadlines

from .conftest import SITE
from .test_received_statements import INBOX, METAL, article, copy_of, posted, send

pytestmark = pytest.mark.django_db

CHANGED = [*PARAGRAPHS[:2], "We call on every organization to act on 1 May."]


def called(rotterdam, until: datetime.datetime, **fields) -> dict:
    obj = article(rotterdam, status="positions", positionsUntil=until.isoformat(), **fields)
    obj["positionsVersion"] = obj["version"]
    return obj


def test_positions_called_again_on_the_same_version_there_are_called_again_here(
    client, rotterdam, accepted, owner_org
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    first = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, first)).status_code == 202
    statement = copy_of(rotterdam)
    assert (statement.status, statement.positions_until) == ("positions", first)
    # Its initiator calls them again on version 1, giving more time: the copy's deadline moves
    # and the call is made again here (audited, its participants asked again).
    later = first + datetime.timedelta(days=7)
    assert send(client, rotterdam, "Update", called(rotterdam, later)).status_code == 202
    statement.refresh_from_db()
    assert (statement.status, statement.positions_until) == ("positions", later)
    assert AuditEntry.objects.filter(action="statement.positions_call").count() == 2
    # The same call again changes nothing.
    assert send(client, rotterdam, "Update", called(rotterdam, later)).status_code == 202
    assert AuditEntry.objects.filter(action="statement.positions_call").count() == 2


def test_a_new_version_made_there_after_positions_were_called_takes_its_own_title(
    client, rotterdam, accepted
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    # A block there: its initiator drafts version 2 under another title.
    title = "Solidarity with the port workers of Rotterdam"
    second = article(rotterdam, version=2, paragraphs=CHANGED, name=title, nameMap={"en": title})
    assert send(client, rotterdam, "Update", second).status_code == 202
    statement = copy_of(rotterdam)
    version = statement.current_version
    assert (version.number, version.paragraphs, version.title) == (2, CHANGED, title)
    assert statement.title == title
    assert Version.objects.get(statement=statement, number=1).title != title


def test_deadlines_already_passed_on_its_server_are_passed_here(
    client, rotterdam, accepted, owner_org, sam
):
    # Received late: its amendments closed there an hour ago.
    now = timezone.now()
    closed = now - datetime.timedelta(hours=1)
    positions = now + datetime.timedelta(days=5)
    late = article(
        rotterdam, amendmentsUntil=closed.isoformat(), positionsUntil=positions.isoformat()
    )
    assert send(client, rotterdam, "Create", late).status_code == 202
    statement = copy_of(rotterdam)
    assert (statement.amendments_until, statement.positions_until) == (closed, positions)
    # Nobody here proposes an amendment after its server closed them.
    with pytest.raises(Exception) as refused:
        amendment_propose(
            actor=sam,
            statement=statement,
            organization=owner_org,
            version=1,
            paragraph=1,
            kind="replace",
            text="Too late.",
            reason="Late.",
        )
    assert "amend" in str(refused.value).lower() or "deadline" in str(refused.value).lower()
    # Positions called there with a deadline that passed before the call reached here.
    passed = now - datetime.timedelta(minutes=5)
    assert send(client, rotterdam, "Update", called(rotterdam, passed)).status_code == 202
    statement.refresh_from_db()
    assert (statement.status, statement.positions_until) == ("positions", passed)
    assert statement.amendments_until <= passed


def test_the_note_of_a_new_version_is_in_the_statements_language_not_the_requests(
    client, rotterdam, accepted
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    # The version arrives with a request that prefers French: the note stays in English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    second = article(rotterdam, version=2, paragraphs=CHANGED)
    assert send(client, rotterdam, "Update", second).status_code == 202
    assert copy_of(rotterdam).current_version.note == "Version 2 on its server."
    # A statement drafted in French has its notes in French, whatever the request's language.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    texte = ["Premier paragraphe.", "Deuxième paragraphe."]
    french = article(
        rotterdam,
        number=2,
        name="Solidarité",
        nameMap={"fr": "Solidarité"},
        contentMap={"fr": "<p>Premier paragraphe.</p>"},
        content="<p>Premier paragraphe.</p>",
        paragraphs=texte,
    )
    assert send(client, rotterdam, "Create", french).status_code == 202
    assert copy_of(rotterdam, 2).language == "fr"
    again = {**french, "version": 2, "paragraphs": [*texte, "Troisième."]}
    assert send(client, rotterdam, "Update", again).status_code == 202
    assert copy_of(rotterdam, 2).current_version.note == "Version 2 sur son serveur."


GONE = {"type": "Tombstone"}


def deleted_there(client, rotterdam) -> None:
    gone = {**GONE, "id": f"{rotterdam.server.url}/statements/1/"}
    assert send(client, rotterdam, "Delete", gone).status_code == 202


def test_a_statement_deleted_on_its_server_is_deleted_here_when_nobody_here_wrote_about_it(
    client, client_for, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    deleted_there(client, rotterdam)
    # Gone; its participants' pages no longer list it.
    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert not ReceivedStatement.objects.exists()
    assert client_for(sam).get(f"/statements/{statement.pk}/").status_code == 404
    entry = AuditEntry.objects.get(action="federation.statement_deleted")
    assert (entry.organization, entry.target_id) == (accepted, str(statement.pk))
    assert ReceivedActivity.objects.get(activity_type="Delete").outcome == "statement_deleted"


def test_a_statement_deleted_on_its_server_is_withdrawn_here_keeping_a_position_stated_here(
    client, client_for, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    position_state(
        actor=sam, statement=statement, organization=owner_org, stance="block", text="No."
    )
    deleted_there(client, rotterdam)
    # The Metalworkers' position is theirs: the copy stays, withdrawn, saying why.
    statement.refresh_from_db()
    assert statement.status == "withdrawn"
    assert Position.objects.filter(statement=statement, organization=owner_org).exists()
    page = client_for(sam).get(f"/statements/{statement.pk}/")
    assert page.status_code == 200 and "Deleted on its server." in page.content.decode()
    assert not AuditEntry.objects.filter(action="federation.statement_deleted").exists()
    assert ReceivedActivity.objects.get(activity_type="Delete").outcome == "statement_withdrawn"


def test_a_statement_deleted_on_its_server_is_withdrawn_here_keeping_an_amendment_proposed_here(
    client, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    amendment_propose(
        actor=sam,
        statement=statement,
        organization=owner_org,
        version=1,
        paragraph=1,
        kind="replace",
        text="Ours.",
        reason="Better.",
    )
    deleted_there(client, rotterdam)
    statement.refresh_from_db()
    assert statement.status == "withdrawn" and Amendment.objects.filter(statement=statement)
    assert not AuditEntry.objects.filter(action="federation.statement_deleted").exists()


def test_an_adopted_statement_signed_here_stays_adopted_when_deleted_on_its_server(
    client, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    position_state(actor=sam, statement=statement, organization=owner_org, stance="agree")
    adopted = article(rotterdam, status="adopted", signatories=[rotterdam.actor, METAL])
    assert send(client, rotterdam, "Update", adopted).status_code == 202
    assert Signature.objects.filter(statement=statement, organization=owner_org).exists()
    deleted_there(client, rotterdam)
    # Adopted and signed by the Metalworkers: their act, as it was.
    statement.refresh_from_db()
    assert statement.status == "adopted"
    assert Signature.objects.filter(statement=statement, organization=owner_org).exists()
    assert not AuditEntry.objects.filter(action="federation.statement_deleted").exists()


def test_the_initiators_decision_on_an_amendment_proposed_from_here_is_shown_here(
    client, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    proposed = [
        amendment_propose(
            actor=sam,
            statement=statement,
            organization=owner_org,
            version=1,
            paragraph=paragraph,
            kind="replace",
            text=f"Paragraph {paragraph}, ours.",
            reason="Clearer.",
        )
        for paragraph in (1, 2)
    ]
    taken, refused = (f"{SITE}{a.get_absolute_url()}" for a in proposed)
    accept = rotterdam.activity("Accept", object=taken, to=[METAL], status="merged")
    assert rotterdam.post(client, INBOX, accept).status_code == 202
    reject = rotterdam.activity("Reject", object=refused, to=[METAL], content="<p>Too long.</p>")
    assert rotterdam.post(client, INBOX, reject).status_code == 202
    first, second = (Amendment.objects.get(pk=a.pk) for a in proposed)
    assert first.status == "merged" and first.decided_at is not None
    assert (second.status, second.decision_reason) == ("rejected", "Too long.")
    entries = AuditEntry.objects.filter(action="amendment.decide", organization=accepted)
    assert entries.count() == 2
    # Decided again: nothing changes.
    again = rotterdam.activity("Accept", object=refused, to=[METAL])
    assert rotterdam.post(client, INBOX, again).status_code == 202
    assert Amendment.objects.get(pk=second.pk).status == "rejected"


def test_a_decision_here_on_a_remote_participants_amendment_goes_to_its_server(
    client, rotterdam, accepted, owner_org, sam, work_off, django_capture_on_commit_callbacks
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
    assert send(client, rotterdam, "Create", note).status_code == 202
    amendment = Amendment.objects.get()
    rotterdam.server.posted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendment_decide(actor=sam, amendment=amendment, decision="reject", reason="Not now.")
    work_off()
    [(path, activity)] = posted(rotterdam)
    assert path == "/users/havenbond/inbox"
    assert (activity["type"], activity["actor"], activity["object"]) == (
        "Reject",
        METAL,
        note["id"],
    )
    assert (activity["status"], activity["content"], activity["to"]) == (
        "rejected",
        "Not now.",
        [rotterdam.actor],
    )


def test_an_adopted_statement_keeps_its_signatories_published_reservations(
    client, rotterdam, accepted, owner_org, sam
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    statement = copy_of(rotterdam)
    until = timezone.now() + datetime.timedelta(days=20)
    assert send(client, rotterdam, "Update", called(rotterdam, until)).status_code == 202
    position_state(
        actor=sam,
        statement=statement,
        organization=owner_org,
        stance="reservations",
        text="Paragraph 3 is too vague.",
        publish_reservations=True,
    )
    # Adopted there; its server sends its own organization's published reservations.
    adopted = article(
        rotterdam,
        status="adopted",
        signatories=[rotterdam.actor, METAL],
        reservations={rotterdam.actor: "Only as a first step.", METAL: "Not ours to say."},
    )
    assert send(client, rotterdam, "Update", adopted).status_code == 202
    signed = dict(
        Signature.objects.filter(statement=statement).values_list("organization", "reservations")
    )
    # The Metalworkers' as they stated them here, not as the other server says.
    assert signed == {
        accepted.pk: "Only as a first step.",
        owner_org.pk: "Paragraph 3 is too vague.",
    }


def test_a_decision_from_a_server_the_proposer_blocked_is_not_taken(
    client, rotterdam, accepted, owner_org, sam, ana
):
    assert send(client, rotterdam, "Create", article(rotterdam)).status_code == 202
    amendment = amendment_propose(
        actor=sam,
        statement=copy_of(rotterdam),
        organization=owner_org,
        version=1,
        paragraph=1,
        kind="replace",
        text="Ours.",
        reason="Clearer.",
    )
    block_add(actor=ana, organization=owner_org, host=rotterdam.server.url.removeprefix("http://"))
    reject = rotterdam.activity(
        "Reject", object=f"{SITE}{amendment.get_absolute_url()}", to=[METAL]
    )
    assert rotterdam.post(client, "/federation/inbox", reject).status_code == 202
    assert ReceivedActivity.objects.get(activity_id=reject["id"]).outcome == "blocked"
    assert Amendment.objects.get(pk=amendment.pk).status == "open"
