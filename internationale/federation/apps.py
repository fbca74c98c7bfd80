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

        # Received activities and finished deliveries, pruned daily (pruning.py).
        from internationale.core.history import register_prunable

        from .pruning import deliveries_to_prune, received_to_prune

        register_prunable(
            "federation activities received",
            rows=received_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS",
        )
        register_prunable(
            "federation deliveries finished",
            rows=deliveries_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS",
        )
