from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "internationale.appeals"
    label = "appeals"

    def ready(self) -> None:
        from . import notices  # noqa: F401  (registers how inbox entries about appeals are worded)
