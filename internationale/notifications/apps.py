from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "internationale.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import audit_kinds  # noqa: F401  (registers the audit kinds and their wording)
