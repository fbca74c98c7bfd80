from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "internationale.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import (
            audit_kinds,  # noqa: F401  (registers the audit kinds and their wording)
            owned,  # noqa: F401  (what organizations own: core/owned.py)
            signals,  # noqa: F401  (API tokens end when credentials change)
        )
