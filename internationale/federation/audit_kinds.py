"""The audit kinds of federation (see core/audit.py). Registered when the app is ready."""

from django.utils.translation import gettext_lazy

from internationale.core.audit import register
from internationale.statements.audit_kinds import STATEMENT

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
    "federation.blocked_dropped",
    label=gettext_lazy("Activity of a blocked sender not taken"),
    wording=lambda p: f"{p['remote_actor']}: {p['type']}",
)
register(
    "federation.unblock",
    label=gettext_lazy("Remote server unblocked"),
    wording=lambda p: p["remote_actor"] or p["host"],
)
register(
    "federation.remote_request",
    label=gettext_lazy("Remote organization asked for"),
    wording=lambda p: p["remote_actor"],
)
register(
    "federation.remote_accept",
    label=gettext_lazy("Remote organization accepted"),
    wording=lambda p: p["remote_actor"],
)
register(
    "federation.remote_refuse",
    label=gettext_lazy("Remote organization refused"),
    wording=lambda p: p["remote_actor"],
)
register(
    "federation.remote_act",
    label=gettext_lazy("Activity of a remote organization acted on"),
    wording=lambda p: f"{p['type']} {p['outcome']}",
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

# Moving to another server (moving.py).
register(
    "federation.also_known_as",
    label=gettext_lazy("Former address on another server recorded"),
    wording=lambda p: str(p["url"]),
)
register(
    "federation.also_known_as_remove",
    label=gettext_lazy("Former address on another server removed"),
    wording=lambda p: str(p["url"]),
)
register(
    "federation.move",
    label=gettext_lazy("Moved to another server"),
    wording=lambda p: str(p["url"]),
)
register(
    "federation.remote_moved",
    label=gettext_lazy("Remote organization moved"),
    wording=lambda p: f"{p['old']} → {p['new']}",
)
register(
    "federation.follower_refuse",
    label=gettext_lazy("Follow refused: too many followers on one remote server"),
    wording=lambda p: p["remote_actor"],
)
register(
    "federation.rotate_server_key",
    label=gettext_lazy("The server's federation key changed"),
    wording=lambda p: str(p["key"]),
)

# A remote appeal that named an organization here and was not taken for it (receiving.py).
_DROPPED_BECAUSE = {
    "blocked": gettext_lazy("its sender is blocked"),
    "unrelated": gettext_lazy("no relation with its sender"),
}
register(
    "federation.appeal_dropped",
    label=gettext_lazy("Appeal of a remote organization not taken"),
    wording=lambda p: f"{p['remote_actor']}: {_DROPPED_BECAUSE.get(p['reason'], p['reason'])}",
)
register(
    "federation.statement_deleted",
    label=gettext_lazy("Statement of another server deleted by its initiator"),
    wording=lambda p: str(p["title"]),
    # Its title for those who could read it; the copy gone, everyone else reads "A statement".
    confidential=STATEMENT,
)
