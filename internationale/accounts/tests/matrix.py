"""Permission-matrix cases for people's pages, and for the core pages `home` and `dashboard`."""

from internationale.accounts.tests.factories import PASSWORD
from internationale.core.tests.matrix import OWNERS, PERSONAS, SIGNED_IN, Case, expect

ALL = PERSONAS


def _org(w):  # type: ignore[no-untyped-def]
    return w.owner_org.slug


CASES = [
    # Project pages (web/views.py): the home page is public; the dashboard needs a signed-in person.
    # Neither restricts the method, so a POST answers like a GET.
    Case("home", "GET", lambda w: "/", expect(ALL, 200, 200)),
    Case("home", "POST", lambda w: "/", expect(ALL, 405, 405)),
    Case("dashboard", "GET", lambda w: "/dashboard/", expect(SIGNED_IN, 200, 200, anonymous=302)),
    Case("dashboard", "POST", lambda w: "/dashboard/", expect(ALL, 405, 405)),
    # The operator pages' sign-in: the platform's sign-in for the anonymous visitor, the operator
    # pages for an operator, refused to anyone else; it never takes a password itself.
    Case(
        "operator_login",
        "GET",
        lambda w: "/operator/login/",
        expect(["oscar"], 302, 403, anonymous=302),
    ),
    Case("operator_login", "POST", lambda w: "/operator/login/", expect(ALL, 405, 405)),
    # A person's own settings: every signed-in person, nobody else's.
    Case(
        "account_settings",
        "GET",
        lambda w: "/settings/",
        expect(SIGNED_IN, 200, 200, anonymous=302),
    ),
    Case(
        "account_settings",
        "POST",
        lambda w: "/settings/",
        expect(SIGNED_IN, 302, 302, anonymous=302),
        data=lambda w: {"name": "Someone", "language": "es", "time_zone": "America/Sao_Paulo"},
    ),
    # The language switcher works for everyone, signed in or not; only by POST.
    Case("set_language", "GET", lambda w: "/settings/language/", expect(ALL, 405, 405)),
    Case(
        "set_language",
        "POST",
        lambda w: "/settings/language/",
        expect(ALL, 302, 302),
        data=lambda w: {"language": "fr", "next": "/"},
    ),
    # The audit log: the organization's admins and the server's operators.
    Case(
        "audit_log",
        "GET",
        lambda w: f"/organizations/{_org(w)}/audit/",
        expect(["ana", "oscar"], 200, 404, anonymous=302),
    ),
    Case("audit_log", "POST", lambda w: f"/organizations/{_org(w)}/audit/", expect(ALL, 405, 405)),
    # API tokens: any member makes their own; operators are not members.
    Case(
        "token_list",
        "GET",
        lambda w: f"/organizations/{_org(w)}/tokens/",
        expect(OWNERS, 200, 404, anonymous=302),
    ),
    Case(
        "token_list",
        "POST",
        lambda w: f"/organizations/{_org(w)}/tokens/",
        expect(OWNERS, 302, 404, anonymous=302),
        data=lambda w: {"name": "a script", "password": PASSWORD},
    ),
    # Ana's token: she owns it and is the admin; the other members do not see it.
    Case(
        "token_revoke",
        "GET",
        lambda w: f"/organizations/{_org(w)}/tokens/{w.token.pk}/revoke/",
        expect(["ana"], 200, 404, anonymous=302),
    ),
    Case(
        "token_revoke",
        "POST",
        lambda w: f"/organizations/{_org(w)}/tokens/{w.token.pk}/revoke/",
        expect(["ana"], 302, 404, anonymous=302),
    ),
]
