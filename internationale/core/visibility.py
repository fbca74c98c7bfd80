"""Who may see shared content: one declaration per model, every decision derived from it.

A model that organizations share declares its `audience` (see `Audience`) and uses
`SharedQuerySet` as its manager. From that one declaration come:
- the queryset filter: `Model.objects.visible_to(viewer)`, used by every selector;
- the same decision for one object in Python: `obj.is_visible_to(viewer)` (`Shared`);
- the django-rules permission `"<app>.view_<model>"`, registered for every shared model when the
  apps are ready (`register_view_rules`);
- whether the object is confidential (`obj.confidential`): everything not public, which keeps its
  content out of e-mails and webhooks;
- which field groups the viewer may read (`Masked`): `mask()` blanks the others, and selectors
  hand out masked objects, so pages and the API show the same;
- an access object (`Access`): what the viewer is to one object (of its owner, addressed, in the
  network), read once and handed to the reads that hang off the object.

The four levels of `Visibility`, narrowest last:
- public: anyone, signed in or not;
- network: members of verified organizations (and operators);
- addressed: the owner and the organizations the object is addressed to;
- private: the owner only.
The owner's people always see their own objects; the organizations addressed see everything but
private ones. Operators see no more than the network: confidential content stays between the
organizations concerned. An agreement test (core/tests/test_visibility_agreement.py) checks, for
every shared model, every level and every persona, that the filter, the Python check and the
permission rule decide the same.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, ClassVar, Generic, TypeVar

import rules
from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from .actors import ViewerLike, as_actor
from .models import Visibility
from .predicates import in_network, roles_of

M = TypeVar("M", bound=models.Model)

# Filters that match every row and none. (An empty Q() would not do: combined with `|`, Django
# drops it instead of matching everything.)
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])

PUBLIC, NETWORK, ADDRESSED, PRIVATE = (
    Visibility.PUBLIC.value,
    Visibility.NETWORK.value,
    Visibility.ADDRESSED.value,
    Visibility.PRIVATE.value,
)
# Narrowest first: of two levels, the one with the lower rank applies.
RANK = {PRIVATE: 0, ADDRESSED: 1, NETWORK: 2, PUBLIC: 3}


@dataclass(frozen=True)
class Masked:
    """A group of fields only some may read: the people of the organizations at the `to` paths,
    or, when the boolean attribute `open_if` is true, whoever sees the object. Hidden fields read
    as None (nullable ones and relations) or empty."""

    name: str
    fields: tuple[str, ...]
    to: tuple[str, ...]
    open_if: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who sees a shared object, declared once on its model.

    owner: path to the owning organization (`"organization"`, `"proposer"`).
    addressed: paths to the organizations it is addressed to (`"partner"`,
        `"addressees__organization"`): their people see it unless it is private.
    visibility: path to the field holding its level; None when the model has none, and `level`
        is its level.
    owner_only: rows only the owner sees whatever their level, as {field: values}
        (drafts: `{"status": ("draft",)}`).
    within: the shared object it belongs to (`"appeal"`); who may not see that may not see this.
    open_if: a boolean field; when true, whoever sees `within` sees this row too.
    masked: field groups only some may read (see `Masked`).
    """

    owner: str
    addressed: tuple[str, ...] = ()
    visibility: str | None = "visibility"
    level: str = PUBLIC
    owner_only: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    within: str | None = None
    open_if: str | None = None
    masked: tuple[Masked, ...] = ()


class Viewer:
    """What the audience needs to know of a viewer: its organizations, and the network."""

    __slots__ = ("mine", "network", "roles")

    def __init__(self, user: ViewerLike) -> None:
        actor = as_actor(user)  # once: a user object's roles are read once for both
        self.roles: dict[int, str] = {org: role for org, (role, _v) in roles_of(actor).items()}
        self.mine = frozenset(self.roles)
        self.network = in_network(actor)


# The filter --------------------------------------------------------------------------------------


def audience_q(model: type[models.Model], viewer: ViewerLike | Viewer) -> Q:
    """The rows of `model` the viewer may see, as one filter."""
    audience: Audience = model.audience  # type: ignore[attr-defined]
    who = viewer if isinstance(viewer, Viewer) else Viewer(viewer)
    mine = list(who.mine)
    owner = Q(**{f"{audience.owner}__in": mine}) if mine else NOTHING
    shared = _level_q(model, audience, who, mine)
    if audience.open_if:
        shared |= Q(**{audience.open_if: True})
    if audience.owner_only:
        shared &= ~_any_of(audience.owner_only)
    q = owner | shared
    if audience.within:
        parent = model._meta.get_field(audience.within).related_model
        q &= Q(**{f"{audience.within}__in": parent.objects.visible_to(who).values("pk")})  # type: ignore[union-attr]
    return q


