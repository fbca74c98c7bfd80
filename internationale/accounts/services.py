"""Writes on people and their API tokens."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike
from internationale.core.audit import audit
from internationale.core.predicates import role_in
from internationale.core.services import require

from .models import ApiToken, User, hash_token


def user_create(
    *,
    email: str,
    password: str | None = None,
    name: str = "",
    is_staff: bool = False,
    verified_email: bool = True,
) -> User:
    """Create a person with a confirmed e-mail address (for operators and the command line)."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("A person with this e-mail address already exists.")},
            code="duplicate_email",
        )
    # An operator gets the operator pages whole (is_superuser); inside organizations the rules
    # alone decide, and they ignore is_superuser.
    user = User(email=email, name=name, is_staff=is_staff, is_superuser=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified_email)
    return user


def token_create(
    *,
    actor: ActorLike,
    user: User,
    organization: Any,
    name: str = "",
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new API token for `user` acting for `organization`, until `expires_at` (or until revoked
    when None). Returns it and the raw key, shown once.

    A person creates tokens for themselves, having given their password or second-factor code
    again (forms.TokenCreateForm); the command line acts as `System(reason="cli")`.
    """
    require(actor, "accounts.create_token", user, _("You can create tokens only for yourself."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": _("The expiry date must be in the future.")}, code="expiry_past"
        )
    if role_in(user, organization) is None:
        raise ValidationError(
            _("%(email)s is not a member of %(org)s.")
            % {"email": user.email, "org": organization.name},
            code="not_member",
        )
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            organization=organization,
            name=name[:100],
            key_hash=hash_token(raw),
            key_prefix=raw[:10],
            expires_at=expires_at,
        )
        audit(
            actor=actor,
            target=token,
            organization=organization,
            action="token.create",
            email=user.email,
            prefix=token.key_prefix,
        )
    return token, raw


def token_revoke(*, actor: ActorLike, token: ApiToken) -> ApiToken:
    require(
        actor,
        "accounts.revoke_token",
        token,
        _("Only its owner or an admin of the organization can revoke this token."),
    )
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(
                actor=actor,
                target=token,
                organization=token.organization,
                action="token.revoke",
                email=token.user.email,
                prefix=token.key_prefix,
            )
    return token


def tokens_revoke_all(
    *, actor: ActorLike, user: User, reason: str, organization: Any = None
) -> int:
    """End every live token of `user` (in `organization` only, when given) as the consequence of
    a change already allowed and made by its own service: the membership ended ("membership"),
    the password changed ("password"), a second factor was set up ("two_factor"). The person is
    told by e-mail, except when their membership ended (the organization's own doing, audited
    there). Returns how many were revoked."""
    from .tasks import send_tokens_revoked

    now = timezone.now()
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)  # an expired one works no more anyway
    )
    if organization is not None:
        live = live.filter(organization=organization)
    with transaction.atomic():
        tokens = list(live.select_for_update().select_related("organization"))
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
        for token in tokens:
            audit(
                actor=actor,
                target=token,
                organization=token.organization,
                action="token.revoke",
                email=user.email,
                prefix=token.key_prefix,
                reason=reason,
            )
        if tokens and reason != "membership":
            transaction.on_commit(lambda: send_tokens_revoked.enqueue(user.pk, reason, len(tokens)))
    return len(tokens)


def user_set_operator(*, actor: ActorLike, user: User, operator: bool = True) -> User:
    """Make a person a server operator, or no longer one. An operator gets the operator pages whole
    (is_superuser too); inside organizations the rules alone decide, and they ignore both flags."""
    require(actor, "accounts.make_operator", user, _("Only a server operator can do this."))
    with transaction.atomic():
        if user.is_staff == operator and user.is_superuser == operator:
            return user
        user.is_staff = user.is_superuser = operator
        user.save(update_fields=["is_staff", "is_superuser"])
        audit(
            actor=actor,
            target=user,
            action="user.operator" if operator else "user.operator_removed",
            email=user.email,
        )
    return user


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for a raw key, with its last use recorded (at most once a minute)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    now = timezone.now()
    # A token acts for one organization: it stops working when its person leaves it, and does not
    # come back if they join again (the membership must be older than the token).
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            organization__memberships__user=F("user"),
            organization__memberships__created_at__lte=F("created_at"),
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_set_preferences(
    *,
    actor: User,
    language: str | None = None,
    time_zone: str | None = None,
    name: str | None = None,
) -> User:
    fields = []
    if language is not None:
        actor.language = language
        fields.append("language")
    if time_zone is not None:
        actor.time_zone = time_zone
        fields.append("time_zone")
    if name is not None:
        actor.name = name
        fields.append("name")
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=fields)
    return actor
