"""A word-level comparison of two versions of a statement, paragraph by paragraph, for every
script.

Text is cut into tokens: a word is a run of letters, combining marks and digits (so the vowel
signs of Devanagari and the harakat of Arabic stay inside their word); each Chinese or Japanese
ideograph, and each kana, is a token of its own, since those scripts write no spaces between
words; every other character (a space, a punctuation mark) is a token alone. Paragraphs are
aligned first, then the words of changed paragraphs, with difflib. The standard library's
unicodedata gives the character classes: no dependency is needed.
"""

import difflib
import threading
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Op = Literal["equal", "delete", "insert"]

# Scripts written without spaces between words: each character is a token.
_SPACELESS = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x3FFFF),  # CJK Unified Ideographs Extensions B and later
)


def _spaceless(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _SPACELESS)


def _in_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" and not _spaceless(char)


def tokens(text: str) -> list[str]:
    """The text's tokens; joined, they give the text back."""
    result: list[str] = []
    word: list[str] = []
    for char in text:
        if _in_word(char) or (word and unicodedata.category(char)[0] == "M"):
            word.append(char)
            continue
        if word:
            result.append("".join(word))
            word = []
        if result and unicodedata.category(char)[0] == "M":
            # A mark after an ideograph or a sign stays with it.
            result[-1] += char
        else:
            result.append(char)
    if word:
        result.append("".join(word))
    return result


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class ParagraphDiff:
    """One paragraph of the comparison: its number in each version (None if it is not there),
    and its pieces, changed or not."""

    old: int | None
    new: int | None
    pieces: list[Piece]

    @property
    def op(self) -> str:
        """ "equal", "delete" (removed whole), "insert" (added whole) or "change"."""
        if self.old is None:
            return "insert"
        if self.new is None:
            return "delete"
        if all(p.op == "equal" for p in self.pieces):
            return "equal"
        return "change"


# Below this share of tokens in common, two paragraphs are told as one replaced by the other:
# words marked here and there between unrelated sentences help no reader.
MIN_COMMON = 0.3


def _is_word(token: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in token)


def _words(old: str, new: str) -> list[Piece]:
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < MIN_COMMON:
        return [Piece("delete", old), Piece("insert", new)]
    opcodes = matcher.get_opcodes()
    # Spaces and punctuation alone between two changes join them: "<del>a b</del>", not
    # "<del>a</del> <del>b</del>".
    segments: list[tuple[str, list[str], list[str]]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = 0 < index < len(opcodes) - 1
        if tag == "equal" and between and not any(_is_word(t) for t in a[i1:i2]):
            tag = "replace"
        if segments and tag != "equal" and segments[-1][0] != "equal":
            _tag, old_part, new_part = segments[-1]
            segments[-1] = ("replace", old_part + a[i1:i2], new_part + b[j1:j2])
        else:
            segments.append((tag, a[i1:i2], b[j1:j2]))
    pieces: list[Piece] = []
    for kind, old_part, new_part in segments:
        if kind == "equal":
            pieces.append(Piece("equal", "".join(old_part)))
            continue
        if old_part:
            pieces.append(Piece("delete", "".join(old_part)))
        if new_part:
            pieces.append(Piece("insert", "".join(new_part)))
    return pieces


def compare(old: list[str], new: list[str]) -> list[ParagraphDiff]:
    """The two versions' paragraphs aligned: unchanged ones as they are, replaced ones word by
    word, added and removed ones whole."""
    result: list[ParagraphDiff] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                text = old[i1 + k]
                result.append(ParagraphDiff(i1 + k + 1, j1 + k + 1, [Piece("equal", text)]))
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            result.append(ParagraphDiff(i1 + k + 1, j1 + k + 1, _words(old[i1 + k], new[j1 + k])))
        for k in range(i1 + pairs, i2):
            result.append(ParagraphDiff(k + 1, None, [Piece("delete", old[k])]))
        for k in range(j1 + pairs, j2):
            result.append(ParagraphDiff(None, k + 1, [Piece("insert", new[k])]))
    return result


def render(pieces: list[Piece]) -> SafeString:
    """A paragraph's pieces as escaped HTML, removed words in <del>, added ones in <ins>."""
    html = []
    for piece in pieces:
        text = escape(piece.text)
        if piece.op == "delete":
            html.append(f"<del>{text}</del>")
        elif piece.op == "insert":
            html.append(f"<ins>{text}</ins>")
        else:
            html.append(text)
    return mark_safe("".join(html))  # noqa: S308 - every piece is escaped above


# Comparisons kept, by the two texts compared: a version never changes once made, and the same
# two versions are compared again and again (the page, the API, every participant). At most this
# many are kept per process; then the lot is dropped and filled again.
COMPARED_KEPT = 64
_compared: dict[tuple[tuple[str, ...], tuple[str, ...]], list[ParagraphDiff]] = {}
_compared_lock = threading.Lock()


def compare_kept(old: list[str], new: list[str]) -> list[ParagraphDiff]:
    """`compare(old, new)`, computed once per pair of texts in this process (the texts are the
    key: two texts alike share their comparison, whatever versions they are)."""
    key = (tuple(old), tuple(new))
    found = _compared.get(key)
    if found is None:
        found = compare(old, new)
        with _compared_lock:
            if len(_compared) >= COMPARED_KEPT:
                _compared.clear()
            _compared[key] = found
    return found
