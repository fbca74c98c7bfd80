"""A write that breaks a database constraint is told in a sentence, never by the constraint's
name: through the model's validation (400) and when the database itself refuses it (409)."""

import re

import pytest
from django.db import IntegrityError
from django.db.models import BaseConstraint
from django.utils.functional import Promise

from internationale.core.constraints import platform_constraints
from internationale.organizations import services as organization_services
from internationale.organizations.models import Relation
from internationale.organizations.tests.factories import RelationFactory

API = "/api/v1"


def names_in(body: object) -> list[str]:
    text = str(body)
    return [name for name in platform_constraints() if re.search(rf"\b{name}\b", text)]


def test_every_constraint_has_a_translatable_message_of_its_own():
    assert platform_constraints()
    for name, constraint in platform_constraints().items():
        message = constraint.violation_error_message
        assert isinstance(message, Promise), name
        assert message != BaseConstraint.default_violation_error_message, name
        assert "%(name)s" not in str(message), name


def test_a_proposal_the_same_way_as_a_live_one_names_no_constraint(
    client_for, sam, owner_org, other_org
):
    RelationFactory(proposer=owner_org, partner=other_org, kind="fraternal", status="proposed")

    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "docks-kr", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "These organizations already have such a relation, or one is proposed."
    )
    assert names_in(response.json()) == []
    assert Relation.objects.count() == 1


@pytest.mark.parametrize(
    ("database_says", "errors"),
    [
        (
            'duplicate key value violates unique constraint "one_live_relation_per_kind"',
            {},
        ),
        (
            "CHECK constraint failed: no_self_relation",
            {},
        ),
        (
            'new row for relation "appeals_pledge" violates check constraint '
            '"pledge_amount_positive"',
            {"amount": ["The amount must be greater than zero."]},
        ),
        (
            "UNIQUE constraint failed: organizations_membership.user_id, "
            "organizations_membership.organization_id",
            {},
        ),
    ],
)
def test_a_write_the_database_refuses_answers_409_with_a_sentence(
    client_for, sam, other_org, monkeypatch, database_says, errors
):
    def refused(**kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError(database_says)

    monkeypatch.setattr(organization_services, "relation_propose", refused)

    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "docks-kr", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert body["errors"] == errors
    assert names_in(body) == []
