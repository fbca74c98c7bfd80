"""A person's own data: exported as JSON (their profile, memberships, what they wrote in their
organizations, the audit entries about them), and their account deleted, with what they wrote
staying with their organizations, attributed to "a former member"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.accounts.models import FORMER_DOMAIN
from internationale.core.actors import ActorLike, user_of
from internationale.core.audit import audit
from internationale.core.models import AuditEntry
from internationale.core.owned import owned
from internationale.organizations.models import Membership
from internationale.organizations.services import membership_remove

from .archive import ORGANIZATION, PERSON, _plain

FORMAT = "internationale-person-data"
VERSION = 1


def person_data(*, actor: ActorLike) -> dict[str, Any]:
    """Everything about the person acting, as JSON-ready data. What they wrote is read only in
    the organizations they belong to now: what they wrote for one they left stays its own."""
    user = user_of(actor)
    audit(actor=actor, action="account.export_data", target=user, person=user.pk)
    memberships = list(
        Membership.objects.filter(user=user).select_related("organization").order_by("pk")
    )
    organization_ids = [m.organization_id for m in memberships]
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "profile": {
            "name": user.name,
            "email": user.email,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {
                "organization": m.organization.slug,
                "name": m.organization.name,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "written": _written(user, organization_ids),
        "audit": _audit(user, organization_ids),
    }


def _written(user: Any, organization_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    written: dict[str, list[dict[str, Any]]] = {}
    for declaration in owned():
        model = declaration.model_class
        if declaration.generic or model._meta.label in (PERSON, ORGANIZATION):
            continue
        fields = declaration.exported_fields()
        by_person = [
            f
            for f in fields
            if f.is_relation
            and not f.many_to_many
            and f.related_model is not None
            and f.related_model._meta.label == PERSON
        ]
        if not by_person:
            continue
        theirs = Q(pk__in=[])
        for f in by_person:
            theirs |= Q(**{f.attname: user.pk})
        in_theirs = Q(pk__in=[])
        for organization_id in organization_ids:
            in_theirs |= declaration.owned_by(organization_id)
        ids = model._base_manager.filter(theirs & in_theirs).values("pk")
        rows = [
            _row(obj, fields, user) for obj in model._base_manager.filter(pk__in=ids).order_by("pk")
        ]
        if rows:
            written[declaration.key] = rows
    return written


def _row(obj: models.Model, fields: list[Any], user: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": obj.pk}
    for f in fields:
        if f.many_to_many:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation and value is not None:
            label = f.related_model._meta.label
            if label == ORGANIZATION:
                value = getattr(obj, f.name).slug
            elif label == PERSON:
                value = "you" if value == user.pk else None  # others are not yours to export
        elif isinstance(f, models.FileField):
            value = str(value) if value else ""
        row[f.name] = _plain(value)
    return row


def _audit(user: Any, organization_ids: list[int]) -> list[dict[str, Any]]:
    """The entries about the person, and those of what they did, in no organization or in one
    they belong to now (an organization they left keeps its log)."""
    about = ContentType.objects.get_for_model(get_user_model())
    by_them = Q(actor=user) & (Q(organization__isnull=True) | Q(organization__in=organization_ids))
    entries = AuditEntry.objects.filter(
        by_them | Q(target_type=about, target_id=str(user.pk))
    ).select_related("organization")
    return [
        {
            "at": entry.created_at.isoformat(),
            "action": entry.action,
            "summary": entry.summary,
            "organization": entry.organization.slug if entry.organization else None,
        }
        for entry in entries.order_by("created_at", "pk")
    ]


def _redact_audit(email: str, former: str) -> None:
    """The organizations' audit keeps what happened, not who the deleted person was: their address
    leaves the entries that name it (leaving their organizations, tokens made, invitations), in
    the summary and in the parameters the entry is worded from. Rare, so a scan of the summaries
    will do."""
    entries = AuditEntry.objects.filter(Q(summary__contains=email) | Q(data__email=email))
    for entry in entries:
        entry.summary = entry.summary.replace(email, former)
        entry.data = {key: former if value == email else value for key, value in entry.data.items()}
        entry.save(update_fields=["summary", "data"])


def account_delete(*, actor: ActorLike) -> None:
    """Delete the person's account: they leave every organization (refused, with nothing changed,
    while they are the last admin of one), their personal settings, tokens, sessions and second
    factors go, and the account is kept without name or address, so that what they wrote stays
    with their organizations, attributed to "a former member"."""
    user = user_of(actor)
    owned_models = {d.model_class for d in owned()}
    with transaction.atomic():
        for membership in Membership.objects.filter(user=user).select_related("organization"):
            try:
                membership_remove(actor=actor, membership=membership)
            except ValidationError as error:
                raise ValidationError(
                    _(
                        "You are the last admin of %(organization)s: make someone else admin "
                        "there first. Nothing was deleted."
                    )
                    % {"organization": membership.organization.name},
                    code="last_admin",
                ) from error
        audit(actor=actor, action="account.delete", target=user, person=user.pk)
        # What belongs to the person alone (settings, tokens, pending e-mails, second factors,
        # their addresses in allauth): every row that would go with the account.
        for relation in user._meta.related_objects:
            related = relation.related_model
            if (
                relation.on_delete is models.CASCADE
                and related not in owned_models
                and related is not AuditEntry
            ):
                related._base_manager.filter(**{relation.field.name: user}).delete()
        _redact_audit(user.email, f"former-{user.pk}@{FORMER_DOMAIN}")
        user.email = f"former-{user.pk}@{FORMER_DOMAIN}"
        user.name = ""
        user.language = ""
        user.time_zone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        # A new (unusable) password ends every session of the account: Django checks each
        # session against it.
        user.set_unusable_password()
        user.save()
