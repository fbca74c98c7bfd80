"""Markdown cut into what a translation model should see, and put back together after.

`split(text)` parses the Markdown (markdown-it-py, CommonMark with tables and strikethrough) and
returns `Parts`: the text's pieces, each either kept as it is (code, links' addresses, emphasis
marks, list and heading markers, quotes, table pipes, HTML) or a segment to translate. A sentence
is translated whole across its emphasis and links: "Join the **general strike** today." sends
"Join the general strike today." and, to find where the marks go, "general strike"; the marks are
put around the words of the translation that match the marked words' own translation (the same
words, or close enough: `_place`). Marked words that are in the sentence more than once go around
the same occurrence in the translation when it has their translation as many times (the second
marked, the second marked), else they are found by difference, like words translated otherwise
alone (`_by_difference`). Emphasis that cannot be placed is left out of the translation;
a link that cannot be placed makes its sentence fall back to being cut at its marks ("Join the",
"general strike", "today."), which `Parts.fallbacks` asks for in a second round. Marks that do not
nest simply inside one sentence (a mark spanning two sentences, a link inside emphasis that
covers more) cut the sentence from the start. `Parts.render(translations)` puts the translated
segments back in their places. Code blocks, fenced code and HTML blocks are never translated.

A paragraph written over several lines comes back on one (the same when rendered); hard line
breaks are kept. `split_plain` does the same for a plain text (a title): sentences only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])(\s+)")
_LEADING = re.compile(r"^\s*")
_TRAILING = re.compile(r"\s*$")
# Marks a translated text must not bring into the Markdown around it.
_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_WRAPPING = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# How close the translation's words must be to a marked part's own translation to take its marks.
CLOSE_ENOUGH = 0.6
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?])")


@dataclass
class _Mark:
    """An emphasis mark or a link's bracket, at a place in a run of inline text."""

    markup: str
    kind: str  # "em", "strong", "s", "link"
    opens: bool
    at: int = 0


@dataclass
class _Span:
    """A marked part of a joined sentence: its marks and its own segment (or its text, kept when
    it has no letters)."""

    opening: str
    closing: str
    segment: int | str
    link: bool
    # Emphasis: the sentence without the marked words, translated in a second round when the
    # marked words' own translation is not in the sentence's, or not as often as the marked words
    # are in the sentence (`_by_difference`).
    without: str = ""
    # Which of the sentence's occurrences of the marked words this is (0: the first) and how many
    # there are (0: none found word for word, a mark inside a word); where the marked words stand
    # in the sentence (0: at its start, 1: at its end).
    occurrence: int = 0
    occurrences: int = 1
    where: float = 0.0


@dataclass
class _Joined:
    """A sentence translated whole (`segment`), its marks put back around the matching words, or
    cut at its marks (`fallback`) when a link cannot be placed."""

    segment: int
    spans: list[_Span]
    fallback: Parts


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass
class Parts:
    """A text as pieces: a `str` is kept, an `int` is the index of a segment to translate, a
    `_Joined` a sentence translated across its marks."""

    items: list[str | int | _Joined] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    escape: bool = True

    def keep(self, text: str) -> None:
        if text:
            self.items.append(text)

    def translate(self, text: str) -> None:
        """Add a run of text: its sentences are segments, the spaces around them kept."""
        for piece in _SENTENCE_END.split(text):
            if not piece:
                continue
            if not any(char.isalpha() for char in piece):
                self.keep(_escaped(piece) if self.escape else piece)
                continue
            lead = _LEADING.match(piece).group()  # type: ignore[union-attr]
            trail = _TRAILING.search(piece).group()  # type: ignore[union-attr]
            self.keep(lead)
            self.items.append(len(self.segments))
            self.segments.append(piece.strip())
            self.keep(trail)

    def segment(self, text: str) -> int:
        self.segments.append(text)
        return len(self.segments) - 1

    def fallbacks(self, translations: Sequence[str]) -> list[str]:
        """The segments still to translate: for the sentences whose links could not be placed in
        `translations`, the sentence cut at its marks; for the others, the sentence without each
        emphasis whose words' own translation is not in the sentence's (`_by_difference`). Give
        their translations to `render` as `more`."""
        self._check(translations)
        more: list[str] = []
        for item in self.items:
            if not isinstance(item, _Joined):
                continue
            if _placed(item, translations) is None:
                more += item.fallback.segments
            else:
                more += [item.spans[i].without for i in _unmatched(item, translations)]
        return more

    def render(self, translations: Sequence[str], more: Sequence[str] = ()) -> str:
        """The text with each segment replaced by its translation (one for one), and the
        translations of `fallbacks(translations)` in `more`."""
        self._check(translations)
        later = iter(more)
        out = []
        for item in self.items:
            if isinstance(item, int):
                out.append(self._text(translations[item].strip()))
            elif isinstance(item, _Joined):
                out.append(self._joined(item, translations, later))
            else:
                out.append(item)
        return "".join(out)

    def _check(self, translations: Sequence[str]) -> None:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment")

    def _text(self, text: str) -> str:
        return _escaped(text) if self.escape else text

    def _joined(self, item: _Joined, translations: Sequence[str], more: Iterator[str]) -> str:
        placed = _placed(item, translations)
        if placed is None:
            fallback = [next(more) for _segment in item.fallback.segments]
            return item.fallback.render(fallback)
        withouts = {i: next(more) for i in _unmatched(item, translations)}
        if withouts:
            placed = _placed(item, translations, withouts) or placed
        text = translations[item.segment].strip()
        out, position = [], 0
        for start, end, span in sorted(placed, key=lambda p: p[0]):
            out += [self._text(text[position:start]), span.opening]
            out += [self._text(text[start:end]), span.closing]
            position = end
        out.append(self._text(text[position:]))
        return "".join(out)


