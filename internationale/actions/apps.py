from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "internationale.actions"
    label = "actions"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about days of action are worded.
        from . import (  # noqa: F401
            api_reports,  # the API of reports, on the router of days of action
            audit_kinds,
            kinds_reports,  # reports back and the aggregated report
            notices,
            owned,  # noqa: F401  (what organizations own: core/owned.py)
            rules_reports,  # the rules of reports back
        )
        from .public_reports import connect

        # The kept aggregated reports change with every write to what they show.
        connect()
