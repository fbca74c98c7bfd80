from django.apps import AppConfig


class OwnershipConfig(AppConfig):
    name = "internationale.ownership"
    label = "ownership"
