from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "internationale.statements"
    label = "statements"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about statements and advice are worded.
        # The deadlines for positions, which the worker checks on a schedule (consensus.py).
        from internationale.core.history import register_periodic_query

        from . import (  # noqa: F401
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
        )
        from .consensus import statements_due
        from .public_page import connect

        # The kept public pages change with every write to what they show (public_page.py).
        connect()

        register_periodic_query("statements past their deadline for positions", statements_due)
