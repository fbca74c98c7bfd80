"""Permission-matrix cases for inboxes, webhooks and the choice of notice e-mails."""

from django.utils import timezone

from internationale.core.tests.matrix import OWNERS, PERSONAS, SIGNED_IN, Case, expect
from internationale.notifications.models import PersonalEntry
from internationale.notifications.unsubscribe import unsubscribe_url

ALL = PERSONAS


def _org(w):  # type: ignore[no-untyped-def]
    return w.owner_org.slug


def _unsubscribe(w):  # type: ignore[no-untyped-def]
    return "/" + unsubscribe_url(w.people["ana"].pk, w.owner_org.pk).split("/", 3)[3]


def personal_entry(w):  # type: ignore[no-untyped-def]
    """An entry in mo's own inbox (made once per world)."""
    if "personal_entry" not in w.extra:
        w.extra["personal_entry"] = PersonalEntry.objects.create(
            person=w.people["mo"], kind="test", title="For mo", url="/", created_at=timezone.now()
        )
    return w.extra["personal_entry"]


CASES = [
    # A person's own inbox: every person signed in has one; an entry only its person opens.
    Case("personal_inbox", "GET", lambda w: "/notices/", expect(SIGNED_IN, 200, 302)),
    Case("personal_inbox", "POST", lambda w: "/notices/", expect(PERSONAS, 405, 405)),
    Case(
        "personal_entry",
        "GET",
        lambda w: f"/notices/{personal_entry(w).pk}/",
        expect(["mo"], 302, 404, anonymous=302),
    ),
    Case(
        "personal_entry",
        "POST",
        lambda w: f"/notices/{personal_entry(w).pk}/",
        expect(PERSONAS, 405, 405),
    ),
    Case(
        "personal_unread",
        "POST",
        lambda w: f"/notices/{personal_entry(w).pk}/unread/",
        expect(["mo"], 302, 404, anonymous=302),
    ),
    Case(
        "personal_unread",
        "GET",
        lambda w: f"/notices/{personal_entry(w).pk}/unread/",
        expect(PERSONAS, 405, 405),
    ),
    # One-click unsubscribe: the signed link is the authority, whoever follows it (RFC 8058).
    Case("email_unsubscribe", "GET", lambda w: _unsubscribe(w), expect(ALL, 200, 200)),
    Case("email_unsubscribe", "POST", lambda w: _unsubscribe(w), expect(ALL, 200, 200)),
    # A person's own choice of e-mails, from their settings page.
    Case("email_preferences", "GET", lambda w: "/email/preferences/", expect(ALL, 405, 405)),
    Case("email_preferences", "POST", lambda w: "/email/preferences/", expect(ALL, 302, 302)),
    # The pages of e-mail choices, one per app's kinds and one of the person's organizations:
    # every signed-in person's own; saving (or refusing what does not fit) leads back to them.
    Case(
        "email_kinds",
        "GET",
        lambda w: "/settings/emails/kinds/appeals/",
        expect(SIGNED_IN, 200, 200, anonymous=302),
    ),
    Case(
        "email_kinds",
        "POST",
        lambda w: "/settings/emails/kinds/appeals/",
        expect(SIGNED_IN, 302, 302, anonymous=302),
        data=lambda w: {"kind_appeal.received": "digest"},
    ),
    Case(
        "email_organizations",
        "GET",
        lambda w: "/settings/emails/organizations/",
        expect(SIGNED_IN, 200, 200, anonymous=302),
    ),
    Case(
        "email_organizations",
        "POST",
        lambda w: "/settings/emails/organizations/",
        expect(SIGNED_IN, 302, 302, anonymous=302),
        data=lambda w: {f"organization_{w.owner_org.pk}": "off"},
    ),
    # The inbox: every member of the organization, whatever the role; operators are not members.
    Case("inbox", "GET", lambda w: f"/inbox/{_org(w)}/", expect(OWNERS, 200, 404, anonymous=302)),
    Case("inbox", "POST", lambda w: f"/inbox/{_org(w)}/", expect(ALL, 405, 405)),
    # Opening an entry marks it read and leads to its local address ("/").
    Case(
        "inbox_entry",
        "GET",
        lambda w: f"/inbox/{_org(w)}/{w.inbox_entry.pk}/",
        expect(OWNERS, 302, 404, anonymous=302),
    ),
    Case(
        "inbox_entry",
        "POST",
        lambda w: f"/inbox/{_org(w)}/{w.inbox_entry.pk}/",
        expect(ALL, 405, 405),
    ),
    Case(
        "inbox_unread",
        "GET",
        lambda w: f"/inbox/{_org(w)}/{w.inbox_entry.pk}/unread/",
        expect(ALL, 405, 405),
    ),
    Case(
        "inbox_unread",
        "POST",
        lambda w: f"/inbox/{_org(w)}/{w.inbox_entry.pk}/unread/",
        expect(OWNERS, 302, 404, anonymous=302),
    ),
    # Webhooks: the organization's admins only.
    Case(
        "webhook_list",
        "GET",
        lambda w: f"/organizations/{_org(w)}/webhooks/",
        expect(["ana"], 200, 404, anonymous=302),
    ),
    Case(
        "webhook_list",
        "POST",
        lambda w: f"/organizations/{_org(w)}/webhooks/",
        expect(["ana"], 302, 404, anonymous=302),
        data=lambda w: {"url": "https://hooks.example.org/other"},
    ),
    Case(
        "webhook_delete",
        "GET",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/delete/",
        expect(["ana"], 200, 404, anonymous=302),
    ),
    Case(
        "webhook_delete",
        "POST",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/delete/",
        expect(["ana"], 302, 404, anonymous=302),
    ),
    Case(
        "webhook_rotate_secret",
        "GET",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/rotate-secret/",
        expect(ALL, 405, 405),
    ),
    Case(
        "webhook_rotate_secret",
        "POST",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/rotate-secret/",
        expect(["ana"], 302, 404, anonymous=302),
    ),
    Case(
        "webhook_retire_previous_secret",
        "GET",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/retire-old-secret/",
        expect(ALL, 405, 405),
    ),
    Case(
        "webhook_retire_previous_secret",
        "POST",
        lambda w: f"/organizations/{_org(w)}/webhooks/{w.webhook.pk}/retire-old-secret/",
        expect(["ana"], 302, 404, anonymous=302),
    ),
]
