from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "internationale.statements"
    label = "statements"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about statements and advice are worded.
        from . import audit_kinds, notices  # noqa: F401
