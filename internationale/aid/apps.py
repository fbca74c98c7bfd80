from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "internationale.aid"
    label = "aid"

    def ready(self) -> None:
        from internationale.appeals.extensions import add_pledge_details

        # Registers the audit kinds and how inbox entries about aid are worded.
        from . import audit_kinds, notices  # noqa: F401
        from .selectors import attach_receipts

        # A fulfilled pledge's `receipts`, on the appeal's page and in the API.
        add_pledge_details(attach_receipts)
