"""Which language a text is written in, detected on the server (py3langid), among the languages
content is written in on this server (`TRANSLATION_DETECTION_LANGUAGES`). Shown to the author to
confirm, never taken on its own."""

from __future__ import annotations

import threading
from functools import cache

from django.conf import settings

_lock = threading.Lock()


@cache
def _identifier(languages: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in languages if code in identifier.labels])
    return identifier


def detect(text: str) -> tuple[str, float]:
    """The language `text` is most likely in, as a primary code ("pt"), and how sure (0 to 1).
    ("", 0.0) for a text with no letters."""
    if not any(char.isalpha() for char in text):
        return "", 0.0
    with _lock:  # loaded once per process
        identifier = _identifier(tuple(settings.TRANSLATION_DETECTION_LANGUAGES))
    code, probability = identifier.classify(text)
    return str(code), float(probability)
