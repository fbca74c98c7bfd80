"""Statements across servers: a statement of this server reaches the remote organizations taking
part in it (each alone) and, once adopted and public, its organization's followers; the
positions and signatures a remote organization sends are its own, stated through the same
services as a local organization's, with the same rules, audit and notices; bad ones are refused
with nothing changed."""

import json
from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.appeals.models import Appeal
from internationale.core.models import AuditEntry
from internationale.core.notices import notice_send
from internationale.federation.keys import current_key
from internationale.federation.models import (
    Block,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
    ReceivedStatement,
)
from internationale.federation.signatures import verify
from internationale.notifications.models import InboxEntry
from internationale.statements.consensus import position_state, positions_call
from internationale.statements.models import Position, Signature, Statement
from internationale.statements.services import statement_create
from internationale.statements.tests.matrix_world import PARAGRAPHS, deadlines
from internationale.statements.tests.publication_world import adopt
from internationale.statements.translations import translation_add, translation_change

from .conftest import SITE, taken_as_blocked

pytestmark = pytest.mark.django_db

METAL = f"{SITE}/federation/actors/metal-sp"
INBOX = "/federation/actors/metal-sp/inbox"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def sent_to(remote: Any) -> list[tuple[str, dict[str, Any], bytes]]:
    """What the remote server received: (path, headers, body)."""
    return list(remote.server.posted)


def activities(remote: Any) -> list[dict[str, Any]]:
    return [json.loads(body) for _path, _headers, body in sent_to(remote)]


def url(statement: Statement) -> str:
    return f"{SITE}/statements/{statement.pk}/"


