"""Which language a text is written in, detected on the server (py3langid), among the languages
this server serves (`languages`): those its content is written in (`TRANSLATION_DETECTION_LANGUAGES`,
chosen by the operator) and those of its interface (`LANGUAGES`), and no other, so that a text is
never taken for a language nobody here writes in. Shown to the author to confirm, never taken on
its own.

Every form and API that takes a text and its declared language checks them here: when detection
is sure of another language (`detected_language`), the author is asked to confirm theirs, with one
error on the field `language`, code "language_unconfirmed" (`language_unconfirmed`,
`check_language`), and nothing is written until they do."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from internationale.organizations.reference import language_name

from .content import primary

# How sure detection must be, and how many letters it needs, before the author is asked to
# confirm: a short title alone is often guessed wrong, and a question asked for nothing teaches
# people to tick without reading.
DETECTION_CERTAINTY = 0.9
DETECTION_MIN_LETTERS = 40

_lock = threading.Lock()


@cache
def _identifier(languages: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in languages if code in identifier.labels])
    return identifier


def languages() -> tuple[str, ...]:
    """The languages this server serves, as primary codes: its content's
    (`TRANSLATION_DETECTION_LANGUAGES`), then those of its interface (`LANGUAGES`) the operator did
    not list, each once. Detection chooses among them; the library offers them."""
    codes = [*settings.TRANSLATION_DETECTION_LANGUAGES, *(code for code, _ in settings.LANGUAGES)]
    return tuple(dict.fromkeys(primary(code).lower() for code in codes if code))


def detect(text: str) -> tuple[str, float]:
    """The language `text` is most likely in, as a primary code ("pt"), and how sure (0 to 1).
    ("", 0.0) for a text with no letters."""
    if not any(char.isalpha() for char in text):
        return "", 0.0
    with _lock:  # loaded once per process
        identifier = _identifier(languages())
    code, probability = identifier.classify(text)
    return str(code), float(probability)


def detected_language(texts: Iterable[str], declared: str) -> str:
    """The language the texts seem written in, as a primary code, when it is not the declared
    one and detection is sure of it on enough letters; "" otherwise."""
    text = "\n".join(text for text in texts if text)
    if sum(char.isalpha() for char in text) < DETECTION_MIN_LETTERS:
        return ""
    found, certainty = detect(text)
    if not found or certainty < DETECTION_CERTAINTY:
        return ""
    if declared and primary(found) == primary(declared):
        return ""
    return found


def language_unconfirmed(
    detected: str, declared: str, *, field: str = "language", fixed: bool = False
) -> ValidationError:
    """The error that asks the author to confirm the declared language, naming the detected one
    (on `field`, code "language_unconfirmed"; `params["detected"]`: its code). `fixed`: the
    author does not choose the language here (a text that must be in the language of what it
    belongs to, such as the report on an appeal's outcome)."""
    if fixed:
        message = _(
            "This text seems to be written in %(detected_name)s, not in %(declared_name)s, the "
            "language it belongs in. Write it in %(declared_name)s, or confirm that it is."
        )
    else:
        message = _(
            "This text seems to be written in %(detected_name)s, not in %(declared_name)s. "
            "Choose the language it is written in, or confirm that %(declared_name)s is right."
        )
    return ValidationError(
        {
            field: ValidationError(
                message,
                code="language_unconfirmed",
                params={
                    "detected": detected,
                    "detected_name": language_name(detected),
                    "declared_name": language_name(declared),
                },
            )
        }
    )


def check_language(
    texts: Iterable[str],
    declared: str,
    *,
    confirmed: bool,
    field: str = "language",
    fixed: bool = False,
) -> None:
    """Refuse (`language_unconfirmed`, on `field`) a declared language that detection contradicts,
    unless the author confirmed it. `fixed`: the language is that of what the text belongs to."""
    if confirmed or not declared:
        return
    detected = detected_language(texts, declared)
    if detected:
        raise language_unconfirmed(detected, declared, field=field, fixed=fixed)
