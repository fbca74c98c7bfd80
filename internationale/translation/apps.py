from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "internationale.translation"
    label = "translation"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about translation are worded.
        from . import (  # noqa: F401
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
            rules,
        )
