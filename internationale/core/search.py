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
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.expressions import RawSQL

# Characters written without spaces between words: Han, kana, and their punctuation-free marks.
_SPACELESS = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])"
)
# Marks that are letters of their script (vowel signs, viramas): kept. The rest are accents.
_LETTER_MARKS = [(0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF)]
_TATWEEL = "\u0640"


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

    def resolve_expression(self, *args: Any, **kwargs: Any) -> "_FullTextMatch":
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(*args, **kwargs)
        return resolved

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        column, params = compiler.compile(self.column)
        sql = f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)"
        return sql, [*params, self.query]


def search_filter(query: str, *, column: str, fts_table: str) -> Q | None:
    """A filter of the rows whose `column` (made by `indexed_text`) holds every word of
    `query`; None when the query has no words.

    On SQLite, `fts_table` is an FTS5 table over `column` (its rowid the row's id), kept in step
    by triggers; on PostgreSQL, a GIN index on `to_tsvector('simple', column)` serves the
    search, tested on the row itself so that the planner may read the matches from the index or
    walk another index in order and test each row, whichever costs less.
    """
    if not words(query):
        return None
    if connection.vendor == "postgresql":
        return Q(_FullTextMatch(column, tsquery(query)))
    sql = f'SELECT rowid FROM "{fts_table}" WHERE "{fts_table}" MATCH %s'  # noqa: S608
    return Q(pk__in=RawSQL(sql, [fts5_query(query)]))  # noqa: S611 -- the query is a parameter
