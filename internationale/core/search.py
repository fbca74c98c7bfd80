"""Word search in any script, indexed by the database: SQLite's FTS5 or PostgreSQL's full text.

Text is made into words here, in Python, once for both databases, so that a search means the same
on each: the databases only split on spaces and look words up in their index.

- Case and diacritics do not count: "Metalúrgicos" is "metalurgicos", "Şahin" is "sahin", Arabic
  short vowels and hamza marks go ("الإتحاد" is "الاتحاد"), as does the Devanagari nukta. The
  vowel signs of Indic and South-East Asian scripts stay: they are letters there, not accents.
- Words are found by their beginning, as people type: "metal" finds "Metalworkers", not
  "workers" inside it.
- Chinese and Japanese are written without spaces: each of their characters is a word, and a
  search for several is a search for them side by side, so "工会" finds "中华全国总工会".

A search made of nothing but punctuation has no words, and finds nothing.
"""

import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet

# Characters written without spaces between words: Han, kana, and their punctuation-free marks.
_SPACELESS = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])"
)
# Marks that are letters of their script (vowel signs, viramas): kept. The rest are accents.
_LETTER_MARKS = [(0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF)]
_TATWEEL = "\u0640"
# The words a program writes in a column of exact words (search_filter's `exact`).
_EXACT = re.compile(r"[a-z0-9]+", re.ASCII)


def _is_accent(char: str) -> bool:
    if unicodedata.category(char) != "Mn":
        return False
    code = ord(char)
    if any(low <= code <= high for low, high in _LETTER_MARKS):
        return "NUKTA" in unicodedata.name(char, "")
    return True


def _segments(text: str) -> list[str]:
    """The runs of letters, digits and marks of `text`, folded and without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        char if unicodedata.category(char)[0] in "LNM" and char != _TATWEEL else " "
        for char in decomposed
        if not _is_accent(char)
    )
    return unicodedata.normalize("NFC", kept).split()


def _groups(text: str) -> list[list[str]]:
    """The words of `text`, grouped: a run of spaceless characters is a group of one word per
    character, to be found side by side; any other word is a group of its own, found by its
    beginning."""
    groups: list[list[str]] = []
    for segment in _segments(text):
        run: list[str] | None = None
        for part in _SPACELESS.split(segment):
            if not part:  # between two spaceless characters
                continue
            if _SPACELESS.fullmatch(part):
                if run is None:
                    run = []
                    groups.append(run)
                run.append(part)
            else:
                groups.append([part])
                run = None
    return groups


def words(text: str) -> list[str]:
    """The words of `text` as searched and indexed: folded, without accents."""
    return [word for group in _groups(text) for word in group]


def indexed_text(*parts: str) -> str:
    """What an index holds for a row made of these texts (a name, a short name, a city)."""
    return " ".join(word for part in parts for word in words(part))


def fts5_query(query: str) -> str:
    """The query in FTS5's syntax: `"metal"* "工 会"`. Words hold only letters, digits and
    marks, so they need no escaping."""
    return " ".join(
        f'"{" ".join(group)}"' if _SPACELESS.fullmatch(group[0]) else f'"{group[0]}"*'
        for group in _groups(query)
    )


def tsquery(query: str, common: Mapping[str, float] | None = None) -> str:
    """The query in PostgreSQL's tsquery syntax: `'metal':* & '工' <-> '会'`.

    With `common` (the statistics' common words, `estimated_matches`), a word's beginning also
    names the common words it begins, `('union' | 'union':*)`: the same rows, but PostgreSQL's
    planner estimates a word's beginning as 2 % of the rows whatever it is, and a whole word
    from its statistics: it then knows that a walk of the order meets the matches soon."""

    def beginning(word: str) -> str:
        if not common:
            return f"'{word}':*"
        named = sorted((w for w in common if w.startswith(word)), key=common.__getitem__)
        return (
            "(" + " | ".join([*(f"'{w}'" for w in named[-_SPELLED_AT_MOST:]), f"'{word}':*"]) + ")"
        )

    return " & ".join(
        " <-> ".join(f"'{word}'" for word in group)
        if _SPACELESS.fullmatch(group[0])
        else beginning(group[0])
        for group in _groups(query)
    )


# The common words a word's beginning names at most in a query (`tsquery`): the most common.
_SPELLED_AT_MOST = 8


class _FullTextMatch(Expression):
    """`to_tsvector('simple', column) @@ to_tsquery('simple', query)`: the expression of the GIN
    index, on the column of the query's own table (under whatever alias it has there).

    `stored`: the table keeps that vector in a generated column, `<column>_vector`, and its GIN
    index is on that column: the test reads it instead of making it from the text, the same
    vector either way. `walk`: the test is written `(…) IS TRUE`, which no index answers, so that
    the planner walks the query's order in another index and tests each row (see
    `search_filter`)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, query: str, stored: bool = False, walk: bool = False) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.query, self.stored, self.walk = query, stored, walk

    # As a source expression, the column is resolved and relabeled with the query (in a
    # subquery, its table takes another alias).
    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        column, params = compiler.compile(self.column)
        if self.stored:
            # The resolved column (a Col) names its table's alias and its own column: the vector
            # is the column of the same table named after it.
            quote = compiler.quote_name_unless_alias
            vector = quote(f"{self.column.target.column}_vector")
            column = f"{quote(self.column.alias)}.{vector}" if self.column.alias else vector
            test = f"{column} @@ to_tsquery('simple'::regconfig, %s)"
        else:
            test = (
                f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)"
            )
        sql = f"({test}) IS TRUE" if self.walk else test
        return sql, [*params, self.query]


