from django.apps import AppConfig


class AddressingConfig(AppConfig):
    name = "internationale.addressing"
    label = "addressing"