def _level_q(model: type[models.Model], audience: Audience, who: Viewer, mine: list[int]) -> Q:
    if audience.visibility is None:
        fixed = audience.level
        if fixed == PUBLIC or (fixed == NETWORK and who.network):
            return EVERYTHING
        if fixed != PRIVATE and mine and audience.addressed:
            return _addressed_q(model, audience, mine)
        return NOTHING
    vis = audience.visibility
    q = Q(**{vis: PUBLIC})
    if who.network:
        q |= Q(**{vis: NETWORK})
    if mine and audience.addressed:
        q |= _addressed_q(model, audience, mine) & ~Q(**{vis: PRIVATE})
    return q


def _addressed_q(model: type[models.Model], audience: Audience, mine: list[int]) -> Q:
    parts = []
    for path in audience.addressed:
        if _many(model, path):
            # Exists, not a join: a row addressed to two of the viewer's organizations is one row.
            rows = model._default_manager.filter(pk=OuterRef("pk"), **{f"{path}__in": mine})
            parts.append(Q(Exists(rows)))
        else:
            parts.append(Q(**{f"{path}__in": mine}))
    return reduce(operator.or_, parts)


def _any_of(conditions: Mapping[str, tuple[Any, ...]]) -> Q:
    return reduce(operator.or_, (Q(**{f"{name}__in": v}) for name, v in conditions.items()))


def _many(model: type[models.Model], path: str) -> bool:
    """Whether the path crosses a relation to many rows (then a row may match several times)."""
    for name in path.split("__"):
        f = model._meta.get_field(name)
        if f.many_to_many or f.one_to_many:
            return True
        if f.related_model is None:
            return False
        model = f.related_model  # type: ignore[assignment]
    return False


class SharedQuerySet(models.QuerySet[M], Generic[M]):
    def visible_to(self, viewer: ViewerLike | Viewer) -> SharedQuerySet[M]:
        return self.filter(audience_q(self.model, viewer))


# The same decision in Python ---------------------------------------------------------------------


def _follow(obj: Any, path: str) -> Any:
    """The id at the end of a path of foreign keys, read from the object (no query when the
    related objects are loaded)."""
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def _split_many(model: type[models.Model], path: str) -> tuple[str, str]:
    """("appeal", "addressees__organization") for "appeal__addressees__organization": the foreign
    keys up to the object the many-valued part starts from, and that part."""
    names = path.split("__")
    for i, name in enumerate(names):
        f = model._meta.get_field(name)
        if f.many_to_many or f.one_to_many:
            return "__".join(names[:i]), "__".join(names[i:])
        model = f.related_model  # type: ignore[assignment]
    raise ValueError(path)


def addressed_among(obj: models.Model, organizations: frozenset[int]) -> frozenset[int]:
    """Which of `organizations` the object is addressed to. The answer is kept on the object it
    was read from (for a pledge, its appeal), so the page's other checks reuse it; a service that
    addresses the object to more organizations calls `forget_addressed`."""
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    found: set[int] = set()
    if not organizations:
        return frozenset()
    for path in audience.addressed:
        if not _many(type(obj), path):
            org = _follow(obj, path)
            if org in organizations:
                found.add(org)
            continue
        head, tail = _split_many(type(obj), path)
        holder = obj
        for name in head.split("__") if head else ():
            holder = getattr(holder, name)
        memo = holder.__dict__.setdefault("_addressed_memo", {})
        key = (tail, organizations)
        if key not in memo:
            memo[key] = frozenset(
                type(holder)
                ._default_manager.filter(pk=holder.pk, **{f"{tail}__in": organizations})
                .values_list(tail, flat=True)
            )
        found |= memo[key]
    return frozenset(found)


def forget_addressed(obj: models.Model) -> None:
    obj.__dict__.pop("_addressed_memo", None)


def _matches(obj: Any, conditions: Mapping[str, tuple[Any, ...]]) -> bool:
    return any(getattr(obj, name) in values for name, values in conditions.items())


def level_of(obj: models.Model) -> str:
    """The object's own level, before what it belongs to narrows it."""
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    if audience.visibility is None:
        return audience.level
    return str(_value(obj, audience.visibility))


def _value(obj: Any, path: str) -> Any:
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name)
    return getattr(obj, last)


