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


class SpoolBackend(BaseEmailBackend):
    """For bench/campaigns.py: each message's first recipient and the confirmation token of the
    link it carries, one line each, appended to the file BENCH_MAIL_SPOOL names (what a signer
    reads in their inbox); other messages are rendered and dropped, as RenderingBackend does."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        import os
        import re

        lines = []
        for message in email_messages:
            message.message().as_bytes()
            found = re.search(r"/campaigns/confirm/([^/\s]+)/", str(message.body))
            if found and message.to:
                lines.append(f"{message.to[0]} {found[1]}\n")
        if lines:
            # One write of whole lines to a file opened for appending: lines from several
            # processes never interleave, and a process killed after it leaves them whole.
            fd = os.open(os.environ["BENCH_MAIL_SPOOL"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, "".join(lines).encode())
            finally:
                os.close(fd)
        return len(email_messages)
