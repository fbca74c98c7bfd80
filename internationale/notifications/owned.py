"""What an organization owns of notifications: its inbox (core/owned.py)."""

from django.utils.translation import gettext_noop

from internationale.core.owned import Owned, declare_not_owned, declare_owned

declare_owned(
    Owned(
        model="notifications.InboxEntry",
        key="notifications.inbox_entry",
        owners=("organization",),
        fields=(
            "organization",
            "source_type",
            "source_id",
            "kind",
            "sender",
            "title",
            "params",
            "summary",
            "confidential",
            "url",
            "urgency",
            "deadline",
            "created_at",
        ),
        confidential=True,
    )
)
declare_not_owned(
    "notifications.PersonalEntry", gettext_noop("a person's own notices, not an organization's")
)
declare_not_owned("notifications.InboxRead", gettext_noop("what each person has read"))
declare_not_owned("notifications.Webhook", gettext_noop("a secret of this server, made again"))
declare_not_owned("notifications.WebhookDelivery", gettext_noop("deliveries done, pruned"))
declare_not_owned("notifications.EmailNotification", gettext_noop("e-mails sent, pruned"))
declare_not_owned("notifications.EmailPreference", gettext_noop("a person's setting"))
