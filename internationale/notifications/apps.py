from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "internationale.notifications"
    label = "notifications"
