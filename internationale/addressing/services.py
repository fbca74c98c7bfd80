"""Writes shared by everything addressed: the addressee rows, and the fan-out after commit.

Neither checks a permission: the addressed app's service does, then calls these inside its
transaction.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from django.db import models, transaction
from django.utils import timezone

from internationale.core.db import give_way, insert_rows
from internationale.core.visibility import forget_addressed
from internationale.organizations.models import Organization

from .models import AddresseeBase
from .routing import SEND_FIELDS, Candidate, Criteria, Origin, route_in_batches

# One task per this many addressees: big enough to be few, small enough to retry cheaply.
BATCH = 500


def addressees_record(
    *,
    model: type[AddresseeBase],
    target: models.Model,
    candidates: Iterable[Candidate],
    ring: int,
    now: datetime | None = None,
    on_conflict: Literal["ignore"] | None = None,
) -> int:
    """Record `candidates` as addressees of `target` (rows of `model`, whose `target_field` points
    to it), with their reasons, in one fast insert. Returns how many rows were given.

    In the caller's transaction. An organization already addressed fails the whole insert
    (IntegrityError), or with `on_conflict="ignore"` keeps the row it has.
    """
    candidates = list(candidates)
    # Routing read each organization's country; one chosen by hand or passed on is looked up, all
    # in one query (the row keeps it: see AddresseeBase).
    unknown = [c.organization_id for c in candidates if not c.country]
    countries = (
        dict(Organization.objects.filter(pk__in=unknown).values_list("pk", "country"))
        if unknown
        else {}
    )
    # Thousands of addressees share a few lists of reasons: each list is made (and so written to
    # JSON) once, and the rows share it.
    shared: dict[tuple[int, ...], list[Any]] = {}
    rows: list[tuple[Any, ...]] = []
    added_at = now or timezone.now()
    for c in candidates:
        key = tuple(map(id, c.reasons))  # the Reason objects live as long as the candidates
        reasons = shared.get(key)
        if reasons is None:
            reasons = shared[key] = [r.as_json() for r in c.reasons]
        country = c.country or str(countries.get(c.organization_id, ""))
        rows.append((target.pk, c.organization_id, reasons, ring, added_at, country))
    fields = (model.target_field, "organization", "reasons", "ring", "added_at", "country")
    inserted = insert_rows(model, fields, rows, on_conflict=on_conflict)
    forget_addressed(target)  # what the target's reader was addressed, read before, is stale
    return inserted


def addressees_record_routed(
    *,
    model: type[AddresseeBase],
    target: models.Model,
    origin: Origin,
    criteria: Criteria,
    ring: int,
    now: datetime | None = None,
    batch: int = 2000,
    still: Callable[[], bool] | None = None,
) -> int:
    """Route `criteria` from `origin` and record what it chooses as addressees of `target`, batch
    by batch of organizations (`routing.route_in_batches`): memory holds one batch, however many
    are addressed, and each batch is its own short transaction, so that other writers (a web
    request, on SQLite, which has one writer at a time) wait for one batch at most; on SQLite the
    task pauses between batches (`core.db.give_way`) so that such a writer gets its turn.

    For a background task, outside any transaction. Safe to run again after it stopped half-way:
    an organization already recorded keeps its row. `still`, when given, is asked first in each
    batch's transaction: when it answers no (another run finished the sending), nothing more is
    recorded. Returns how many rows were given.
    """
    given = 0
    for candidates in route_in_batches(origin, criteria, fields=SEND_FIELDS, size=batch):
        with transaction.atomic():
            if still is not None and not still():
                break
            given += addressees_record(
                model=model,
                target=target,
                candidates=candidates,
                ring=ring,
                now=now,
                on_conflict="ignore",
            )
        give_way()
    return given


def fanout_now(
    *, task: Any, target_id: int, organization_ids: Iterable[int], batch: int = BATCH
) -> int:
    """Queue `task(target_id, ids)` once per batch of `organization_ids`, in the current
    transaction (with the database task backend, the tasks exist if and only if it commits).
    `organization_ids` may be a query: it is read as it goes. Returns how many tasks."""
    queued = 0
    ids: list[int] = []
    for pk in _iterate(organization_ids):
        ids.append(pk)
        if len(ids) == batch:
            task.enqueue(target_id, ids)
            queued, ids = queued + 1, []
    if ids:
        task.enqueue(target_id, ids)
        queued += 1
    return queued


def _iterate(values: Iterable[int]) -> Iterable[int]:
    """A query's rows read in chunks (not all held at once), anything else as it is."""
    iterator = getattr(values, "iterator", None)
    return iterator(chunk_size=BATCH * 4) if iterator is not None else values


def fanout_on_commit(
    *, task: Any, target_id: int, organization_ids: Sequence[int], batch: int = BATCH
) -> None:
    """Once the current transaction commits, queue `task(target_id, ids)` once per batch of
    `organization_ids`. The task must be safe to run twice (it may be: a worker dies)."""
    ids = list(organization_ids)
    if not ids:
        return

    def enqueue() -> None:
        # One transaction for all the batches: with the database task backend, one commit (one
        # flush to disk) instead of one per task.
        with transaction.atomic():
            for start in range(0, len(ids), batch):
                task.enqueue(target_id, ids[start : start + batch])

    transaction.on_commit(enqueue)


def addressees_country_follow(organization: Organization) -> int:
    """Move the organization's addressee rows, of every addressed thing, to its current country
    (each row keeps it: see AddresseeBase). Returns how many rows moved. Called when an
    organization is saved (apps.py); one indexed update per addressee table, which writes nothing
    when the country did not change."""
    from django.apps import apps

    country = str(organization.country)
    moved = 0
    for model in apps.get_models():
        if issubclass(model, AddresseeBase):
            moved += (
                model._default_manager.filter(organization=organization)
                .exclude(country=country)
                .update(country=country)
            )
    return moved
