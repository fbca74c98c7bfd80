"""Translating an original's texts: pairs routed to a backend (through English when no backend
translates the pair directly), texts cut into sentences, each sentence cached by content hash."""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Segment
from .backends import Backend, configured

PIVOT = "en"
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s+")


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


def _translate_sentences(
    sentences: list[str], backend: Backend, source: str, target: str
) -> list[str]:
    keys = [_key(backend.name, source, target, s) for s in sentences]
    known = dict(Segment.objects.filter(key__in=set(keys)).values_list("key", "text"))
    missing = list(dict.fromkeys(s for s, k in zip(sentences, keys, strict=True) if k not in known))
    if missing:
        made = backend.translate(missing, source, target)
        rows = [
            Segment(
                key=_key(backend.name, source, target, s),
                backend=backend.name,
                source_language=source,
                target_language=target,
                characters=len(s),
                text=t,
            )
            for s, t in zip(missing, made, strict=True)
        ]
        Segment.objects.bulk_create(rows, ignore_conflicts=True)
        known |= {row.key: row.text for row in rows}
    return [known[k] for k in keys]


def translate_text(text: str, source: str, target: str) -> tuple[str, str]:
    """`text` in `target`, paragraph by paragraph and sentence by sentence; and the name of the
    backend(s) that made it."""
    steps = route(source, target)
    for backend, src, tgt in steps:
        paragraphs = text.split("\n")
        out = []
        for paragraph in paragraphs:
            sentences = [s for s in _SENTENCE_END.split(paragraph) if s]
            out.append(
                " ".join(_translate_sentences(sentences, backend, src, tgt))
                if sentences
                else paragraph
            )
        text = "\n".join(out)
    return text, "+".join(b.name for b, _s, _t in steps)


def translate_texts(texts: dict[str, str], source: str, target: str) -> tuple[dict[str, str], str]:
    """Each of an original's texts in `target`, and the backend that made them."""
    name = ""
    out = {}
    for field, text in texts.items():
        out[field], name = translate_text(text, source, target)
    return out, name
