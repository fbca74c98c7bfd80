from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "internationale.appeals"
    label = "appeals"

    def ready(self) -> None:
        from internationale.core.history import register_periodic_query

        # Registers the audit kinds and how inbox entries about appeals are worded.
        from . import (  # noqa: F401
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
        )
        from .public_page import connect
        from .services import sends_stalled
        from .tasks import appeals_to_escalate

        register_periodic_query("appeals to escalate", appeals_to_escalate)
        register_periodic_query("appeal sends to finish", sends_stalled)
        # What appeals tell of two organizations, for the history of their relation.
        from django.utils.translation import gettext_lazy

        from internationale.core.exchanges import register_exchanges

        from .exchanges import appeals_answered

        register_exchanges(
            "appeals", label=gettext_lazy("Appeals answered"), source=appeals_answered
        )
        # Every write to what a public appeal's page shows changes the version it is kept by.
        connect()
