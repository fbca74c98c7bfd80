"""Review of 7 December (afternoon): what a remote organization sends about its own appeals
(receiving.py) cannot reach an organization that blocked it, and an odd date does not break the
inbox."""

import pytest

from .test_receiving import INBOX, METAL, article, create, received

pytestmark = pytest.mark.django_db


def test_an_appeal_with_an_impossible_deadline_is_received_without_one(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam, endTime="2027-13-45T00:00:00Z")
    response = rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL]))
    assert response.status_code == 202, response.content
    work_off()
    appeal = received(rotterdam)
    assert (appeal.status, appeal.deadline) == ("open", None)
