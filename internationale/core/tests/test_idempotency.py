"""A form or API request sent twice (a double click, a client retrying) creates one object."""

import pytest
from django.core.exceptions import ValidationError

from internationale.accounts.tests.factories import UserFactory
from internationale.core.idempotency import once
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.organizations.models import Organization
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
    register(nell, "form-1")
    register(nell, "form-2")
    register(nell, None)
    register(nell, "")
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
