"""The campaigns' tests: each starts without the allow and block lists a process keeps."""

import pytest

from internationale.campaigns.screening import rules


@pytest.fixture(autouse=True)
def lists_read_afresh():  # type: ignore[no-untyped-def]
    """The lists and their version as a process keeps them (screening.rules) are dropped before
    and after each test: a test's rules, or its stale version, never reach the next one."""
    rules.kept = None
    rules.versions.seen.clear()
    yield
    rules.kept = None
    rules.versions.seen.clear()
