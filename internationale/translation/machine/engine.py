"""Translating an original's texts: pairs routed to a backend (through English when no backend
translates the pair directly), texts cut into segments with their Markdown structure kept
(structure.py: a sentence whole across its emphasis and links), each segment cached by content hash so that nothing is translated twice."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Segment
from .backends import Backend, configured
from .structure import split, split_plain

PIVOT = "en"


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def route(source: str, target: str) -> list[tuple[Backend, str, str]]:
    """The steps from `source` to `target`: one backend with the direct pair, else two through
    English. ValidationError (code "no_backend") when no backend can."""
    src, tgt = _primary(source), _primary(target)
    backends = configured()
    for backend in backends:
        if (src, tgt) in backend.pairs():
            return [(backend, src, tgt)]
    first = next((b for b in backends if (src, PIVOT) in b.pairs()), None)
    second = next((b for b in backends if (PIVOT, tgt) in b.pairs()), None)
    if src != PIVOT and tgt != PIVOT and first and second:
        return [(first, src, PIVOT), (second, PIVOT, tgt)]
    raise ValidationError(
        _("No translation model on this server translates %(source)s into %(target)s.")
        % {"source": source, "target": target},
        code="no_backend",
    )


def can_translate(source: str, target: str) -> bool:
    try:
        route(source, target)
    except ValidationError:
        return False
    return True


def _key(backend: str, source: str, target: str, text: str) -> str:
    return hashlib.sha256(f"{backend}\0{source}\0{target}\0{text}".encode()).hexdigest()


def _batches(items: list[str]) -> list[list[str]]:
    size = max(1, int(settings.TRANSLATION_BATCH_SIZE))
    return [items[i : i + size] for i in range(0, len(items), size)]


def translate_segments(
    segments: list[str], backend: Backend, source: str, target: str
) -> list[str]:
    """Each segment in `target`, one for one. A segment translated before (by this backend, for
    this pair) is taken from the cache; the others go to the backend once each, in batches of
    TRANSLATION_BATCH_SIZE, each batch cached as soon as it is made."""
    if not segments:
        return []
    keys = [_key(backend.name, source, target, s) for s in segments]
    known = dict(Segment.objects.filter(key__in=set(keys)).values_list("key", "text"))
    missing = list(dict.fromkeys(s for s, k in zip(segments, keys, strict=True) if k not in known))
    for batch in _batches(missing):
        made = backend.translate(batch, source, target)
        rows = [
            Segment(
                key=_key(backend.name, source, target, s),
                backend=backend.name,
                source_language=source,
                target_language=target,
                characters=len(s),
                text=t,
            )
            for s, t in zip(batch, made, strict=True)
        ]
        Segment.objects.bulk_create(rows, ignore_conflicts=True)
        known |= {row.key: row.text for row in rows}
    return [known[k] for k in keys]


def translate_texts(
    texts: dict[str, str], source: str, target: str, markdown: Collection[str] = ()
) -> tuple[dict[str, str], str]:
    """Each of an original's texts in `target`, and the backend(s) that made them. The texts
    named in `markdown` keep their Markdown structure (structure.py); the others are plain.
    Every segment of every text goes to the cache and the backend together."""
    steps = route(source, target)
    for backend, src, tgt in steps:
        parts = {
            name: (split(text) if name in markdown else split_plain(text))
            for name, text in texts.items()
        }
        segments = [segment for part in parts.values() for segment in part.segments]
        translated = iter(translate_segments(segments, backend, src, tgt))
        made = {name: [next(translated) for _s in part.segments] for name, part in parts.items()}
        # Sentences whose links the backend's words did not show where to put: cut at their marks;
        # those whose emphasis is not found word for word: without it, to find it by difference.
        needed = {name: part.fallbacks(made[name]) for name, part in parts.items()}
        more = iter(translate_segments([s for n in needed.values() for s in n], backend, src, tgt))
        texts = {
            name: part.render(made[name], [next(more) for _s in needed[name]])
            for name, part in parts.items()
        }
    return texts, "+".join(b.name for b, _s, _t in steps)


def translate_text(text: str, source: str, target: str, markdown: bool = True) -> tuple[str, str]:
    """One text in `target` (Markdown unless `markdown` is false), and the backend(s)."""
    out, name = translate_texts({"text": text}, source, target, ("text",) if markdown else ())
    return out["text"], name
