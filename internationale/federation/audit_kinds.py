"""The audit kinds of federation (see core/audit.py). Registered when the app is ready."""

from django.utils.translation import gettext_lazy

from internationale.core.audit import register

register(
    "federation.rotate_key",
    label=gettext_lazy("Federation key changed"),
    wording=lambda p: str(p["key"]),
)