def is_visible(obj: models.Model, viewer: ViewerLike | Viewer) -> bool:
    """The decision of `audience_q`, for one object."""
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    who = viewer if isinstance(viewer, Viewer) else Viewer(viewer)
    if audience.within and not is_visible(getattr(obj, audience.within), who):
        return False
    if _follow(obj, audience.owner) in who.mine:
        return True
    if audience.owner_only and _matches(obj, audience.owner_only):
        return False
    if audience.open_if and getattr(obj, audience.open_if):
        return True
    level = level_of(obj)
    if level == PUBLIC or (level == NETWORK and who.network):
        return True
    return level != PRIVATE and bool(addressed_among(obj, who.mine))


def organizations_seeing(obj: models.Model, organizations: Mapping[int, bool]) -> frozenset[int]:
    """Of `organizations` ({id: verified}), those whose people see `obj` as their people: the
    decision of `is_visible` for a person whose only organization is each one, taken for all of
    them at once (what the object is addressed to is read once). For telling an organization's
    inbox of something only its audience may know of."""
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    candidates = dict(organizations)
    if audience.within:
        inside = organizations_seeing(getattr(obj, audience.within), candidates)
        candidates = {org: verified for org, verified in candidates.items() if org in inside}
    if not candidates:
        return frozenset()
    owner = _follow(obj, audience.owner)
    found = {owner} & candidates.keys()
    others = {org: verified for org, verified in candidates.items() if org != owner}
    if audience.owner_only and _matches(obj, audience.owner_only):
        return frozenset(found)
    level = level_of(obj)
    if level == PUBLIC or (audience.open_if and getattr(obj, audience.open_if)):
        return frozenset(found | others.keys())
    if level == NETWORK:
        found |= {org for org, verified in others.items() if verified}
    if level != PRIVATE:
        found |= addressed_among(obj, frozenset(others.keys() - found))
    return frozenset(found)


def effective_level(obj: models.Model) -> str:
    """The level that decides who sees the object: its own, narrowed by what it belongs to;
    rows only the owner sees are private."""
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    if audience.owner_only and _matches(obj, audience.owner_only):
        return PRIVATE
    parent = effective_level(getattr(obj, audience.within)) if audience.within else PUBLIC
    if audience.open_if and getattr(obj, audience.open_if):
        return parent
    own = level_of(obj)
    return own if RANK[own] < RANK[parent] else parent


def is_confidential(obj: models.Model) -> bool:
    """Everything not public: its content stays out of e-mails and webhooks."""
    return effective_level(obj) != PUBLIC


# Field groups ------------------------------------------------------------------------------------


def shows(obj: models.Model, group: str, viewer: ViewerLike | Viewer) -> bool:
    """Whether the viewer may read the field group `group` of the object."""
    masked = _group(type(obj), group)
    if masked.open_if and getattr(obj, masked.open_if):
        return True
    who = viewer if isinstance(viewer, Viewer) else Viewer(viewer)
    return any(_follow(obj, path) in who.mine for path in masked.to)


def _group(model: type[models.Model], name: str) -> Masked:
    for masked in model.audience.masked:  # type: ignore[attr-defined]
        if masked.name == name:
            return masked
    raise KeyError(name)


def mask(objs: list[M], viewer: ViewerLike | Viewer) -> list[M]:
    """Blank the field groups the viewer may not read, and mark the objects, so that what a
    selector hands out shows only what the viewer may see. A masked object cannot be saved."""
    who = viewer if isinstance(viewer, Viewer) else Viewer(viewer)
    for obj in objs:
        # Decide every group before blanking any: a group may hide a field another one reads
        # (a pledge's organization).
        groups = type(obj).audience.masked  # type: ignore[attr-defined]
        hidden = [m for m in groups if not shows(obj, m.name, who)]
        for masked in hidden:
            for name in masked.fields:
                f = obj._meta.get_field(name)
                setattr(obj, name, None if f.null or f.is_relation else "")
        obj.__dict__["masked_groups"] = frozenset(m.name for m in hidden)
    return objs


def is_masked(obj: models.Model, group: str) -> bool:
    return group in obj.__dict__.get("masked_groups", ())


