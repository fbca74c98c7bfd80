"""Review of 7 December (afternoon): once an emergency erase is done, the notices that told the
admins it was asked go, and so does their count in those admins' header."""

import pytest

from internationale.ownership.erase import erase_confirm

from . import test_erase_told

pytestmark = pytest.mark.django_db

# The fixtures of the erase's notices: its second and third admins, and the asking.
ada, ari, ask = test_erase_told.ada, test_erase_told.ari, test_erase_told.ask


def test_once_the_erase_is_done_the_admins_header_no_longer_counts_its_notices(
    ask,
    client_for,
    owner_org,
    ana,
    ada,
    ari,
):
    request = ask(ana)
    for admin in (ada, ari):
        assert 'aria-label="1 unread notice"' in client_for(admin).get("/").content.decode()
    erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    for admin in (ada, ari):
        admin.refresh_from_db()
        page = client_for(admin).get("/").content.decode()
        assert "unread notice" not in page, admin
        assert admin.unread_notices == 0
