from django.apps import AppConfig


class WebConfig(AppConfig):
    """The project level: the API assembly, the home page and dashboard, the demo. It may import
    every app; no app imports it."""

    name = "internationale.web"
    label = "web"
