"""An e-mail backend for benchmarks: each message is rendered to bytes, as for a mail server, then
dropped. Django's in-memory backend would keep every message, and a worker sending tens of
thousands would grow with them."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class RenderingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)
