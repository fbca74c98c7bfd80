"""Shared versions: one row per key, which a write changes in its own transaction, so that every
process reads the change once it commits, and never a change that was rolled back; a process that
keeps a copy of what it read sees its own changes at once and another's within the copy's
seconds."""

import pytest
from django.db import transaction

from internationale.core import versions as versions_module
from internationale.core.models import SharedVersion
from internationale.core.versions import UNSET, SharedVersions

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_key_nobody_wrote_to_has_the_unset_version():
    assert SharedVersions("page").get(7) == UNSET


def test_every_change_gives_a_new_version_to_that_key_alone():
    versions = SharedVersions("page")
    versions.change(7)
    first = versions.get(7)
    versions.change(7)
    assert versions.get(7) not in (first, UNSET)
    assert versions.get(8) == UNSET
    assert SharedVersions("other").get(7) == UNSET


def test_a_change_rolled_back_leaves_the_version_as_it_was():
    versions = SharedVersions("page")
    versions.change(7)
    before = versions.get(7)
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.change(7)
        raise RuntimeError
    assert versions.get(7) == before


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """The copies' clock, moved by hand: [seconds]."""
    now = [1000.0]
    monkeypatch.setattr(versions_module, "clock", lambda: now[0])
    return now


def _another_process_changes(key: str) -> None:
    """What another process's write leaves here: the row alone, with no copy of this one told."""
    row = SharedVersion.objects.get(key=key)
    SharedVersion.objects.filter(key=key).update(value=row.value + 1)


def test_a_copy_is_trusted_for_its_seconds_then_read_again(clock, django_assert_num_queries):
    versions = SharedVersions("page", fresh=lambda: 1.0)
    versions.change(7)
    with django_assert_num_queries(1):
        first = versions.get(7)
    _another_process_changes("page:7")
    clock[0] += 0.9
    with django_assert_num_queries(0):
        assert versions.get(7) == first  # another process's write: not seen yet
    clock[0] += 0.2
    with django_assert_num_queries(1):
        assert versions.get(7) == first + 1  # seen once the copy is a second old


def test_a_change_in_this_process_shows_at_once_once_committed(clock):
    versions = SharedVersions("page", fresh=lambda: 60.0)
    versions.change(7)
    first = versions.get(7)
    with transaction.atomic():
        versions.change(7)
        assert versions.get(7) != first  # its own transaction reads the row
    assert versions.get(7) not in (first, UNSET)  # and so does every reader after the commit


def test_a_change_rolled_back_leaves_the_copy_right(clock):
    versions = SharedVersions("page", fresh=lambda: 60.0)
    versions.change(7)
    before = versions.get(7)
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.change(7)
        raise RuntimeError
    assert versions.get(7) == before


def test_without_seconds_every_read_asks_the_database(clock, django_assert_num_queries):
    versions = SharedVersions("page", fresh=lambda: 0)
    versions.change(7)
    versions.get(7)
    _another_process_changes("page:7")
    with django_assert_num_queries(1):
        versions.get(7)
