"""What notifications keep that may be pruned, and their periodic queries (see core/history.py).

- E-mail records (one row per person and event, which stops a second run from sending twice):
  those sent more than `EMAIL_RETENTION_DAYS` ago go; one never sent stays, whatever its age.
- Webhook deliveries, the log an organization reads on its webhooks page: those delivered, or
  given up on, more than `WEBHOOK_DELIVERY_RETENTION_DAYS` ago go; a pending one stays.

Inbox entries and their read marks are what organizations received: they stay.
"""

from internationale.core.history import register_periodic_query, register_prunable

from .models import EmailNotification, WebhookDelivery
from .tasks import digest_pending, due_webhook_deliveries, unsent_emails

DONE = [WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED]


def register() -> None:
    register_prunable(
        "e-mail records",
        rows=lambda cutoff: EmailNotification.objects.filter(sent_at__lt=cutoff),
        retention_setting="INTERNATIONALE_EMAIL_RETENTION_DAYS",
    )
    register_prunable(
        "webhook deliveries",
        # Done deliveries by when they were recorded: the last attempt is within hours of it.
        rows=lambda cutoff: WebhookDelivery.objects.filter(status__in=DONE, created_at__lt=cutoff),
        retention_setting="INTERNATIONALE_WEBHOOK_DELIVERY_RETENTION_DAYS",
    )
    register_periodic_query("e-mails to send again", unsent_emails)
    register_periodic_query(
        "e-mails kept for a digest", lambda now: digest_pending(now).values_list("user_id")
    )
    register_periodic_query("webhook deliveries due", due_webhook_deliveries)
