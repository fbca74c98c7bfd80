from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "internationale.core"
    label = "core"

    def ready(self) -> None:
        from . import owned_core  # noqa: F401  (what organizations own: core/owned.py)
        from .history import register_core
        from .visibility import refuse_saving_masked, register_view_rules

        register_view_rules()
        register_core()  # the history pruned and the periodic queries of the worker
        pre_save.connect(refuse_saving_masked, dispatch_uid="core.refuse_saving_masked")
