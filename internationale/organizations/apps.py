from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "internationale.organizations"
    label = "organizations"

    def ready(self) -> None:
        # Registers the audit kinds and how inbox entries are worded.
        from . import (  # noqa: F401
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
        )
        from .directory import connect

        connect()  # the directory's cache follows the writes to what it shows
