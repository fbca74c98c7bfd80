"""A form or API request sent twice (a double click, a client retrying) creates one object."""

import pytest
from django.core.exceptions import ValidationError

from internationale.accounts.tests.factories import UserFactory
from internationale.core.actors import System
from internationale.core.idempotency import SubmissionConflict, once
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.organizations.models import Organization, Relation
from internationale.organizations.services import organization_create


def register(person, key, name="Dock Workers", country="KR"):  # type: ignore[no-untyped-def]
    return once(
        user=person,
        scope="organization.create",
        key=key,
        create=lambda: organization_create(actor=person, name=name, country=country, kind="union"),
        fetch=lambda pk: Organization.objects.get(pk=pk),
    )


def test_the_same_submission_twice_creates_one_organization(nell):
    first, created = register(nell, "form-1")
    again, created_again = register(nell, "form-1")
    assert (created, created_again) == (True, False)
    assert again == first
    assert Organization.objects.count() == 1


def test_different_people_with_the_same_key_are_independent(nell):
    other = UserFactory()
    mine, _ = register(nell, "form-1")
    theirs, created = register(other, "form-1")
    assert created
    assert mine != theirs


def test_a_different_key_or_no_key_is_a_new_submission(nell):
    # Other names: the same name twice in one country asks to confirm (a near-duplicate).
    register(nell, "form-1", name="Dock Workers North")
    register(nell, "form-2", name="Dock Workers South")
    register(nell, None, name="Dock Workers East")
    register(nell, "", name="Dock Workers West")
    assert Organization.objects.count() == 4


def test_a_refused_submission_does_not_use_up_its_key(nell):
    with pytest.raises(ValidationError):
        register(nell, "form-1", country="XX")
    org, created = register(nell, "form-1")
    assert created
    assert Organization.objects.get() == org


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_the_same_submission_at_the_same_moment_creates_one_organization():
    person = UserFactory()
    outcomes = concurrently(*(lambda: register(person, "double-click") for _ in range(4)))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len({org.pk for org, _created in outcomes}) == 1
    assert sorted(created for _org, created in outcomes) == [False, False, False, True]
    assert Organization.objects.count() == 1


# Idempotency lives in the services: they take the key and what was submitted with it.


def test_a_service_given_the_same_key_and_content_answers_the_first_object(nell):
    first = organization_create(
        actor=nell, name="Key Union", country="GB", kind="union", submission_key="k-1"
    )
    again = organization_create(
        actor=nell, name="Key Union", country="GB", kind="union", submission_key="k-1"
    )
    assert again == first
    assert Organization.objects.count() == 1
    assert AuditEntry.objects.filter(action="organization.create").count() == 1


def test_a_service_given_the_same_key_with_other_content_refuses_and_changes_nothing(nell):
    first = organization_create(
        actor=nell, name="Key Union", country="GB", kind="union", submission_key="k-1"
    )
    with pytest.raises(SubmissionConflict) as error:
        organization_create(
            actor=nell, name="Other Union", country="GB", kind="union", submission_key="k-1"
        )
    assert error.value.code == "submission_key_reused"
    assert list(Organization.objects.all()) == [first]
    assert AuditEntry.objects.filter(action="organization.create").count() == 1


def test_the_system_has_no_submissions_to_repeat(owner_org):
    system = System(reason="test")
    for _ in range(2):
        organization_create(
            actor=system, name="Same", country="GB", kind="union", submission_key="k"
        )
    assert Organization.objects.filter(name="Same").count() == 2


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_to_a_service_at_the_same_moment_creates_one_organization():
    person = UserFactory()

    def submit():  # type: ignore[no-untyped-def]
        return organization_create(
            actor=person, name="Rush Union", country="GB", kind="union", submission_key="rush"
        )

    outcomes = concurrently(*(submit for _ in range(4)))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len({org.pk for org in outcomes}) == 1
    assert Organization.objects.count() == 1


def test_an_api_key_reused_with_another_body_answers_409_and_changes_nothing(
    client_for, sam, other_org, unverified_org
):
    client = client_for(sam)

    def propose(kind):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/organizations/metal-sp/relations",
            {"partner": "docks-kr", "kind": kind},
            content_type="application/json",
            headers={"Idempotency-Key": "one-key"},
        )

    first = propose("fraternal")
    assert first.status_code == 201
    again = propose("fraternal")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    other = propose("cooperation")
    assert other.status_code == 409
    assert other.json()["detail"]
    assert list(Relation.objects.values_list("kind", flat=True)) == ["fraternal"]


def test_a_form_key_reused_with_other_content_shows_an_error_and_changes_nothing(client_for, nell):
    client = client_for(nell)
    data = {"name": "Twice Union", "kind": "union", "country": "GB", "submission_key": "k-1"}
    assert client.post("/organizations/new/", data).status_code == 302
    response = client.post("/organizations/new/", {**data, "name": "Another Union"})
    assert response.status_code == 200
    assert "already submitted once with other content" in response.content.decode()
    assert list(Organization.objects.values_list("name", flat=True)) == ["Twice Union"]
