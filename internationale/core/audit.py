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

The audit log shows each reader only what the reader may see elsewhere. A kind whose parameters
are confidential declares who may read them (`Confidential`: a rule on the entry's target, or on
its organization) and a wording without them; `for_reader()` words each entry for one reader,
and shows who acted only to those who may see the organization's people. A kind whose very
existence is confidential (`unlisted`: advice between two organizations) is left out of the log
altogether for a reader who fails the rule (`unlisted_for`), not even its label shown.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from .actors import ActorLike, Remote, acting_for, is_system, person
from .models import AuditEntry
from .visibility import Audience, view_rule

logger = logging.getLogger("internationale.audit")

Wording = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Confidential:
    """Who may read an entry's parameters: those who pass `rule` on the entry's target (`on=
    "target"`; for a shared model, its view rule is decided by its audience, one query for a
    page), or on the entry's organization (`on="organization"`). Others read `wording`, which
    takes the same parameters and must use none of the confidential ones. `related`: what to
    read with the targets for the rule (select_related paths). `unlisted` (with `on=
    "organization"`): the entry is left out of the log for those who fail the rule, as if it did
    not exist (see `unlisted_for`)."""

    rule: str
    wording: Wording
    on: Literal["target", "organization"] = "target"
    related: tuple[str, ...] = ()
    unlisted: bool = False

    def __post_init__(self) -> None:
        if self.unlisted and self.on != "organization":
            raise ValueError("An unlisted kind is decided on the entry's organization.")


@dataclass(frozen=True)
class AuditKind:
    label: Promise | str
    wording: Wording
    confidential: Confidential | None = None


_KINDS: dict[str, AuditKind] = {}

# Who acted is a person of the organization (an e-mail address): shown to those who may see its
# people, and to the person themselves.
PEOPLE_RULE = "organizations.view_members"


def register(
    kind: str, *, label: Promise | str, wording: Wording, confidential: Confidential | None = None
) -> None:
    _KINDS[kind] = AuditKind(label=label, wording=wording, confidential=confidential)


def registered() -> dict[str, AuditKind]:
    return dict(_KINDS)


def unlisted_for(viewer: Any, organization: models.Model) -> list[str]:
    """The kinds whose entries of `organization` the viewer may not even know of: to leave out
    of the organization's log before it is paged."""
    return [
        kind
        for kind, known in _KINDS.items()
        if known.confidential is not None
        and known.confidential.unlisted
        and not viewer.has_perm(known.confidential.rule, organization)
    ]


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
    the system with its reason, or a remote organization (`acting_for`, and its actor URL in the
    data as `remote_actor`)."""
    known = _KINDS.get(action)
    if isinstance(actor, Remote):
        data.setdefault("remote_actor", actor.actor_url)
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


def _hidden_wording(entry: AuditEntry, kind: AuditKind) -> str:
    assert kind.confidential is not None
    try:
        return str(kind.confidential.wording(entry.data))
    except (KeyError, TypeError, ValueError):
        # Never the stored summary: it was worded with the confidential parameters.
        return str(kind.label)


def _targets_shown(entries: list[AuditEntry], viewer: Any) -> set[int]:
    """The entries (by id) whose target the viewer passes the confidential rule on: a query per
    kind of target."""
    shown: set[int] = set()
    by_type: dict[Any, list[tuple[AuditEntry, Confidential]]] = {}
    for entry in entries:
        kind = _KINDS.get(entry.action)
        if kind and kind.confidential and kind.confidential.on == "target" and entry.target_type:
            by_type.setdefault(entry.target_type, []).append((entry, kind.confidential))
    for target_type, pairs in by_type.items():
        model = target_type.model_class()
        if model is None:
            continue
        ids = {entry.target_id for entry, _c in pairs}
        audience = getattr(model, "audience", None)
        visible: set[str] | None = None
        if isinstance(audience, Audience):
            rows = model.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)  # type: ignore[attr-defined]
            visible = {str(pk) for pk in rows}
        related = {path for _e, c in pairs for path in c.related}
        targets = model._default_manager.select_related(*related).in_bulk(ids)
        for entry, confidential in pairs:
            if visible is not None and confidential.rule == view_rule(model):
                ok = entry.target_id in visible
            else:
                target = targets.get(_pk(model, entry.target_id))
                ok = target is not None and viewer.has_perm(confidential.rule, target)
            if ok:
                shown.add(entry.pk)
    return shown


def _pk(model: type[models.Model], value: str) -> Any:
    try:
        return model._meta.pk.to_python(value)  # type: ignore[union-attr]
    except ValidationError:  # a stored id that no longer fits: no target
        return None


def for_reader(entries: Iterable[AuditEntry], viewer: Any) -> list[AuditEntry]:
    """The entries worded for one reader: the parameters of an entry whose confidential part
    the reader may not see are left out (its kind's other wording), and who acted shows only to
    those who may see the organization's people (and the entry's parameters), or to the person
    themselves. Sets `text` and
    `actor_shown` on each entry."""
    entries = list(entries)
    shown = _targets_shown(entries, viewer)
    people: dict[Any, bool] = {}
    for entry in entries:
        org = entry.organization
        if org is not None and entry.organization_id not in people:
            people[entry.organization_id] = viewer.has_perm(PEOPLE_RULE, org)
        sees_people = people.get(entry.organization_id, False)
        kind = _KINDS.get(entry.action)
        hidden = False
        if kind and kind.confidential:
            if kind.confidential.on == "organization":
                hidden = org is None or not viewer.has_perm(kind.confidential.rule, org)
            else:
                hidden = entry.pk not in shown
        entry.__dict__["reader_text"] = _hidden_wording(entry, kind) if hidden else word(entry)  # type: ignore[arg-type]
        # Who acted on something the reader may not see would tell what it was.
        entry.actor_shown = entry.actor is not None and (  # type: ignore[attr-defined]
            (sees_people and not hidden) or entry.actor_id == getattr(viewer, "pk", None)
        )
    return entries
