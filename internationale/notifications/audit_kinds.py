"""The audit kinds of notifications, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from django.utils.translation import gettext_lazy

from internationale.core.audit import register

register(
    "webhook.create",
    label=gettext_lazy("Webhook added"),
    wording=lambda p: str(p["host"]),
)
register(
    "webhook.delete",
    label=gettext_lazy("Webhook removed"),
    wording=lambda p: str(p["host"]),
)
register(
    "webhook.rotate_secret",
    label=gettext_lazy("Webhook secret changed"),
    wording=lambda p: str(p["host"]),
)
register(
    "webhook.retire_secret",
    label=gettext_lazy("Webhook's old secret retired"),
    wording=lambda p: str(p["host"]),
)
