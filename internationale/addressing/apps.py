from django.apps import AppConfig


class AddressingConfig(AppConfig):
    name = "internationale.addressing"
    label = "addressing"

    def ready(self) -> None:
        from .preview import connect

        # Every write to what routing reads moves the version its previews are kept by.
        connect()
