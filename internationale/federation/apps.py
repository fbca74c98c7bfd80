from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "internationale.federation"
    label = "federation"

    def ready(self) -> None:
        from . import (  # noqa: F401
            audit_kinds,
            notices,  # kinds of notice (core/notices.py)
            owned,  # what organizations own (core/owned.py)
        )
