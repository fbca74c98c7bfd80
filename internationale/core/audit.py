"""The audit trail: every sensitive action, by kind, on its target object.

Every kind an app records is registered once, with a label and a wording that takes the entry's
parameters, so the audit log reads in each reader's language (like the inbox titles):

    register(
        "relation.end",
        label=_("Relation ended"),
        wording=lambda p: _("%(proposer)s ↔ %(partner)s (%(kind)s)") % p,
    )

`audit()` refuses a kind that is not registered. The stored `summary` is the wording in the
server's language at the time, kept for an entry whose kind or parameters no longer fit.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from .actors import ActorLike, acting_for, is_system, person
from .models import AuditEntry

logger = logging.getLogger("internationale.audit")

Wording = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class AuditKind:
    label: Promise | str
    wording: Wording


_KINDS: dict[str, AuditKind] = {}


def register(kind: str, *, label: Promise | str, wording: Wording) -> None:
    _KINDS[kind] = AuditKind(label=label, wording=wording)


def registered() -> dict[str, AuditKind]:
    return dict(_KINDS)


def label(kind: str) -> str:
    known = _KINDS.get(kind)
    return str(known.label) if known else kind


def word(entry: AuditEntry) -> str:
    """The entry in the active language; its stored summary if its kind or values do not fit."""
    known = _KINDS.get(entry.action)
    if known is None:
        return entry.summary
    try:
        return str(known.wording(entry.data))
    except (KeyError, TypeError, ValueError):
        logger.warning("audit kind %r does not fit its values", entry.action, exc_info=True)
        return entry.summary


def audit(
    *,
    actor: ActorLike,
    action: str,
    target: models.Model | None = None,
    organization: Any = None,
    summary: str | None = None,
    **data: Any,
) -> AuditEntry:
    """Record a sensitive action of a registered kind on `target`. Call inside the service's
    transaction. `data` are the wording's parameters (and ids worth keeping). The entry records
    who acted: a person, a person acting through an organization's API token (`acting_for`), or
    the system with its reason."""
    known = _KINDS.get(action)
    if known is None:
        raise ValueError(f"Audit kind {action!r} is not registered.")
    if summary is None:
        with translation.override(settings.LANGUAGE_CODE):
            try:
                summary = str(known.wording(data))
            except (KeyError, TypeError, ValueError):
                summary = action
    return AuditEntry.objects.create(
        actor=person(actor),
        acting_for_id=acting_for(actor),
        system=actor.reason[:64] if is_system(actor) else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        organization=organization,
        action=action,
        summary=summary[:500],
        data=data,
    )