def _shifted(item: str | int | _Joined, offset: int) -> str | int | _Joined:
    """An item of one part's pieces as an item of the whole text's, its segments after `offset`."""
    if isinstance(item, int):
        return item + offset
    if isinstance(item, _Joined):
        spans = [
            replace(span, segment=span.segment + offset) if isinstance(span.segment, int) else span
            for span in item.spans
        ]
        return replace(item, segment=item.segment + offset, spans=spans)
    return item


def _escaped(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def split_plain(text: str) -> Parts:
    """A plain text (no Markdown) cut into sentences, line by line."""
    parts = Parts(escape=False)
    for number, line in enumerate(text.split("\n")):
        if number:
            parts.keep("\n")
        parts.translate(line)
    return parts


def split(text: str) -> Parts:
    """A Markdown text cut into segments to translate and pieces to keep (see the module)."""
    lines = text.split("\n")
    # Per source line: (start, end, pieces) replacements, and lines folded into an earlier one.
    replacements: dict[int, list[tuple[int, int, Parts]]] = {}
    dropped: set[int] = set()
    cursor: dict[int, int] = {}
    for token in _parser().parse(text):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        found = _locate(token, lines, cursor)
        if found is None:
            continue  # not where expected (unusual Markdown): left as written
        for unit_lines, children in _units(token.children):
            first = unit_lines[0]
            number, start, end, _marker = found[first]
            last_number, _s, last_end, marker = found[unit_lines[-1]]
            pieces = Parts()
            _inline(children, pieces)
            pieces.keep(marker)
            if last_number == number:
                replacements.setdefault(number, []).append((start, last_end, pieces))
            else:
                replacements.setdefault(number, []).append((start, len(lines[number]), pieces))
                dropped.update(found[line][0] for line in unit_lines[1:])
    parts = Parts()
    first_line = True
    for number, line in enumerate(lines):
        if number in dropped:
            continue
        if not first_line:
            parts.keep("\n")
        first_line = False
        position = 0
        for start, end, pieces in sorted(replacements.get(number, []), key=lambda r: r[0]):
            parts.keep(line[position:start])
            offset = len(parts.segments)
            parts.items.extend(_shifted(i, offset) for i in pieces.items)
            parts.segments.extend(pieces.segments)
            position = end
        parts.keep(line[position:])
    return parts


def _locate(
    token: Token, lines: list[str], cursor: dict[int, int]
) -> list[tuple[int, int, int, str]] | None:
    """For each line of an inline token's content: (source line, start, end, hard-break mark)."""
    assert token.map is not None
    first = token.map[0]
    found = []
    for index, content in enumerate(token.content.split("\n")):
        number = first + index
        if number >= len(lines):
            return None
        stripped = content.rstrip(" \\") if content.endswith(("  ", "\\")) else content
        start = lines[number].find(stripped, cursor.get(number, 0))
        if start < 0 or not stripped:
            return None
        end = start + len(content)
        if lines[number][start:end] != content:
            end = start + len(stripped)
        found.append((number, start, end, content[len(stripped) :]))
    for number, _start, end, _marker in found:
        cursor[number] = end
    return found


def _units(children: list[Token]) -> list[tuple[list[int], list[Token]]]:
    """The inline content cut at hard line breaks: (its content lines, its tokens) for each."""
    units: list[tuple[list[int], list[Token]]] = [([0], [])]
    line = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
            if child.type == "hardbreak":
                units.append(([line], []))
                continue
            units[-1][0].append(line)
        units[-1][1].append(child)
    return units


def _inline(children: list[Token], parts: Parts) -> None:
    run: list[str | _Mark] = []

    def flush() -> None:
        if run:
            _run(run, parts)
            run.clear()

    in_autolink = False
    for index, child in enumerate(children):
        kind = child.type
        if in_autolink:
            in_autolink = kind != "link_close"
        elif kind in ("text", "softbreak"):
            run.append(child.content if kind == "text" else " ")
        elif kind in _WRAPPING or (
            kind in ("link_open", "link_close") and child.markup != "autolink"
        ):
            base, _, side = kind.rpartition("_")
            run.append(_Mark(_markup(children, index), base, side == "open"))
        elif kind == "image":
            flush()
            parts.keep("![")
            parts.translate(child.content)
            parts.keep(f"]({_target(child)})")
        else:
            flush()
            parts.keep(_markup(children, index))
            in_autolink = kind == "link_open" and child.markup == "autolink"
    flush()


def _run(run: list[str | _Mark], parts: Parts) -> None:
    """Inline text with emphasis and links: each sentence translated whole when its marks nest
    simply inside it, else cut at its marks."""
    text, marks = "", []
    for item in run:
        if isinstance(item, str):
            text += item
        else:
            item.at = len(text)
            marks.append(item)
    # Each piece: (start, end, first, last): the sentence is text[first:last] (empty: none).
    pieces, start = [], 0
    for piece in _SENTENCE_END.split(text):
        end = start + len(piece)
        first = start + len(_LEADING.match(piece).group())  # type: ignore[union-attr]
        last = end - len(_TRAILING.search(piece).group())  # type: ignore[union-attr]
        if not any(char.isalpha() for char in piece):
            first = last = end
        pieces.append((start, end, first, last))
        start = end
    owned: list[list[_Mark]] = [[] for _piece in pieces]
    for mark in marks:
        index = next(
            (i for i, (_s, _e, f, la) in enumerate(pieces) if f < la and f <= mark.at <= la),
            None,
        )
        if index is None:
            index = next((i for i, (s, e, _f, _l) in enumerate(pieces) if s <= mark.at < e), -1)
        owned[index].append(mark)
    for (start, end, first, last), mine in zip(pieces, owned, strict=True):
        position = start
        inside = [m for m in mine if first < last and first <= m.at <= last]
        for mark in mine:
            if mark in inside:
                continue
            if mark.at > last and position < last:
                position = _sentence(text, position, first, last, inside, parts)
            parts.keep(_literal(text[position : mark.at], parts))
            parts.keep(mark.markup)
            position = mark.at
        if position <= first and first < last:
            position = _sentence(text, position, first, last, inside, parts)
        parts.keep(_literal(text[position:end], parts))


def _literal(text: str, parts: Parts) -> str:
    return _escaped(text) if parts.escape else text


def _sentence(
    text: str, position: int, first: int, last: int, marks: list[_Mark], parts: Parts
) -> int:
    """The spaces from `position`, then one sentence (text[first:last]) and the marks inside it;
    returns where the sentence ends."""
    parts.keep(_literal(text[position:first], parts))
    for lead, tail in ((True, True), (True, False), (False, True), (False, False)):
        kept_before = [m for m in marks if lead and m.at == first and m.opens]
        kept_after = [m for m in marks if tail and m.at == last and not m.opens]
        inner = [m for m in marks if m not in kept_before and m not in kept_after]
        spans = _flat(inner)
        if spans is not None:
            break
    if spans is None or not all(a.at < b.at for a, b in spans):
        _cut(text, first, last, marks, parts)
        return last
    parts.keep("".join(m.markup for m in kept_before))
    if not spans:
        parts.translate(text[first:last])
    else:
        fallback = Parts(escape=parts.escape)
        _cut(text, first, last, inner, fallback)
        joined = _Joined(parts.segment(text[first:last]), [], fallback)
        for opening, closing in spans:
            inside = text[opening.at : closing.at].strip()
            group = [m for m in inner if m.at == opening.at and m.opens]
            closes = [m for m in inner if m.at == closing.at and not m.opens]
            link = any(m.kind == "link" for m in group)
            letters = any(c.isalpha() for c in inside)
            occurrence, occurrences, where = _occurrence(
                text[first:last], inside, opening.at - first
            )
            joined.spans.append(
                _Span(
                    "".join(m.markup for m in group),
                    "".join(m.markup for m in closes),
                    parts.segment(inside) if letters else inside,
                    link,
                    _without(text[first : opening.at] + " " + text[closing.at : last])
                    if letters and not link
                    else "",
                    occurrence,
                    occurrences,
                    where,
                )
            )
        parts.items.append(joined)
    parts.keep("".join(m.markup for m in kept_after))
    return last


def _cut(text: str, first: int, last: int, marks: list[_Mark], parts: Parts) -> None:
    """The sentence cut at its marks: the text between them translated, the marks kept."""
    position = first
    for mark in marks:
        parts.translate(text[position : mark.at])
        parts.keep(mark.markup)
        position = mark.at
    parts.translate(text[position:last])


def _flat(marks: list[_Mark]) -> list[tuple[_Mark, _Mark]] | None:
    """(opening, closing) of each marked part when the marks open and close in groups, each group
    closing the one before it (`*a* and [b](c)`, `**[b](c)**`); None when they nest otherwise."""
    groups: list[list[_Mark]] = []
    for mark in marks:
        if groups and groups[-1][0].at == mark.at and groups[-1][0].opens == mark.opens:
            groups[-1].append(mark)
        else:
            groups.append([mark])
    if len(groups) % 2:
        return None
    spans = []
    for opening, closing in zip(groups[::2], groups[1::2], strict=True):
        if not opening[0].opens or closing[0].opens:
            return None
        if [m.kind for m in opening] != [m.kind for m in reversed(closing)]:
            return None
        spans.append((opening[0], closing[0]))
    return spans


def _words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(text)]


