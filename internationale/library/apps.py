from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "internationale.library"
    label = "library"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about documents are worded, and declares
        # documents translatable (translation/registry.py).
        from . import (  # noqa: F401
            audit_kinds,
            indexing,
            notices,
            owned,  # what organizations own (core/owned.py)
            rules,
        )

        # Search: the words and vector of a document follow its changes (indexing.py).
        indexing.connect()
        # The copy of the documents' audience kept beside the vectors follows their changes.
        from .audience import follow

        follow()
