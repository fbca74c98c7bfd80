"""Database helpers that every app may use, in plain SQL that every supported database speaks."""

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.constants import OnConflict

# Columns whose values go to the database as given (an int, a str, None): no field preparation to
# run, row after row.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "CharField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
}


def _is_plain(field: models.Field[Any, Any]) -> bool:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return target.get_internal_type() in _PLAIN


def _preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """How the values of a column that is not plain (a time, JSON) are made ready: through the
    field's own preparation, once per distinct object. The rows of one insert often share their
    values (one time, a few lists of reasons), and the caller's rows keep those objects alive
    meanwhile, so their `id` names them."""
    prepared: dict[int, Any] = {}

    def prepare(value: Any) -> Any:
        if value is None:
            return None
        key = id(value)
        try:
            return prepared[key]
        except KeyError:
            result = prepared[key] = field.get_db_prep_save(value, connection)
            return result

    return prepare


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    on_conflict: Literal["ignore"] | None = None,
) -> int:
    """Insert `rows` (one value per name of `fields`, in that order) into `model`'s table, with one
    prepared statement run for every row. Returns how many rows were given.

    What `bulk_create` does, for many rows, several times faster: no model instance per row, no
    compilation of every field of it. Hence what it does not do: no `save()`, no signals, no
    defaults, no `auto_now_add` (give every column that has no database default, times included),
    no primary keys back. Values are Python values, as given to a model, except that integer and
    text columns, foreign keys included, take ints and strs as they are: a foreign key by its id.

    A row that breaks a unique constraint fails the whole insert (IntegrityError, as bulk_create
    would), or with `on_conflict="ignore"` is left out and the row already there kept. The SQL
    comes from Django's own operations for the database in use: no vendor branch here.
    """
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    prepare = [
        (i, _preparer(field, connection))  # type: ignore[arg-type]
        for i, field in enumerate(concrete)
        if not _is_plain(field)  # type: ignore[arg-type]
    ]
    conflict = OnConflict.IGNORE if on_conflict == "ignore" else None
    if conflict is not None and not connection.features.supports_ignore_conflicts:
        raise NotImplementedError("this database cannot leave conflicting rows out")
    # Table and column names come from the model and are quoted; every value is a parameter.
    sql = "{insert} {table} ({columns}) VALUES ({values}) {suffix}".format(
        insert=ops.insert_statement(on_conflict=conflict),
        table=ops.quote_name(meta.db_table),
        columns=", ".join(ops.quote_name(str(field.column)) for field in concrete),  # type: ignore[union-attr]
        values=", ".join(["%s"] * len(concrete)),
        suffix=ops.on_conflict_suffix_sql(concrete, conflict, None, None) or "",
    ).rstrip()
    # Materialized first: every value stays alive, and its id unique, while the rows are prepared.
    given = list(rows)
    if not given:
        return 0
    params: list[Sequence[Any]] = given
    if prepare:
        params = []
        for row in given:
            values = list(row)
            for i, p in prepare:
                values[i] = p(values[i])
            params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(given)


@functools.cache
def _insert_one_sql(model: type[models.Model], alias: str) -> tuple[str, list[Any], bool]:
    """The INSERT of one row of `model` on database `alias`, its fields, and whether it returns
    the new primary key (else the cursor's last id gives it): made once per process."""
    connection = connections[alias]
    ops = connection.ops
    meta = model._meta
    pk = meta.pk
    fields = [
        field
        for field in meta.local_concrete_fields
        if not (field is pk and isinstance(field, models.AutoField | models.BigAutoField))
        and not getattr(field, "generated", False)
    ]
    returning = bool(connection.features.can_return_columns_from_insert)
    suffix = ops.return_insert_columns([pk])[0] if returning else ""  # type: ignore[attr-defined]
    # Table and column names come from the model and are quoted; every value is a parameter.
    sql = "INSERT INTO {table} ({columns}) VALUES ({values}) {suffix}".format(  # noqa: S608
        table=ops.quote_name(meta.db_table),
        columns=", ".join(ops.quote_name(str(field.column)) for field in fields),
        values=", ".join(["%s"] * len(fields)),
        suffix=suffix,
    ).rstrip()
    return sql, fields, returning


def insert_one(obj: models.Model) -> None:
    """Write the new `obj` as one row, and set its primary key: what `obj.save(force_insert=True)`
    does for a plain model, by a statement made once per model and database. Saving one row
    through the ORM builds the INSERT afresh (an insert query, its compiler, every field's SQL):
    on a request that writes one row and does little else (a campaign's signature), that was a
    third of the request's own work.

    For models without a custom `save()` and without receivers of their save signals (none are
    sent), whose primary key is the database's (an auto field). Every field's value is prepared
    as the ORM prepares it for an insert (`pre_save`, then `get_db_prep_save`: defaults set in
    Python at construction, `auto_now_add` times)."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    sql, fields, returning = _insert_one_sql(model, alias)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pk = connection.ops.fetch_returned_insert_columns(cursor, ())[0]  # type: ignore[attr-defined]
        else:
            column = str(model._meta.pk.column)  # type: ignore[union-attr]
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias


# Work shorter than this since the last pause goes on without one: a few short tasks in a row (a
# pledge's notice, say) hold the lock no longer than one batch of a fan-out does.
GIVE_WAY_AFTER = 0.025
_worked_since = 0.0  # when this process last paused (time.monotonic)


def give_way(using: str = DEFAULT_DB_ALIAS) -> None:
    """Between two write transactions of background work, on SQLite only: pause, so that a writer
    waiting for the database's one write lock (a web request) takes it.

    SQLite has one writer at a time, and a writer that finds it taken sleeps and looks again, a
    little longer each time (1, 2, 5, 10, 15, 20, 25 ms, then 25 to 100 ms): a worker that commits
    and begins again at once keeps the lock nearly all the time, and a web request can miss every
    free moment for a second. A pause at least as long as the waiter's sleeps of its first tenth
    of a second is one it cannot miss (INTERNATIONALE_SQLITE_GIVE_WAY_MS, 30 by default), once the
    work since the last pause has lasted GIVE_WAY_AFTER (before, it goes on). PostgreSQL
    locks rows, not the database: no pause there. Outside any transaction (a pause inside one
    would hold the lock, not give it)."""
    global _worked_since
    connection = connections[using]
    pause = settings.INTERNATIONALE_SQLITE_GIVE_WAY_MS
    if connection.vendor != "sqlite" or connection.in_atomic_block or pause <= 0:
        return
    if time.monotonic() - _worked_since < GIVE_WAY_AFTER:
        return
    time.sleep(pause / 1000)
    _worked_since = time.monotonic()