def _without(sentence: str) -> str:
    """A sentence with marked words taken out, its spaces made whole again."""
    return _SPACE_BEFORE.sub(r"\1", " ".join(sentence.split()))


def _occurrence(sentence: str, inside: str, at: int) -> tuple[int, int, float]:
    """For marked words (`inside`, marked from `at` in `sentence`): which of the sentence's
    occurrences of the same words they are, how many there are (0 when they are not found word
    for word: a mark inside a word), and where they stand (0: the sentence's start, 1: its end)."""
    words = _words(sentence)
    found = _exact(inside, sentence, words)
    before = sum(1 for start, _end in words if start < at)
    where = (before + len(_words(inside)) / 2) / max(1, len(words))
    starts = [words[first][0] for first, _past in found]
    if not any(start >= at and not sentence[at:start].strip() for start in starts):
        return 0, 0, where
    return sum(1 for start in starts if start < at), len(found), where


def _unmatched(item: _Joined, translations: Sequence[str]) -> list[int]:
    """The emphasis of a joined sentence whose words' own translation is not, word for word, in
    the sentence's: its words translated alone often differ from the same words in context (a
    verb alone, "demand", is translated as a noun; "recusam" alone gains a pronoun). And the
    emphasis whose words' own translation is in the sentence's, but not as many times as the
    marked words are in the original sentence ("strike today, **strike** tomorrow" into a
    sentence with "greve" once, or the other way round): which one is marked is found by
    difference too."""
    text = translations[item.segment].strip()
    words = _words(text)
    unmatched = []
    for index, span in enumerate(item.spans):
        if not span.without or not isinstance(span.segment, int):
            continue
        found = _exact(translations[span.segment].strip(), text, words)
        if not found or (len(found) != span.occurrences and max(len(found), span.occurrences) > 1):
            unmatched.append(index)
    return unmatched


