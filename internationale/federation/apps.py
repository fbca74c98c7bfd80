from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "internationale.federation"
    label = "federation"

    def ready(self) -> None:
        from internationale.core.notices import register_channel

        from . import (  # noqa: F401
            audit_kinds,
            notices,  # kinds of notice (core/notices.py)
            owned,  # what organizations own (core/owned.py)
        )
        from .publishing import channel

        # Public appeals published to their organizations' followers (publishing.py).
        register_channel("activitypub", channel)
