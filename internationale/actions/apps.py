from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "internationale.actions"
    label = "actions"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about days of action are worded.
        from . import audit_kinds, notices  # noqa: F401
