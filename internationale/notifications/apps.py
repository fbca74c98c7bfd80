from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "internationale.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import audit_kinds, notices  # noqa: F401  (register the kinds and their wording)
        from .channels import register

        register()  # the inbox, e-mail and webhooks, as channels of core's notices
