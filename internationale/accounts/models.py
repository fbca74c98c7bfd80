import hashlib
import secrets
import zoneinfo
from typing import Any, ClassVar

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internationale.core.actors import Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."),
            code="invalid_time_zone",
            params={"value": value},
        )


# The addresses of deleted accounts: `former-<id>@former.invalid` (.invalid is never delivered).
FORMER_DOMAIN = "former.invalid"


class User(AbstractUser):
    """A person. Signs in with an e-mail address. `is_staff` marks a server operator."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("interface language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    # Blank: not chosen; pages then follow the browser's zone, else the organization's country's.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", validators=[validate_time_zone]
    )
    # How many entries of the person's own inbox are unread, shown in the page's header: kept here
    # because the person's row is read at every request anyway (core/signed_in.py), so the count
    # costs no query of its own. Counted again from the entries whenever they change, never added
    # to (notifications/unread.py), so that it cannot drift.
    unread_notices = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()  # type: ignore[misc, assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A whole save (a form, allauth's account changes) writes every field but the unread count:
        # the count it read at its start may be stale, and only notifications/unread.py sets it.
        if kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname != "unread_notices"
            ]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        if self.is_former:
            return str(_("a former member"))
        return self.name or self.email

    @property
    def is_former(self) -> bool:
        """An account its person deleted: kept, without anything personal, so that what they
        wrote stays with their organizations, attributed to "a former member"."""
        return not self.is_active and self.email.endswith("@" + FORMER_DOMAIN)

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # The platform's own rules are decided by the rules alone: Django's superuser flag (which
        # the operator pages need) grants no right to speak for or read into an organization.
        # The rules' predicates receive an actor: this person acting for all their organizations
        # (roles read for this check; a request's actor, `actor_of(request)`, keeps them).
        if rules.perm_exists(perm):
            return Person(user=self).has_perm(perm, obj)
        return super().has_perm(perm, obj)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token bound to one person acting for one organization. Only its hash is kept."""

    PREFIX = "int_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Chosen at creation; none: until revoked. A token ends for good when its person leaves the
    # organization, changes their password or sets up a second factor.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def generate() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)
