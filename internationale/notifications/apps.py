from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "internationale.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import (  # noqa: F401  (register the kinds and their wording)
            audit_kinds,
            notices,
            owned,  # what organizations own (core/owned.py)
            rules,
        )
        from .channels import register
        from .history import register as register_history

        register()  # the inbox, e-mail and webhooks, as channels of core's notices
        register_history()  # e-mails sent and webhook deliveries done, pruned