@pytest.fixture
def start(sam, owner_org, django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    """A statement of the Metalworkers (Sam), the organizations given invited; every task run."""

    def run(*invited: Any, visibility: str = "public", min_agree: int = 2) -> Statement:
        with django_capture_on_commit_callbacks(execute=True):
            statement = statement_create(
                actor=sam,
                organization=owner_org,
                title="For the right to strike",
                language="en",
                paragraphs=PARAGRAPHS,
                criteria=Criteria(add=[o.pk for o in invited]),
                adopted_visibility=visibility,
                min_agree=min_agree,
                **deadlines(),
            )
        work_off()
        return statement

    return run


@pytest.fixture
def follower(alice, owner_org) -> Follower:  # type: ignore[no-untyped-def]
    """Alice, on a server of her own, follows the Metalworkers."""
    return Follower.objects.create(
        organization=owner_org,
        actor=alice.actor,
        host=alice.server.url.removeprefix("http://"),
        inbox=f"{alice.server.url}/users/alice/inbox",
    )


def call(statement: Statement, sam: Any, capture: Any, work_off: Any) -> Statement:
    with capture(execute=True):
        called = positions_call(actor=sam, statement=statement)
    work_off()
    return called


def test_a_statement_reaches_its_remote_participant_alone_and_the_followers_once_adopted(
    client,
    rotterdam,
    accepted,
    alice,
    follower,
    owner_org,
    other_org,
    sam,
    kim,
    start,
    work_off,
    django_capture_on_commit_callbacks,
):
    statement = start(accepted, other_org)
    # Invited: the Create of its article, to Rotterdam's own inbox alone, signed by the initiator.
    [(path, headers, body)] = sent_to(rotterdam)
    create = json.loads(body)
    assert path == "/users/havenbond/inbox"
    assert (create["type"], create["actor"], create["to"]) == ("Create", METAL, [rotterdam.actor])
    assert "cc" not in create and "cc" not in create["object"]
    verify(
        method="POST",
        url=rotterdam.server.url + path,
        headers=headers,
        body=body,
        public_key_pem=current_key(owner_org).public_key_pem,
    )
    article = create["object"]
    assert (article["id"], article["type"], article["status"]) == (
        url(statement),
        "Article",
        "drafting",
    )
    assert (article["name"], article["paragraphs"], article["version"]) == (
        "For the right to strike",
        PARAGRAPHS,
        1,
    )
    assert "Santos" in article["contentMap"]["en"]
    # A statement being drafted is not public: its organization's followers get nothing of it.
    assert sent_to(alice) == []

    call(statement, sam, django_capture_on_commit_callbacks, work_off)
    update = activities(rotterdam)[-1]
    assert (update["type"], update["to"], update["object"]["status"]) == (
        "Update",
        [rotterdam.actor],
        "positions",
    )
    assert update["object"]["positionsVersion"] == 1
    # Rotterdam agrees from its server, Kim for the dockworkers and Sam here: adopted.
    agree = rotterdam.activity("Accept", object=url(statement), version=1)
    assert rotterdam.post(client, INBOX, agree).status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        position_state(
            actor=kim,
            statement=statement,
            organization=other_org,
            stance="reservations",
            text="Only for the ports.",
            publish_reservations=True,
        )
        position_state(actor=sam, statement=statement, organization=owner_org, stance="agree")
    work_off()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED
    adopted = activities(rotterdam)[-1]
    assert (adopted["type"], adopted["to"]) == ("Update", [rotterdam.actor])
    assert adopted["object"]["status"] == "adopted"
    assert sorted(adopted["object"]["signatories"]) == sorted(
        [METAL, f"{SITE}/federation/actors/docks-kr", rotterdam.actor]
    )
    # With the reservations published with a signature, by actor.
    assert adopted["object"]["reservations"] == {
        f"{SITE}/federation/actors/docks-kr": "Only for the ports."
    }
    # Adopted and public: its Create reaches the followers, to the public (then an Update for
    # each version in another language the adoption asked machines for, if any is made).
    # Each delivered on its own: in no given order.
    [published] = [a for a in activities(alice) if a["type"] == "Create"]
    assert {a["type"] for a in activities(alice)} <= {"Create", "Update"}
    assert (published["type"], published["to"], published["cc"]) == (
        "Create",
        [PUBLIC],
        [f"{METAL}/followers"],
    )
    assert published["object"]["status"] == "adopted"
    # Recorded once each, whatever the number of the notices' batches.
    assert OutgoingActivity.objects.filter(inbox="", activity_type="Create").count() == 1


def test_a_statement_adopted_for_the_network_never_reaches_the_followers(
    rotterdam, accepted, alice, follower, sam, start, work_off, django_capture_on_commit_callbacks
):
    statement = start(accepted, visibility="network")
    call(statement, sam, django_capture_on_commit_callbacks, work_off)
    with django_capture_on_commit_callbacks(execute=True):
        adopt(statement)
        notice_send(
            kind="statement.adopted",
            source=statement,
            organizations=[statement.organization_id, accepted.pk],
            params={"title": statement.title},
        )
    work_off()
    assert [a["type"] for a in activities(rotterdam)] == ["Create", "Update", "Update"]
    assert activities(rotterdam)[-1]["object"]["status"] == "adopted"
    assert sent_to(alice) == []
    assert not OutgoingActivity.objects.filter(inbox="").exists()


@pytest.mark.parametrize(
    ("kind", "extra", "stance", "text"),
    [
        ("Accept", {}, "agree", ""),
        ("TentativeAccept", {"content": "Not paragraph 3."}, "reservations", "Not paragraph 3."),
        ("TentativeReject", {}, "stand_aside", ""),
        (
            "Reject",
            {"content": "We cannot sign paragraph 2."},
            "block",
            "We cannot sign paragraph 2.",
        ),
        ("Reject", {"stance": "stand_aside"}, "stand_aside", ""),
    ],
)
def test_a_remote_participant_states_its_position_as_its_own(
    client,
    rotterdam,
    accepted,
    sam,
    start,
    work_off,
    django_capture_on_commit_callbacks,
    kind,
    extra,
    stance,
    text,
):
    statement = call(start(accepted), sam, django_capture_on_commit_callbacks, work_off)
    activity = rotterdam.activity(kind, object=url(statement), **extra)
    with django_capture_on_commit_callbacks(execute=True):
        response = rotterdam.post(client, INBOX, activity)
    assert response.status_code == 202, response.content
    work_off()
    position = Position.objects.get(statement=statement, organization=accepted)
    assert (position.stance, position.text, position.version.number) == (stance, text, 1)
    assert ReceivedActivity.objects.get(activity_id=activity["id"]).outcome == "position_stated"
    # Audited as the remote organization, and the initiator told in its inbox.
    entry = AuditEntry.objects.get(action="statement.position")
    assert (entry.organization, entry.data["stance"]) == (accepted, stance)
    assert (entry.acting_for, entry.actor) == (accepted, None)
    acted = AuditEntry.objects.get(action="federation.remote_act")
    assert acted.data["remote_actor"] == rotterdam.actor
    assert InboxEntry.objects.about(position).filter(organization=statement.organization).exists()


def test_a_remote_participant_changes_its_position_until_the_deadline(
    client, rotterdam, accepted, sam, start, work_off, django_capture_on_commit_callbacks
):
    statement = call(start(accepted), sam, django_capture_on_commit_callbacks, work_off)
    block = rotterdam.activity("Reject", object=url(statement), content="Paragraph 2 is wrong.")
    assert rotterdam.post(client, INBOX, block).status_code == 202
    agree = rotterdam.activity("Accept", object=url(statement), version=1)
    assert rotterdam.post(client, INBOX, agree).status_code == 202
    position = Position.objects.get(statement=statement, organization=accepted)
    assert (position.stance, position.text) == ("agree", "")
    assert Position.objects.count() == 1


def _refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"] == code


def test_bad_positions_are_refused_with_nothing_changed(
    client,
    rotterdam,
    accepted,
    other_org,
    sam,
    start,
    work_off,
    django_capture_on_commit_callbacks,
):
    statement = call(start(accepted), sam, django_capture_on_commit_callbacks, work_off)
    # Another statement, to which Rotterdam is not invited: as if it did not exist.
    elsewhere = call(start(other_org), sam, django_capture_on_commit_callbacks, work_off)
    received = ReceivedActivity.objects.count()
    audited = AuditEntry.objects.count()
    cases = [
        ({"object": f"{SITE}/statements/999999/"}, 404, "unknown_statement"),
        ({"object": url(elsewhere)}, 404, "unknown_statement"),
        ({"object": url(statement), "version": 7}, 422, "outdated"),
        ({"object": url(statement), "version": "one"}, 422, "bad_version"),
        ({"object": url(statement), "stance": "maybe"}, 422, "invalid_choice"),
    ]
    for extra, status, code in cases:
        _refused(rotterdam.post(client, INBOX, rotterdam.activity("Accept", **extra)), status, code)
    no_reason = rotterdam.activity("Reject", object=url(statement))
    _refused(rotterdam.post(client, INBOX, no_reason), 422, "reason_required")
    # The statement of this server claimed as its own: another origin than its sender's.
    forged = rotterdam.activity(
        "Update",
        object={
            "id": url(statement),
            "type": "Article",
            "attributedTo": rotterdam.actor,
            "status": "adopted",
            "paragraphs": ["Nothing."],
        },
    )
    _refused(rotterdam.post(client, INBOX, forged), 403, "forged_origin")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.POSITIONS
    assert not Position.objects.exists()
    assert ReceivedActivity.objects.count() == received
    assert AuditEntry.objects.count() == audited
    # The same activity twice: the second is a replay, and the position was stated once.
    agree = rotterdam.activity("Accept", object=url(statement))
    assert rotterdam.post(client, INBOX, agree).status_code == 202
    _refused(rotterdam.post(client, INBOX, agree), 409, "replayed")
    assert AuditEntry.objects.filter(action="statement.position").count() == 1


def test_a_remote_organization_signs_an_adopted_public_statement(
    client, rotterdam, accepted, other_org, sam, start, work_off, django_capture_on_commit_callbacks
):
    drafted = start(other_org)
    join = rotterdam.activity("Join", object=url(drafted))
    # Not adopted, and not addressed to it: as if it did not exist.
    _refused(rotterdam.post(client, INBOX, join), 404, "unknown_statement")
    statement = adopt(start(other_org), other_org)
    join = rotterdam.activity("Join", object=url(statement))
    with django_capture_on_commit_callbacks(execute=True):
        response = rotterdam.post(client, INBOX, join)
    assert response.status_code == 202, response.content
    work_off()
    signature = Signature.objects.get(statement=statement, organization=accepted)
    assert (signature.source, signature.status, signature.country) == ("added", "signed", "NL")
    assert ReceivedActivity.objects.get(activity_id=join["id"]).outcome == "signed"
    assert AuditEntry.objects.filter(action="statement.sign", organization=accepted).exists()
    assert InboxEntry.objects.about(signature).filter(organization=statement.organization).exists()
    # Signing again: refused, nothing recorded.
    again = rotterdam.activity("Join", object=url(statement))
    _refused(rotterdam.post(client, INBOX, again), 422, "already_signed")
    assert Signature.objects.filter(organization=accepted).count() == 1


def test_a_remote_organization_cannot_sign_a_statement_adopted_for_the_network(
    client, rotterdam, accepted, other_org, start
):
    statement = adopt(start(other_org, visibility="network"), other_org)
    join = rotterdam.activity("Join", object=url(statement))
    _refused(rotterdam.post(client, INBOX, join), 404, "unknown_statement")
    assert not Signature.objects.filter(organization=accepted).exists()


def test_a_statement_received_from_a_server_of_this_platform_is_not_taken_for_an_appeal(
    client, rotterdam, accepted
):
    article = {
        "id": f"{rotterdam.server.url}/statements/4/",
        "type": "Article",
        "attributedTo": rotterdam.actor,
        "name": "For the dockers of Santos",
        "content": "<p>We stand with them.</p>",
        "paragraphs": ["We stand with them."],
        "status": "drafting",
        "amendmentsUntil": deadlines()["amendments_until"].isoformat(),
        "positionsUntil": deadlines()["positions_until"].isoformat(),
        "to": [METAL],
    }
    create = rotterdam.activity("Create", object=article, to=[METAL])
    assert rotterdam.post(client, INBOX, create).status_code == 202
    assert not Appeal.objects.exists()
    # It is received as a statement (received_statements.py).
    assert ReceivedStatement.objects.get().statement.title == "For the dockers of Santos"


def test_a_version_in_another_language_made_after_adoption_follows_the_statement(
    rotterdam, accepted, alice, follower, sam, start, work_off, django_capture_on_commit_callbacks
):
    statement = adopt(start(accepted))
    french = [f"Paragraphe {n}." for n in range(1, len(PARAGRAPHS) + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        version = translation_add(
            actor=sam,
            statement=statement,
            language="fr",
            title="Pour le droit de grève",
            paragraphs=french,
        )
    work_off()
    update = activities(rotterdam)[-1]
    assert (update["type"], update["to"]) == ("Update", [rotterdam.actor])
    assert update["object"]["nameMap"] == {
        "en": "For the right to strike",
        "fr": "Pour le droit de grève",
    }
    assert "Paragraphe 2." in update["object"]["contentMap"]["fr"]
    [published] = activities(alice)
    assert (published["type"], published["to"]) == ("Update", [PUBLIC])
    # Corrected: sent again; saved again with the same texts: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        translation_change(
            actor=sam,
            translation=version,
            title="Pour le droit de grève !",
            paragraphs=french,
        )
        version.refresh_from_db()
        version.save()
    work_off()
    assert [a["object"]["nameMap"]["fr"] for a in activities(alice)] == [
        "Pour le droit de grève",
        "Pour le droit de grève !",
    ]


def test_a_remote_participant_blocked_by_the_initiator_states_a_position_through_the_shared_inbox_to_no_effect(
    client, rotterdam, accepted, sam, owner_org, start, work_off, django_capture_on_commit_callbacks
):
    statement = call(start(accepted), sam, django_capture_on_commit_callbacks, work_off)
    host = rotterdam.server.url.removeprefix("http://")
    Block.objects.create(organization=owner_org, host=host)
    activity = rotterdam.activity("Accept", object=url(statement))

    response = rotterdam.post(client, "/federation/inbox", activity)

    taken_as_blocked(response, owner_org)
    assert not Position.objects.filter(statement=statement, organization=accepted).exists()
