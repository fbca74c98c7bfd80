"""Shared versions: one row per key, which a write changes in its own transaction, so that every
process reads the change once it commits, and never a change that was rolled back."""

import pytest
from django.db import transaction

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
