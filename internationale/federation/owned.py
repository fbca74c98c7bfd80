"""What an organization owns of federation: nothing it would take to another server; its keys
and followers belong to its address on this one (core/owned.py)."""

from django.utils.translation import gettext_noop

from internationale.core.owned import declare_not_owned

declare_not_owned(
    "federation.ActorKey", gettext_noop("a secret of this server, made again on another")
)
declare_not_owned(
    "federation.InstanceKey", gettext_noop("the server's own secret, no organization's")
)
declare_not_owned("federation.RemoteKey", gettext_noop("other servers' keys, fetched again"))
declare_not_owned(
    "federation.ReceivedActivity", gettext_noop("activities received from other servers")
)
declare_not_owned(
    "federation.Follower", gettext_noop("remote followers of the address on this server")
)
declare_not_owned(
    "federation.OutgoingActivity", gettext_noop("activities waiting for delivery, pruned")
)
declare_not_owned(
    "federation.SentActivity",
    gettext_noop("the ids of activities sent to other servers, so that none goes twice"),
)
declare_not_owned(
    "federation.Delivery", gettext_noop("deliveries of activities to other servers, pruned")
)
declare_not_owned("federation.RemoteHost", gettext_noop("what this server learnt of other servers"))
declare_not_owned(
    "federation.Block", gettext_noop("this server's own choice of whom it federates with")
)
declare_not_owned(
    "federation.RemoteOrganization",
    gettext_noop("other servers' organizations, and this server's decisions about them"),
)
declare_not_owned(
    "federation.ReceivedObject",
    gettext_noop("other servers' appeals as received here; their own server keeps them"),
)
declare_not_owned(
    "federation.ReceivedStatement",
    gettext_noop("other servers' statements as received here; their own server keeps them"),
)
declare_not_owned(
    "federation.ReceivedContent",
    gettext_noop(
        "other servers' meetings and advice as received here; their own server keeps them"
    ),
)
declare_not_owned(
    "federation.ActorAlias",
    gettext_noop("where the address on this server moved to or from, which this server tells"),
)
declare_not_owned(
    "federation.ErasedActor",
    gettext_noop("an erased organization's former address, answered as gone for good"),
)
declare_not_owned(
    "federation.ErasedActorKey",
    gettext_noop("an erased organization's key, served at its former address for a while"),
)
