"""The audit kinds of federation (see core/audit.py). Registered when the app is ready."""

from django.utils.translation import gettext_lazy

from internationale.core.audit import register

register(
    "federation.rotate_key",
    label=gettext_lazy("Federation key changed"),
    wording=lambda p: str(p["key"]),
)
register(
    "federation.block",
    label=gettext_lazy("Remote server blocked"),
    wording=lambda p: p["remote_actor"] or p["host"],
)
register(
    "federation.unblock",
    label=gettext_lazy("Remote server unblocked"),
    wording=lambda p: p["remote_actor"] or p["host"],
)
register(
    "federation.follower_add",
    label=gettext_lazy("Followed from a remote server"),
    wording=lambda p: p["remote_actor"],
)
register(
    "federation.follower_remove",
    label=gettext_lazy("No longer followed from a remote server"),
    wording=lambda p: p["remote_actor"],
)
