"""Permission-matrix cases for the API on inboxes: every member of the organization, whatever
the role; operators are not members. Anonymous: 401; others: 404, as if it did not exist."""

from internationale.core.tests.matrix import OWNERS, PERSONAS, Case, expect


def _inbox(w):  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{w.owner_org.slug}/inbox"


def _read(w):  # type: ignore[no-untyped-def]
    return f"{_inbox(w)}/{w.inbox_entry.pk}/read"


CASES = [
    Case("api:inbox", "GET", _inbox, expect(OWNERS, 200, 404, anonymous=401)),
    Case("api:inbox", "POST", _inbox, expect(PERSONAS, 405, 405)),
    Case("api:inbox_read", "POST", _read, expect(OWNERS, 200, 404, anonymous=401)),
    Case("api:inbox_read", "GET", _read, expect(PERSONAS, 405, 405)),
    Case("api:inbox_unread", "DELETE", _read, expect(OWNERS, 200, 404, anonymous=401)),
]