class _RowsMatching(Expression):
    """`id IN (SELECT rowid FROM <fts_table> WHERE <fts_table> MATCH query)`, or with `walk`,
    `+id IN (…)`: SQLite then cannot read the rows by the matches' ids, and walks another index
    in order (the query's ORDER BY), testing each row against the matches."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fts_table: str, match: str, walk: bool) -> None:
        super().__init__()
        self.pk: Any = F("pk")
        self.fts_table, self.match, self.walk = fts_table, match, walk

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        pk, params = compiler.compile(self.pk)
        table, plus = self.fts_table, "+" if self.walk else ""
        # The table's name is the caller's constant; the query is a parameter.
        sql = f'{plus}{pk} IN (SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s)'  # noqa: S608
        return sql, [*params, self.match]


def search_filter(
    query: str,
    *,
    column: str,
    fts_table: str,
    exact: Sequence[str] = (),
    exact_column: str = "",
    walk: bool = False,
    stored: bool = False,
    table: str = "",
) -> Q | None:
    """A filter of the rows whose `column` (made by `indexed_text`) holds every word of `query`,
    each by its beginning, and whose `exact_column` holds every word of `exact`, whole: words of
    ASCII letters and digits that a program writes and reads ("countrybr"), never typed by
    people. None when the query is given and has no words, or an exact word is not such a word:
    nothing is found then. Both columns are in one index, so that a search with any number of
    exact words is one lookup.

    On SQLite, `fts_table` is an FTS5 table over both columns (its rowid the row's id), kept in
    step by triggers; on PostgreSQL, a GIN index on `to_tsvector('simple', column)` for each
    serves them, tested on the row itself so that the planner may read the matches from the
    index or walk another index in order and test each row. With `stored`, the table keeps each
    column's vector in a generated column, `<column>_vector`, which the GIN index and the test
    read (organizations' migration 0011): testing a row costs a tenth, and an index that holds
    the vectors can be walked without the table.

    `walk` says to walk the query's order in another index and test each row against the
    matches, rather than read every match and sort them: for when many rows match, so that a
    page is full after a few steps (a caller knows it from a count or an estimate, see
    organizations.selectors.organization_found). SQLite is told by `+id IN (…)`; PostgreSQL's
    planner, by tests that no index answers (`IS TRUE`): its estimates of a word's beginning are
    blind, and it would walk for rare words too, or sort for common ones.
    """
    if (query and not words(query)) or not all(_EXACT.fullmatch(word) for word in exact):
        return None
    if connection.vendor == "postgresql":
        found = Q()
        if query:
            spelled = walk and stored and table
            common = _common_words(table, f"{column}_vector")[1] if spelled else None
            found &= Q(_FullTextMatch(column, tsquery(query, common), stored, walk))
        if exact:
            exact_query = " & ".join(f"'{word}'" for word in exact)
            found &= Q(_FullTextMatch(exact_column, exact_query, stored, walk))
        return found
    parts = [f"{column} : ({fts5_query(query)})"] if query else []
    if exact:
        quoted = " ".join(f'"{word}"' for word in exact)
        parts.append(f"{exact_column} : ({quoted})")
    if not parts:
        return Q()
    return Q(_RowsMatching(fts_table, " AND ".join(parts), walk))


# PostgreSQL's statistics of stored vectors, as `estimated_matches` reads them: by (table,
# column), when they were read, the rows of the table, and the common words with their shares
# of rows. ANALYZE (autovacuum's) changes them, not each write: read again after this long.
STATISTICS_SECONDS = 60.0
_statistics: dict[tuple[str, str], tuple[float, float, dict[str, float]]] = {}


def forget_statistics() -> None:
    """Read the statistics again at the next estimate (tests, after an ANALYZE)."""
    _statistics.clear()


def _common_words(table: str, column: str) -> tuple[float, dict[str, float]]:
    key = (table, column)
    kept = _statistics.get(key)
    if kept is not None and time.monotonic() - kept[0] < STATISTICS_SECONDS:
        return kept[1], kept[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs"
            " FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema()"
            " AND s.tablename = c.relname AND s.attname = %s"
            " WHERE c.oid = to_regclass(%s)",
            [column, table],
        )
        row = cursor.fetchone()
    rows, elements, shares = row if row else (0.0, None, None)
    # The shares list ends with three figures of its own (least and most common, empty rows).
    common = dict(zip(elements or [], shares or [], strict=False))
    _statistics[key] = (time.monotonic(), float(rows or 0), common)
    return float(rows or 0), common


def estimated_matches(
    query: str,
    *,
    table: str,
    column: str,
    exact: Sequence[str] = (),
    exact_column: str = "",
) -> float | None:
    """On PostgreSQL, about how many rows of `table` match `search_filter(query, exact=exact,
    stored=True)`, from the planner's statistics of the stored vectors: ANALYZE's most common
    words, each with its share of the rows, read at most once a minute per process; no row or
    index is read. A word of the query counts the shares of the common words it begins (at most
    all rows), a word that no common word begins counts as rare (none), an exact word its own
    share; several words multiply their shares, as if independent. None on SQLite (its FTS5
    index counts for itself: `index_matches_sql`), and before the table was ever analysed."""
    if connection.vendor != "postgresql":
        return None
    rows, common = _common_words(table, f"{column}_vector")
    if not common:
        return None
    share = 1.0
    for group in _groups(query):
        if _SPACELESS.fullmatch(group[0]):
            share *= min(common.get(word, 0.0) for word in group)
        else:
            share *= min(1.0, sum(f for word, f in common.items() if word.startswith(group[0])))
    if exact:
        _rows, exact_common = _common_words(table, f"{exact_column}_vector")
        for word in exact:
            share *= exact_common.get(word, 0.0)
    return share * rows


def joined_matches(queryset: QuerySet, found: Q) -> QuerySet:
    """On SQLite, `queryset` filtered by `search_filter`'s answer `found`, with the FTS table
    joined to the rows by rowid rather than tested by `IN`: SQLite builds the list of an `IN`'s
    subquery whole, every match of a common word, before it reads the first row; a join is driven
    from the FTS table and stops with the query's LIMIT. For counts up to a bound (the directory's
    "more than 1,000": 22-24 ms through `IN` at 100,000 organizations, under 2 ms joined; see
    bench/README.md). Anything else (another database, no words): `queryset.filter(found)`."""
    matching = found.children[0] if len(found.children) == 1 else None
    if connection.vendor != "sqlite" or not isinstance(matching, _RowsMatching):
        return queryset.filter(found)
    table = matching.fts_table
    pk = f'"{queryset.model._meta.db_table}"."{queryset.model._meta.pk.column}"'
    # The table's name is the caller's constant; the query is a parameter.
    return queryset.extra(  # noqa: S610 -- no value in the SQL
        tables=[table],
        where=[f'"{table}".rowid = {pk}', f'"{table}" MATCH %s'],
        params=[matching.match],
    )


def index_matches_sql(found: Q | None, limit: int) -> tuple[str, list[Any]] | None:
    """On SQLite, a scalar subquery that counts, up to `limit`, the rows the FTS table matches
    for `search_filter`'s answer `found`: the index alone, no row read, before any other
    condition (under a millisecond for 10,000 matches at 100,000 rows). How many match, and not
    only how many a reader sees, tells a caller whether walking its order or sorting the matches
    costs less (organizations.selectors.organization_found). None elsewhere."""
    matching = found.children[0] if found is not None and len(found.children) == 1 else None
    if connection.vendor != "sqlite" or not isinstance(matching, _RowsMatching):
        return None
    table = matching.fts_table
    # The table's name is the caller's constant; the query and the bound are parameters.
    sql = f'(SELECT COUNT(*) FROM (SELECT 1 FROM "{table}" WHERE "{table}" MATCH %s LIMIT %s))'  # noqa: S608
    return sql, [matching.match, limit]


class Fts5Index:
    """SQLite's FTS5 index of a table's text columns, for the migrations that make it: the index
    only (external content: the words stay in the table), kept in step by three triggers. Django
    drops the triggers when it rebuilds the table on SQLite (some AlterField): a migration that
    does must `create` the index again, with the columns it has then."""

    TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"

    def __init__(self, name: str, table: str, columns: Sequence[str]) -> None:
        self.name, self.table, self.columns = name, table, tuple(columns)

    def statements(self) -> list[str]:
        # The names are the migrations' own constants, never input: no injection possible.
        name, table = self.name, self.table
        columns = ", ".join(self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        remove = f"INSERT INTO {name}({name}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608
        add = f"INSERT INTO {name}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
        return [
            f"CREATE VIRTUAL TABLE {name} USING fts5({columns}, content='{table}', "
            f"content_rowid='id', tokenize=\"{self.TOKENIZE}\")",
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {remove} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {remove} {add} END",
        ]

    def create(self, schema_editor: Any) -> None:
        """Make the index (again, if it was there), filled from the table's rows."""
        self.drop(schema_editor)
        for statement in self.statements():
            schema_editor.execute(statement)
        schema_editor.execute(f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')")  # noqa: S608

    def drop(self, schema_editor: Any) -> None:
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {self.name}")