def refuse_saving_masked(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    """A masked object lacks the values it hides: saving it would erase them."""
    if instance.__dict__.get("masked_groups"):
        raise ValueError(f"{sender.__name__} {instance.pk} was masked for a viewer: read it again.")


# One object and what the viewer is to it -------------------------------------------------------


@dataclass(frozen=True)
class Access(Generic[M]):
    """One shared object, read for one viewer, and what the viewer is to it. Reads that hang off
    the object take this instead of reading and checking the object again."""

    obj: M
    viewer: ViewerLike
    who: Viewer
    owner: bool  # the viewer belongs to the owning organization
    addressees: frozenset[int]  # the viewer's organizations the object is addressed to

    @property
    def concerned(self) -> bool:
        """Of the owner or of an organization addressed: those who see the exchanges about it."""
        return self.owner or bool(self.addressees)

    def speaking_addressees(self, speaking_roles: tuple[str, ...]) -> frozenset[int]:
        return frozenset(o for o in self.addressees if self.who.roles.get(o) in speaking_roles)


# Above this many organizations of the viewer, `access` filters in the database instead of
# asking, for each, whether the object is addressed to it.
ACCESS_READ_MAX_ORGANIZATIONS = 8


def access(queryset: SharedQuerySet[M], viewer: ViewerLike, **lookup: Any) -> Access[M]:
    """The object at `lookup` that the viewer may see, with what the viewer is to it; 404 for
    missing and not visible alike.

    One query: the object is read with, for each of the viewer's organizations, whether it is
    addressed to it, and the decision of `audience_q` is made in Python (`is_visible`, which the
    agreement test holds to the filter). Objects that belong to another (`within`), addressed
    through another object, or a viewer of many organizations: filtered in the database."""
    who = Viewer(viewer)
    asks = _addressed_asks(queryset.model, who)
    if asks is None:
        obj = queryset.visible_to(who).filter(**lookup).first()
        if obj is None:
            raise Http404
        return access_of(obj, viewer, who)
    obj = (
        queryset.filter(**lookup)
        .annotate(**{alias: q for alias, (_t, _o, q) in asks.items()})
        .first()
    )
    if obj is None:
        raise Http404
    memo = obj.__dict__.setdefault("_addressed_memo", {})
    for alias, (tail, org, _q) in asks.items():
        found = memo.setdefault((tail, who.mine), frozenset())
        if obj.__dict__.pop(alias):
            memo[(tail, who.mine)] = found | {org}
    if not is_visible(obj, who):
        raise Http404
    return access_of(obj, viewer, who)


def _addressed_asks(
    model: type[models.Model], who: Viewer
) -> dict[str, tuple[str, int, Exists]] | None:
    """{alias: (path, organization, whether the object is addressed to it through the path)}
    for each of the viewer's organizations and each path to many addressed organizations, or
    None when `access` should filter in the database."""
    audience: Audience = model.audience  # type: ignore[attr-defined]
    if audience.within or len(who.mine) > ACCESS_READ_MAX_ORGANIZATIONS:
        return None
    asks: dict[str, tuple[str, int, Exists]] = {}
    for i, path in enumerate(audience.addressed):
        if not _many(model, path):
            continue
        head, tail = _split_many(model, path)
        if head:  # addressed through another object: its memo is kept on that one
            return None
        for org in sorted(who.mine):
            rows = model._default_manager.filter(pk=OuterRef("pk"), **{f"{tail}__in": [org]})
            asks[f"_addressed_{i}_{org}"] = (tail, org, Exists(rows))
    return asks


def access_of(obj: M, viewer: ViewerLike, who: Viewer | None = None) -> Access[M]:
    """What the viewer is to an object already known to be visible to it."""
    who = who or Viewer(viewer)
    audience: Audience = type(obj).audience  # type: ignore[attr-defined]
    return Access(
        obj=obj,
        viewer=viewer,
        who=who,
        owner=_follow(obj, audience.owner) in who.mine,
        addressees=addressed_among(obj, who.mine),
    )


# The model side ----------------------------------------------------------------------------------


class Shared:
    """Mixin for models with an `audience`: the Python side of the declaration."""

    audience: ClassVar[Audience]

    def is_visible_to(self, viewer: ViewerLike) -> bool:
        return is_visible(self, viewer)  # type: ignore[arg-type]

    @property
    def confidential(self) -> bool:
        return is_confidential(self)  # type: ignore[arg-type]


def shared_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if isinstance(getattr(m, "audience", None), Audience)]


def view_rule(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


@rules.predicate
def can_see(user: ViewerLike, obj: Any) -> bool:
    return obj is not None and is_visible(obj, user)


def register_view_rules() -> None:
    """`"<app>.view_<model>"` for every shared model: the audience's decision, as a rule."""
    for model in shared_models():
        rules.set_perm(view_rule(model), can_see)
