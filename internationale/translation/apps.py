from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "internationale.translation"
    label = "translation"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about translation are worded.
        from . import audit_kinds, notices, rules  # noqa: F401
