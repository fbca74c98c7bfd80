"""Advice through the API: Sam gives the Korean Dockworkers advice in the name of the
Metalworkers of São Paulo with a token, Kim answers; bad input is refused with its reason and
changes nothing; nobody else reads it."""

import json

import pytest
from django.test import Client

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.statements.advice import advice_give
from internationale.statements.models import Advice

API = "/api/v1"


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, data, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}{path}", data=json.dumps(data), content_type="application/json", headers=headers
    )


def body(**changes):  # type: ignore[no-untyped-def]
    data = {"receiver": "docks-kr", "subject": "Talk first", "text": "Ask for a meeting."}
    data.update(changes)
    return data


@pytest.fixture
def advice(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    return advice_give(
        actor=sam, sender=owner_org, receiver=other_org, subject="Talk first", text="Ask."
    )


def test_a_token_of_the_sender_gives_advice_once_per_key(sam, owner_org, other_org):
    client = with_token(sam, owner_org)
    first = post(client, "/organizations/metal-sp/advice", body(), **{"Idempotency-Key": "a"})
    again = post(client, "/organizations/metal-sp/advice", body(), **{"Idempotency-Key": "a"})
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["receiver"] == {"slug": "docks-kr", "name": "Korean Dockworkers"}
    assert first.json()["answer"] == "considering"
    other = post(
        client, "/organizations/metal-sp/advice", body(text="Else."), **{"Idempotency-Key": "a"}
    )
    assert other.status_code == 409
    assert Advice.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"receiver": "nobody-here"}, "receiver", "Choose the organization the advice goes to."),
        ({"receiver": "metal-sp"}, "receiver", "Advice goes to another organization"),
        ({"receiver": "riders-new"}, "receiver", "Advice goes only to a verified organization."),
        ({"text": "  "}, "text", "Write the advice."),
        ({"subject": ""}, "subject", "Give the advice a subject."),
        ({"subject": "x" * 201}, "subject", ""),
        ({"text": 5}, "text", ""),
    ],
)
def test_bad_advice_is_refused_by_field_and_nothing_is_written(
    sam, owner_org, other_org, unverified_org, changes, field, message
):
    response = post(with_token(sam, owner_org), "/organizations/metal-sp/advice", body(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not Advice.objects.exists()
    assert not AuditEntry.objects.filter(action="advice.give").exists()


def test_members_and_operators_of_the_sender_find_no_such_organization_advice(
    client_for, mo, olu, oscar, kim, owner_org, other_org
):
    for person in (mo, olu, oscar, kim):
        client = client_for(person)
        assert client.get(f"{API}/organizations/metal-sp/advice").status_code == 404
    assert (
        post(with_token(mo, owner_org), "/organizations/metal-sp/advice", body()).status_code == 404
    )
    assert not Advice.objects.exists()


def test_the_receiver_answers_and_the_sender_reads_the_answer(
    sam, kim, owner_org, other_org, advice
):
    response = post(
        with_token(kim, other_org),
        f"/advice/{advice.pk}/answer",
        {"answer": "partly", "reason": "Only the first half."},
    )
    assert response.status_code == 200
    read = with_token(sam, owner_org).get(f"{API}/advice/{advice.pk}").json()
    assert (read["answer"], read["answer_reason"]) == ("partly", "Only the first half.")
    assert read["answered_at"] is not None


def test_the_sender_cannot_answer_and_an_unknown_answer_is_refused(
    sam, kim, owner_org, other_org, advice
):
    assert (
        post(
            with_token(sam, owner_org), f"/advice/{advice.pk}/answer", {"answer": "accepted"}
        ).status_code
        == 403
    )
    bad = post(with_token(kim, other_org), f"/advice/{advice.pk}/answer", {"answer": "maybe"})
    assert bad.status_code == 400 and "answer" in bad.json()["errors"]
    advice.refresh_from_db()
    assert advice.answer == "considering" and advice.answered_at is None


def test_a_token_of_another_organization_of_the_same_person_does_not_read_the_advice(
    sam, other_org, owner_org, advice
):
    # Sam is a member of the dockworkers too, but a token acts for one organization only.
    from internationale.organizations.models import Membership

    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.MEMBER)
    assert with_token(sam, other_org).get(f"{API}/advice/{advice.pk}").status_code == 404


def test_lists_filter_by_direction_and_answer(sam, kim, owner_org, other_org, advice):
    advice_give(actor=kim, sender=other_org, receiver=owner_org, subject="Back", text="To you.")
    client = with_token(sam, owner_org)
    everything = client.get(f"{API}/organizations/metal-sp/advice").json()
    assert [a["subject"] for a in everything["items"]] == ["Back", "Talk first"]
    given = client.get(f"{API}/organizations/metal-sp/advice?direction=given").json()
    assert [a["subject"] for a in given["items"]] == ["Talk first"]
    rejected = client.get(f"{API}/organizations/metal-sp/advice?answer=rejected").json()
    assert rejected == {"items": [], "count": 0}
    assert client.get(f"{API}/organizations/metal-sp/advice?answer=maybe").status_code == 400
