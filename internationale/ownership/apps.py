from django.apps import AppConfig


class OwnershipConfig(AppConfig):
    name = "internationale.ownership"
    label = "ownership"

    def ready(self) -> None:
        from . import audit_kinds, owned  # noqa: F401 - they register themselves
