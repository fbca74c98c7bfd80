"""The versioned cache: an answer is kept until what it shows changes, for a few seconds at most,
and never inside a transaction; its version is shared by every process through the database."""

from collections.abc import Callable

import pytest
from django.db import transaction

from internationale.core.cache import Version, VersionedCache
from internationale.organizations import directory
from internationale.organizations.tests.factories import OrganizationFactory


def counting() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_kept_until_its_version_changes():
    version = Version("test")
    cache = VersionedCache(version, size=10, seconds=lambda: 60)
    calls, compute = counting()
    assert cache.get(cache.key("q"), compute) == 1
    assert cache.get(cache.key("q"), compute) == 1  # kept
    version.changed()
    assert cache.get(cache.key("q"), compute) == 2


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_kept_for_the_given_seconds_at_most(monkeypatch):
    cache = VersionedCache(Version("test"), size=10, seconds=lambda: 5)
    clock = [1000.0]
    monkeypatch.setattr("internationale.core.cache.time.monotonic", lambda: clock[0])
    calls, compute = counting()
    cache.get(cache.key("q"), compute)
    clock[0] += 4
    cache.get(cache.key("q"), compute)
    assert len(calls) == 1
    clock[0] += 2
    cache.get(cache.key("q"), compute)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_inside_a_transaction_or_with_no_seconds():
    with transaction.atomic():
        assert VersionedCache(Version("test"), size=10, seconds=lambda: 60).key("q") is None
    assert VersionedCache(Version("test"), size=10, seconds=lambda: 0).key("q") is None


@pytest.mark.django_db(transaction=True)
def test_a_write_to_what_the_directory_shows_moves_its_version_on_when_it_is_committed():
    before = directory.version.value
    with transaction.atomic():
        OrganizationFactory(name="Dockers of Santos")
    assert directory.version.value != before


@pytest.mark.django_db(transaction=True)
def test_a_version_is_read_from_the_database_not_from_the_process():
    here, there = Version("test"), Version("test")  # as two processes hold it
    before = here.value
    there.changed()
    assert here.value != before
