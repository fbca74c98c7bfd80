"""Permission-matrix cases for the API on inboxes: every member of the organization, whatever
the role; operators are not members. Anonymous: 401; others: 404, as if it did not exist."""

from internationale.core.tests.matrix import OWNERS, PERSONAS, SIGNED_IN, Case, expect
from internationale.notifications.tests.matrix import personal_entry


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


# A person's own inbox: each signed-in person reads theirs; an entry only its person marks.


def _mine(w):  # type: ignore[no-untyped-def]
    return f"/api/v1/me/inbox/{personal_entry(w).pk}/read"


CASES += [
    Case("api:personal_inbox", "GET", lambda w: "/api/v1/me/inbox", expect(SIGNED_IN, 200, 401)),
    Case("api:personal_inbox", "POST", lambda w: "/api/v1/me/inbox", expect(PERSONAS, 405, 405)),
    Case("api:personal_inbox_read", "POST", _mine, expect(["mo"], 200, 404, anonymous=401)),
    Case("api:personal_inbox_read", "GET", _mine, expect(PERSONAS, 405, 405)),
    Case("api:personal_inbox_unread", "DELETE", _mine, expect(["mo"], 200, 404, anonymous=401)),
]


# Webhooks: the organization's admins only.


def _hooks(w):  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{w.owner_org.slug}/webhooks"


def _hook(w):  # type: ignore[no-untyped-def]
    return f"{_hooks(w)}/{w.webhook.pk}"


CASES += [
    Case("api:webhook_list", "GET", _hooks, expect(["ana"], 200, 404, anonymous=401)),
    Case(
        "api:webhook_create",
        "POST",
        _hooks,
        expect(["ana"], 201, 404, anonymous=401),
        data=lambda w: {"url": "https://93.184.216.34/other"},
        json=True,
    ),
    Case("api:webhook_delete", "DELETE", _hook, expect(["ana"], 204, 404, anonymous=401)),
    Case("api:webhook_delete", "GET", _hook, expect(PERSONAS, 405, 405)),
    Case(
        "api:webhook_rotate_secret",
        "POST",
        lambda w: f"{_hook(w)}/secret",
        expect(["ana"], 200, 404, anonymous=401),
    ),
    # Nothing to retire in the world as built: refused, for the admin, as a bad request.
    Case(
        "api:webhook_retire_previous_secret",
        "DELETE",
        lambda w: f"{_hook(w)}/previous-secret",
        expect(["ana"], 400, 404, anonymous=401),
    ),
]
