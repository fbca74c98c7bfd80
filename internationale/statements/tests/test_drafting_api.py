"""Drafting through the API, by real requests. The Metalworkers of São Paulo (Sam speaks for
them, Mo is a member) initiate; the Korean Dockworkers (Kim speaks for them, Kit is a member) are
invited; Nell belongs to no organization."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.drafting import statement_support, statement_withdraw
from internationale.statements.models import Comment, Participant, Statement

from .matrix_world import PARAGRAPHS
from .test_create import start

API = "/api/v1"


def ahead(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def body(**changes):  # type: ignore[no-untyped-def]
    data = {
        "title": "For the right to strike",
        "language": "en",
        "paragraphs": PARAGRAPHS,
        "amendments_until": ahead(10),
        "positions_until": ahead(20),
        "min_supporters": 1,
        "invite": {"add": ["docks-kr"]},
    }
    data.update(changes)
    return data


def send(client, method, path, data=None, **headers):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(data) if data is not None else None,
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def draft(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    return start(sam, owner_org, criteria=Criteria(add=[other_org.pk]), min_supporters=1)


def test_sam_starts_a_statement_and_kim_reads_its_text_and_participants(
    sam, kim, other_org, client_for
):
    response = send(client_for(sam), "post", "/organizations/metal-sp/statements", body())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "drafting" and created["version"] == 1
    assert created["paragraphs"] == PARAGRAPHS
    assert [p["organization"]["slug"] for p in created["participants"]] == ["docks-kr"]
    assert created["participants"][0]["codes"] == ["manual"]
    read = send(client_for(kim), "get", f"/statements/{created['id']}").json()
    assert read["paragraphs"] == PARAGRAPHS and read["supporters"] == 0
    listed = send(client_for(kim), "get", "/statements").json()
    assert [s["id"] for s in listed["items"]] == [created["id"]]


def test_starting_is_idempotent_and_a_changed_body_conflicts(sam, other_org, client_for):
    client = client_for(sam)
    sent = body()
    first = send(
        client, "post", "/organizations/metal-sp/statements", sent, **{"Idempotency-Key": "s1"}
    )
    again = send(
        client, "post", "/organizations/metal-sp/statements", sent, **{"Idempotency-Key": "s1"}
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other = send(
        client,
        "post",
        "/organizations/metal-sp/statements",
        {**sent, "title": "Another"},
        **{"Idempotency-Key": "s1"},
    )
    assert other.status_code == 409
    assert Statement.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"paragraphs": []}, "paragraphs"),
        ({"paragraphs": ["One.", " "]}, "paragraphs"),
        ({"paragraphs": "One."}, "paragraphs"),
        ({"language": "!!"}, "language"),
        ({"amendments_until": "2030-01-01T10:00:00"}, "amendments_until"),
        ({"amendments_until": ahead(-1)}, "amendments_until"),
        ({"positions_until": ahead(5)}, "positions_until"),
        ({"min_agree": 0}, "min_agree"),
        ({"adopted_visibility": "private"}, "adopted_visibility"),
        ({"invite": {"add": ["no-such-org"]}}, "add"),
    ],
)
def test_bad_statements_answer_400_on_their_field_and_start_nothing(
    sam, other_org, client_for, changes, field
):
    response = send(client_for(sam), "post", "/organizations/metal-sp/statements", body(**changes))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(field in key for key in errors), errors
    assert not Statement.objects.exists()


def test_members_and_others_cannot_start_for_the_organization(mo, kim, nell, client_for):
    for person in (mo, kim, nell):
        response = send(client_for(person), "post", "/organizations/metal-sp/statements", body())
        assert response.status_code == 404
    assert (
        send(client_for(None), "post", "/organizations/metal-sp/statements", body()).status_code
        == 401
    )
    assert not Statement.objects.exists()


def test_outsiders_do_not_see_a_draft_and_readers_see_no_text_when_not_participating(
    draft, nell, oscar, kit, client_for
):
    assert send(client_for(nell), "get", f"/statements/{draft.pk}").status_code == 404
    assert send(client_for(oscar), "get", f"/statements/{draft.pk}").status_code == 404
    # Kit, a member of an invited organization, reads it.
    assert (
        send(client_for(kit), "get", f"/statements/{draft.pk}").json()["paragraphs"] == PARAGRAPHS
    )


def test_sam_invites_changes_settings_and_withdraws(draft, sam, kim, client_for):
    OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    invited = send(client, "post", f"/statements/{draft.pk}/participants", {"add": ["ports-nl"]})
    assert invited.status_code == 201
    assert [p["organization"]["slug"] for p in invited.json()] == ["ports-nl"]
    again = send(client, "post", f"/statements/{draft.pk}/participants", {"add": ["ports-nl"]})
    assert again.status_code == 400
    changed = send(
        client,
        "patch",
        f"/statements/{draft.pk}",
        {"min_agree": 3, "silence_stands_aside": True, "adopted_visibility": "network"},
    )
    assert changed.status_code == 200
    assert (changed.json()["min_agree"], changed.json()["adopted_visibility"]) == (3, "network")
    bad = send(client, "patch", f"/statements/{draft.pk}", {"positions_until": ahead(1)})
    assert bad.status_code == 400 and "positions_until" in bad.json()["errors"]
    assert (
        send(client_for(kim), "patch", f"/statements/{draft.pk}", {"min_agree": 1}).status_code
        == 403
    )
    withdrawn = send(client, "post", f"/statements/{draft.pk}/withdraw", {"reason": "Overtaken."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = send(client, "post", f"/statements/{draft.pk}/withdraw", {})
    assert again.status_code == 400
    frozen = send(client, "patch", f"/statements/{draft.pk}", {"min_agree": 2})
    assert frozen.status_code == 400
    draft.refresh_from_db()
    assert draft.min_agree == 3
    assert AuditEntry.objects.filter(action="statement.withdraw").count() == 1


def test_kim_supports_and_unsupports_the_draft_but_sam_and_kit_cannot(
    draft, sam, kim, kit, client_for
):
    supported = send(client_for(kim), "post", f"/statements/{draft.pk}/support", {})
    assert supported.status_code == 200 and supported.json()["supported_at"] is not None
    assert send(client_for(sam), "get", f"/statements/{draft.pk}").json()["supporters"] == 1
    named = send(
        client_for(kim), "post", f"/statements/{draft.pk}/unsupport", {"organization": "docks-kr"}
    )
    assert named.status_code == 200 and named.json()["supported_at"] is None
    wrong = send(
        client_for(kim), "post", f"/statements/{draft.pk}/support", {"organization": "metal-sp"}
    )
    assert wrong.status_code == 400 and "organization" in wrong.json()["errors"]
    assert send(client_for(sam), "post", f"/statements/{draft.pk}/support", {}).status_code == 403
    assert send(client_for(kit), "post", f"/statements/{draft.pk}/support", {}).status_code == 403
    assert Participant.objects.get(statement=draft).supported_at is None


def test_comments_on_a_paragraph_through_the_api(draft, sam, kim, kit, nell, client_for):
    path = f"/statements/{draft.pk}/paragraphs/2/comments"
    created = send(
        client_for(kim), "post", path, {"text": "Name the port."}, **{"Idempotency-Key": "c1"}
    )
    assert created.status_code == 201
    assert created.json()["organization"]["slug"] == "docks-kr"
    assert created.json()["version"] == 1
    assert (
        send(
            client_for(kim), "post", path, {"text": "Name the port."}, **{"Idempotency-Key": "c1"}
        ).json()["id"]
        == created.json()["id"]
    )
    assert send(client_for(sam), "post", path, {"text": "Done."}).status_code == 201
    listed = send(client_for(kit), "get", path).json()
    assert listed["count"] == 2 and listed["items"][0]["text"] == "Name the port."
    # Refused: a paragraph the version does not have, an empty comment, a member, an outsider.
    missing = f"/statements/{draft.pk}/paragraphs/4/comments"
    assert send(client_for(kim), "post", missing, {"text": "x"}).status_code == 404
    assert send(client_for(kim), "post", path, {"text": ""}).status_code == 400
    assert send(client_for(kim), "post", path, {"text": "   "}).status_code == 400
    assert send(client_for(kit), "post", path, {"text": "x"}).status_code == 403
    assert send(client_for(nell), "get", path).status_code == 404
    assert Comment.objects.count() == 2
    # Once withdrawn, no more comments.
    Statement.objects.filter(pk=draft.pk).update(status=Statement.Status.WITHDRAWN)
    frozen = send(client_for(kim), "post", path, {"text": "Late."})
    assert frozen.status_code == 400 and "withdrawn" in frozen.json()["detail"]
    assert Comment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_supports_at_the_same_moment_are_recorded_once(sam, kim, kai, owner_org, other_org):
    statement = start(sam, owner_org, criteria=Criteria(add=[other_org.pk]))
    concurrently(
        *(
            (
                lambda who=who: statement_support(
                    actor=who, statement=statement, organization=other_org
                )
            )
            for who in (kim, kai, kim, kai)
        )
    )
    assert AuditEntry.objects.filter(action="statement.support").count() == 1
    assert Participant.objects.get(statement=statement).supported_at is not None


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_the_same_moment_withdraw_once(sam, ana, owner_org):
    statement = start(sam, owner_org)
    outcomes = concurrently(
        *(
            (lambda who=who: statement_withdraw(actor=who, statement=statement))
            for who in (sam, ana)
        )
    )
    assert sum(isinstance(o, Statement) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert AuditEntry.objects.filter(action="statement.withdraw").count() == 1
