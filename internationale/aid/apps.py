from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "internationale.aid"
    label = "aid"

    def ready(self) -> None:
        # Registers the audit kinds and how inbox entries about aid are worded.
        from . import audit_kinds, notices  # noqa: F401
