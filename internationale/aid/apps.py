from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "internationale.aid"
    label = "aid"

    def ready(self) -> None:
        from . import notices  # noqa: F401  (registers how inbox entries about aid are worded)
