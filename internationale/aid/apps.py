from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "internationale.aid"
    label = "aid"
