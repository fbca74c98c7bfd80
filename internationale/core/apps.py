from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "internationale.core"
    label = "core"

    def ready(self) -> None:
        from .visibility import refuse_saving_masked, register_view_rules

        register_view_rules()
        pre_save.connect(refuse_saving_masked, dispatch_uid="core.refuse_saving_masked")
