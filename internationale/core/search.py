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
import unicodedata
from collections.abc import Sequence
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


def tsquery(query: str) -> str:
    """The query in PostgreSQL's tsquery syntax: `'metal':* & '工' <-> '会'`."""
    return " & ".join(
        " <-> ".join(f"'{word}'" for word in group)
        if _SPACELESS.fullmatch(group[0])
        else f"'{group[0]}':*"
        for group in _groups(query)
    )


class _FullTextMatch(Expression):
    """`to_tsvector('simple', column) @@ to_tsquery('simple', query)`: the expression of the GIN
    index, on the column of the query's own table (under whatever alias it has there)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, query: str) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.query = query

    # As a source expression, the column is resolved and relabeled with the query (in a
    # subquery, its table takes another alias).
    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        column, params = compiler.compile(self.column)
        sql = f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)"
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
    index or walk another index in order and test each row, whichever costs less.

    `walk` tells SQLite to walk the query's order in another index and test each row against the
    matches, rather than read every match and sort them: for when many rows match, so that a
    page is full after a few steps (a caller knows it from a count, see
    organizations.selectors.count_at_most). PostgreSQL's planner chooses by itself.
    """
    if (query and not words(query)) or not all(_EXACT.fullmatch(word) for word in exact):
        return None
    if connection.vendor == "postgresql":
        found = Q()
        if query:
            found &= Q(_FullTextMatch(column, tsquery(query)))
        if exact:
            found &= Q(_FullTextMatch(exact_column, " & ".join(f"'{word}'" for word in exact)))
        return found
    parts = [f"{column} : ({fts5_query(query)})"] if query else []
    if exact:
        quoted = " ".join(f'"{word}"' for word in exact)
        parts.append(f"{exact_column} : ({quoted})")
    if not parts:
        return Q()
    return Q(_RowsMatching(fts_table, " AND ".join(parts), walk))


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