def _exact(own: str, text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every run of words of `text` (first, past the last) that is `own`, word for word."""
    size = len(_words(own))
    wanted = own.casefold()
    return [
        (first, first + size)
        for first in range(len(words) - size + 1 if size else 0)
        if text[words[first][0] : words[first + size - 1][1]].casefold() == wanted
    ]


def _by_difference(
    own: str, text: str, words: list[tuple[int, int]], taken: set[int], without: str, where: float
) -> tuple[int, int] | None:
    """The words of the sentence's translation that its translation without the marked words
    lacks: those of them closest to the marked words' own translation, or all of them when they
    are one run no longer than the marked words."""
    mine = [text[start:end].casefold() for start, end in words]
    matcher = difflib.SequenceMatcher(
        None, mine, [w.casefold() for w in _WORD.findall(without)], autojunk=False
    )
    region = set(range(len(mine)))
    for block in matcher.get_matching_blocks():
        region -= set(range(block.a, block.a + block.size))
    region -= taken
    if not region:
        return None
    found = _place(own, text, words, taken | (set(range(len(words))) - region), where)
    if found is not None:
        return found
    run = sorted(region)
    if run[-1] - run[0] + 1 == len(run) and len(run) <= max(1, len(_words(own))):
        return run[0], run[-1] + 1
    return None


def _placed(
    item: _Joined, translations: Sequence[str], withouts: dict[int, str] | None = None
) -> list[tuple[int, int, _Span]] | None:
    """Where each marked part goes in the sentence's translation: (start, end, span) for those
    placed; emphasis not placed is left out; None when a link cannot be placed. `withouts`: the
    translations of the sentence without the emphasis of these indices (`_unmatched`), to find
    their words by difference first."""
    text = translations[item.segment].strip()
    words = _words(text)
    taken: set[int] = set()
    placed = []
    for index, span in enumerate(item.spans):
        own = span.segment if isinstance(span.segment, str) else translations[span.segment]
        found = None
        if withouts and index in withouts:
            found = _by_difference(own.strip(), text, words, taken, withouts[index], span.where)
        if found is None:
            found = _in_order(own.strip(), text, words, taken, span)
        if found is None:
            found = _place(own.strip(), text, words, taken, span.where)
        if found is None:
            if span.link:
                return None
            continue
        taken.update(range(found[0], found[1]))
        placed.append((words[found[0]][0], words[found[1] - 1][1], span))
    return placed


def _in_order(
    own: str, text: str, words: list[tuple[int, int]], taken: set[int], span: _Span
) -> tuple[int, int] | None:
    """When the marked words' own translation is in the sentence's as many times as the marked
    words are in the original sentence: the same occurrence (the second marked, the second
    taken), unless other marks took its words."""
    found = _exact(own, text, words)
    if len(found) != span.occurrences or not found:
        return None
    first, past = found[span.occurrence]
    return None if taken.intersection(range(first, past)) else (first, past)


def _place(
    own: str, text: str, words: list[tuple[int, int]], taken: set[int], where: float = 0.0
) -> tuple[int, int] | None:
    """The words of `text` (first, past the last) that are `own`, or the closest run of words
    (CLOSE_ENOUGH), none of them `taken`; among equally close runs, the one that stands where
    the marked words stand in the original sentence (`where`)."""
    size = len(_words(own))
    if not size:
        return None
    wanted = own.casefold()
    best: list[tuple[int, int]] = []
    best_ratio = CLOSE_ENOUGH
    for length in (size, size - 1, size + 1):
        for first in range(len(words) - length + 1):
            if length < 1 or taken.intersection(range(first, first + length)):
                continue
            candidate = text[words[first][0] : words[first + length - 1][1]].casefold()
            ratio = (
                2.0
                if candidate == wanted
                else difflib.SequenceMatcher(None, candidate, wanted).ratio()
            )
            if ratio > best_ratio:
                best, best_ratio = [(first, first + length)], ratio
            elif ratio == best_ratio and best:
                best.append((first, first + length))
    if not best:
        return None
    return min(best, key=lambda run: abs((run[0] + run[1]) / 2 / len(words) - where))


def _markup(children: list[Token], index: int) -> str:
    """A token kept as written: emphasis marks, a link's brackets and address, inline code, HTML."""
    child = children[index]
    kind = child.type
    if kind in _WRAPPING:
        return child.markup
    if kind == "link_open" and child.markup == "autolink":
        return f"<{children[index + 1].content}>" if index + 1 < len(children) else ""
    if kind == "link_open":
        return "["
    if kind == "link_close":
        return f"]({_target(_opening(children, index))})"
    if kind == "code_inline":
        pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
        return f"{child.markup}{pad}{child.content}{pad}{child.markup}"
    return child.content  # html_inline and whatever else: as written


def _opening(children: list[Token], close: int) -> Token:
    depth = 0
    for index in range(close - 1, -1, -1):
        kind = children[index].type
        if kind == "link_close":
            depth += 1
        elif kind == "link_open":
            if depth == 0:
                return children[index]
            depth -= 1
    raise ValueError("link_close without link_open")


def _target(token: Token) -> str:
    href = str(token.attrs.get("href") or token.attrs.get("src") or "")
    href = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    title = token.attrs.get("title")
    if title:
        return f'{href} "{str(title).replace(chr(34), chr(92) + chr(34))}"'
    return href
