from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "internationale.aid"
    label = "aid"

    def ready(self) -> None:
        from internationale.appeals import public_page
        from internationale.appeals.extensions import add_pledge_details

        # Registers the audit kinds and how inbox entries about aid are worded.
        from . import (  # noqa: F401
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
        )
        from .models import Contribution
        from .selectors import attach_receipts

        # A fulfilled pledge's `receipts`, on the appeal's page and in the API.
        add_pledge_details(attach_receipts)
        # The aid received shows on a public appeal's page: its writes change the page's version.
        public_page.follow(Contribution, lambda contribution: contribution.appeal_id)
