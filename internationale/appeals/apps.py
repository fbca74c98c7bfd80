from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "internationale.appeals"
    label = "appeals"
