from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "internationale.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about meetings are worded.
        # The deadlines of minutes and of tasks, which the worker checks on a schedule
        # (minutes.py, reminders.py).
        from internationale.core.history import register_periodic_query

        from . import (  # noqa: F401
            audit_kinds,
            feeds,
            notices,
            owned,  # what organizations own (core/owned.py)
        )
        from .minutes import minutes_due
        from .reminders import reminders_due

        register_periodic_query("minutes past their approval deadline", minutes_due)
        register_periodic_query("task reminders due", reminders_due)
        # A calendar address is renewed when someone who could read it stops speaking for its
        # organization (feeds.py).
        feeds.connect()
