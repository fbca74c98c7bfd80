"""Database helpers that every app may use, in plain SQL that every supported database speaks."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from django.db import connections, models, router
from django.db.models.constants import OnConflict

# Columns whose values go to the database as given when they are already an int or a str: no
# field preparation to run, row after row.
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


def _preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """How one column's values are made ready for the database.

    Plain ints and strs pass as they are. Anything else (a time, JSON) goes through the field's own
    preparation, once per distinct object: the rows of one insert often share their values (one
    time, a few lists of reasons), and the caller's rows keep those objects alive meanwhile, so
    their `id` names them.
    """
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    plain = target.get_internal_type() in _PLAIN
    prepared: dict[int, Any] = {}

    def prepare(value: Any) -> Any:
        if value is None or (plain and type(value) in (int, str)):
            return value
        key = id(value)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(value, connection)
        return prepared[key]

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
    no primary keys back. Values are Python values, as given to a model: a foreign key by its id.

    A row that breaks a unique constraint fails the whole insert (IntegrityError, as bulk_create
    would), or with `on_conflict="ignore"` is left out and the row already there kept. The SQL
    comes from Django's own operations for the database in use: no vendor branch here.
    """
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    prepare = [_preparer(field, connection) for field in concrete]  # type: ignore[arg-type]
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
    if len(prepare) == 1:
        (one,) = prepare
        params = [(one(row[0]),) for row in given]
    else:
        params = [tuple(p(v) for p, v in zip(prepare, row, strict=True)) for row in given]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(given)
