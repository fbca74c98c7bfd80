"""Mail servers for tests: one that is down, every message failing as an unreachable SMTP server
fails; one that is slow, while another worker runs."""

import smtplib
from collections.abc import Callable

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class UnreachableMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowMailServer(EmailBackend):
    """Delivers as the test outbox does, but only after `meanwhile` (set by the test) has run:
    what another worker does while this one is still sending."""

    meanwhile: Callable[[], object] | None = None

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        run, SlowMailServer.meanwhile = SlowMailServer.meanwhile, None
        if run is not None:
            run()
        return super().send_messages(email_messages)
