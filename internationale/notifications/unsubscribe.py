"""The links that turn notice e-mails off in one click (RFC 8058). A link names the person and what
it turns off (the notices of one organization, or all) and is signed: the signature is the
authority, since the mail client that follows it is not signed in.

`link_token`, `link_read` and `one_click_headers` are the same for every e-mail that carries such
a link (the library's weekly digest too, under its own salt)."""

from dataclasses import dataclass

from django.core import signing

from internationale.accounts.models import User
from internationale.core.links import absolute_url
from internationale.organizations.models import Organization

SALT = "internationale.notifications.unsubscribe"
# A link in an old e-mail still works for this long.
MAX_AGE = 60 * 60 * 24 * 90


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    organization_id: int | None  # None: the notices of every organization


def link_token(salt: str, **ids: int | None) -> str:
    """A signed token naming `ids` (short keys: it goes into a link)."""
    return signing.dumps(ids, salt=salt, compress=True)


def link_read(
    token: str, salt: str, names: tuple[str, ...], nullable: tuple[str, ...] = ()
) -> dict[str, int | None]:
    """The ids a `link_token` names: each of `names` an int (None allowed for those in
    `nullable`). Raises signing.BadSignature (SignatureExpired included) for a forged, altered,
    malformed or expired one (MAX_AGE)."""
    data = signing.loads(token, salt=salt, max_age=MAX_AGE)
    if not isinstance(data, dict) or any(name not in data for name in names):
        raise signing.BadSignature("malformed")
    for name in names:
        value = data[name]
        if not (isinstance(value, int) or (value is None and name in nullable)):
            raise signing.BadSignature("malformed")
    return {name: data[name] for name in names}


def one_click_headers(url: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 2369, RFC 8058): the mail client posts to the link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_url(user_id: int, organization_id: int | None) -> str:
    return absolute_url(f"/email/unsubscribe/{link_token(SALT, u=user_id, o=organization_id)}/")


def unsubscribe_read(token: str) -> Unsubscribe:
    """What `token` turns off. Raises signing.BadSignature (SignatureExpired included) for a
    forged, altered or expired one."""
    ids = link_read(token, SALT, ("u", "o"), nullable=("o",))
    return Unsubscribe(ids["u"], ids["o"])  # type: ignore[arg-type]


def unsubscribe_names(what: Unsubscribe) -> tuple[str, Organization | None]:
    """What the page of a link names: the person's saved language ("" if none, or the person is
    gone), and the organization whose notices it turns off (None: all, or it is gone)."""
    language = (
        User.objects.filter(pk=what.user_id, is_active=True)
        .values_list("language", flat=True)
        .first()
    )
    organization = None
    if what.organization_id is not None:
        organization = Organization.objects.filter(pk=what.organization_id).first()
    return language or "", organization
