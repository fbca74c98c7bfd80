from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "internationale.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about meetings are worded.
        # The deadlines of minutes, which the worker checks on a schedule (minutes.py).
        from internationale.core.history import register_periodic_query

        from . import audit_kinds, notices  # noqa: F401
        from .minutes import minutes_due

        register_periodic_query("minutes past their approval deadline", minutes_due)
