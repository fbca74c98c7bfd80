from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "internationale.organizations"
    label = "organizations"

    def ready(self) -> None:
        from . import notices  # noqa: F401  (registers how inbox entries are worded)
        from .directory import connect

        connect()  # the directory's cache follows the writes to what it shows
