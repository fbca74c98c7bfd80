from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "internationale.actions"
    label = "actions"
