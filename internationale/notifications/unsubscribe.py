"""The links that turn notice e-mails off in one click (RFC 8058). A link names the person and what
it turns off (the notices of one organization, or all) and is signed: the signature is the
authority, since the mail client that follows it is not signed in."""

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


def unsubscribe_url(user_id: int, organization_id: int | None) -> str:
    token = signing.dumps({"u": user_id, "o": organization_id}, salt=SALT, compress=True)
    return absolute_url(f"/email/unsubscribe/{token}/")


def unsubscribe_read(token: str) -> Unsubscribe:
    """What `token` turns off. Raises signing.BadSignature (SignatureExpired included) for a
    forged, altered or expired one."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    try:
        user_id, organization_id = data["u"], data["o"]
    except (KeyError, TypeError) as exc:
        raise signing.BadSignature("malformed") from exc
    if not isinstance(user_id, int) or not (
        organization_id is None or isinstance(organization_id, int)
    ):
        raise signing.BadSignature("malformed")
    return Unsubscribe(user_id, organization_id)


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
