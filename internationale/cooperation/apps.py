from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "internationale.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about meetings are worded.
        from . import audit_kinds, notices  # noqa: F401
