"""The weekly digest of the library by e-mail, for those who chose it (DigestChoice): the documents
added since the last one that each person may read, of the kinds and languages they chose, in
their language, with a link that turns it off in one click (RFC 8058).

A periodic background task (INTERNATIONALE_PERIODIC_TASKS) sends the digests that are due: a
week after the last one, or at once for a person who has just chosen it. Each person's digest is
claimed by one conditional update of `last_sent_at` before it is sent, so that two runs at once
send it once; a mail server that refuses it gives the claim back for the next run. A week with
nothing new sends nothing, and the next digest covers from then.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from internationale.core.actors import System
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text
from internationale.notifications.unsubscribe import link_read, link_token, one_click_headers

from .models import DigestChoice
from .selectors_docs import digest_documents, shown_in

logger = logging.getLogger("internationale.library")
WEEK = datetime.timedelta(days=7)
# The documents one digest lists at most; it links to the library for the rest.
DIGEST_LENGTH = 50
# People whose digest is looked at per run.
BATCH = 200
# The digest's links: signed and read as notices' are (notifications/unsubscribe.py), under a salt
# of their own, so that neither link turns off the other's e-mails.
SALT = "internationale.library.digest"


def unsubscribe_token(person_id: int) -> str:
    return link_token(SALT, u=person_id)


def unsubscribe_read(token: str) -> int:
    """The person whose digest `token` turns off. Raises signing.BadSignature (expired included)
    for a forged, altered or expired one."""
    return link_read(token, SALT, ("u",))["u"]  # type: ignore[return-value]


def unsubscribe_url(person_id: int) -> str:
    return absolute_url(reverse("library_digest_off", args=[unsubscribe_token(person_id)]))


def digest_turn_off(person_id: int) -> bool:
    """Turn the person's weekly digest off (what the link in each digest does), audited. Returns
    whether it was on."""
    with transaction.atomic():
        choice = DigestChoice.objects.select_for_update().filter(person_id=person_id).first()
        if choice is None or not choice.weekly:
            return False
        choice.weekly = False
        choice.save(update_fields=["weekly"])
        audit(
            actor=System(reason="library digest link"),
            action="library.digest_choose",
            target=choice,
            weekly=False,
        )
    return True


def due(now: datetime.datetime) -> list[DigestChoice]:
    return list(
        DigestChoice.objects.filter(weekly=True, person__is_active=True)
        .filter(last_sent_at__isnull=True)
        .select_related("person")[:BATCH]
    ) + list(
        DigestChoice.objects.filter(
            weekly=True, person__is_active=True, last_sent_at__lte=now - WEEK
        )
        .select_related("person")
        .order_by("last_sent_at")[:BATCH]
    )


def _claim(choice: DigestChoice, now: datetime.datetime) -> bool:
    """Take this person's digest for this run: one conditional update, won by one run only."""
    return (
        DigestChoice.objects.filter(pk=choice.pk, last_sent_at=choice.last_sent_at).update(
            last_sent_at=now
        )
        if choice.last_sent_at is not None
        else DigestChoice.objects.filter(pk=choice.pk, last_sent_at__isnull=True).update(
            last_sent_at=now
        )
    ) == 1


def _message(choice: DigestChoice, documents: list[Any], count: int) -> EmailMultiAlternatives:
    person = choice.person
    language = person.language or settings.LANGUAGE_CODE
    shown_in(documents, language)
    for document in documents:
        document.url = absolute_url(document.get_absolute_url())
    with translation.override(language):
        subject = header_text(
            ngettext(
                "The library this week: %(count)s new document",
                "The library this week: %(count)s new documents",
                count,
            )
            % {"count": count}
        )
        off = unsubscribe_url(person.pk)
        context = {
            "documents": documents,
            "count": count,
            "more": count - len(documents),
            "library_url": absolute_url(reverse("document_list")),
            "choice_url": absolute_url(reverse("library_digest")),
            "unsubscribe_url": off,
            "subject": subject,
        }
        body = render_to_string("library/email/digest.txt", context)
        html = render_to_string("library/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        None,
        [person.email],
        headers=AUTO_SUBMITTED | one_click_headers(off),
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send(choice: DigestChoice, now: datetime.datetime) -> bool:
    """Send the person's digest if they have something new to read. Returns whether one was
    sent."""
    since = choice.last_sent_at or now - WEEK
    if not _claim(choice, now):
        return False
    person = choice.person
    found = digest_documents(viewer=person, choice=choice, since=since, until=now)
    documents = list(found[:DIGEST_LENGTH])
    if not documents:
        return False
    count = found.count() if len(documents) == DIGEST_LENGTH else len(documents)
    try:
        _message(choice, documents, count).send()
    except Exception:
        # Given back: the next run sends it, covering the same documents.
        DigestChoice.objects.filter(pk=choice.pk, last_sent_at=now).update(
            last_sent_at=choice.last_sent_at
        )
        logger.exception("The library digest of person %s could not be sent.", person.pk)
        return False
    return True


@task()
def send_library_digests() -> int:
    """Send the weekly digests that are due. Safe to run twice, and at once."""
    now = timezone.now()
    return sum(digest_send(choice, now) for choice in due(now))
