from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "internationale.library"
    label = "library"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about documents are worded, and declares
        # documents translatable (translation/registry.py).
        from . import audit_kinds, notices, rules  # noqa: F401
