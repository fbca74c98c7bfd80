"""Markdown cut into what a translation model should see, and put back together after.

`split(text)` parses the Markdown (markdown-it-py, CommonMark with tables and strikethrough) and
returns `Parts`: the text's pieces, each either kept as it is (code, links' addresses, emphasis
marks, list and heading markers, quotes, table pipes, HTML) or a segment to translate (a sentence,
or the part of a sentence between two marks: "Join the **general strike** today." gives "Join the",
"general strike" and "today."). `Parts.render(translations)` puts the translated segments back in
their places. Code blocks, fenced code and HTML blocks are never translated.

A paragraph written over several lines comes back on one (the same when rendered); hard line
breaks are kept. `split_plain` does the same for a plain text (a title): sentences only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])(\s+)")
_LEADING = re.compile(r"^\s*")
_TRAILING = re.compile(r"\s*$")
# Marks a translated text must not bring into the Markdown around it.
_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_WRAPPING = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass
class Parts:
    """A text as pieces: a `str` is kept, an `int` is the index of a segment to translate."""

    items: list[str | int] = field(default_factory=list)
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

    def render(self, translations: Sequence[str]) -> str:
        """The text with each segment replaced by its translation (one for one)."""
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment")
        out = []
        for item in self.items:
            if isinstance(item, int):
                translated = translations[item].strip()
                out.append(_escaped(translated) if self.escape else translated)
            else:
                out.append(item)
        return "".join(out)


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
            parts.items.extend(i + offset if isinstance(i, int) else i for i in pieces.items)
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
    text: list[str] = []

    def flush() -> None:
        if text:
            parts.translate("".join(text))
            text.clear()

    in_autolink = False
    for index, child in enumerate(children):
        kind = child.type
        if in_autolink:
            in_autolink = kind != "link_close"
        elif kind in ("text", "softbreak"):
            text.append(child.content if kind == "text" else " ")
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
