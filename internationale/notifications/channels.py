"""The channels through which notices reach organizations (see core/notices.py), registered when
the app is ready: the inbox first, then e-mail to admins and secretaries and the webhooks, which
follow from the inbox entries; and those through which notices addressed to people reach each of
them: their own inbox, then e-mail as they chose. Each is safe to run twice for the same notice
and organizations (or people)."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from internationale.core import notices
from internationale.core.db import insert_rows
from internationale.core.models import Notice

from .models import InboxEntry, PersonalEntry, Webhook
from .tasks import email_people, email_secretaries, queue_webhooks
from .unread import unread_recount

INBOX_FIELDS = (
    "organization",
    "notice",
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
)


def _fixed(notice: Notice) -> tuple[object, ...] | None:
    """What every entry of a notice holds, whoever's inbox it is in; None if its source is gone."""
    source = notice.source
    if source is None:  # deleted since: nothing to tell
        return None
    with translation.override(settings.LANGUAGE_CODE):
        title = notices.word(notice.kind, notice.params, str(notice.params.get("title", "")))
    fixed = (
        notice.pk,
        notice.source_type_id,
        notice.source_id,
        notice.kind,
        notice.sender_id,
        title[:300],
        notice.params,
        notice.summary,
        notices.source_confidential(source),
        source.get_absolute_url()[:300],
        notice.urgency,
        notice.deadline,
        timezone.now(),
    )
    return fixed


def inbox(notice: Notice, organization_ids: Sequence[int]) -> None:
    """One entry per organization in its inbox, in one statement; an organization that already
    has an entry about the same source and of the same kind keeps it and gets no other."""
    fixed = _fixed(notice)
    if fixed is None:
        return
    with transaction.atomic():
        insert_rows(
            InboxEntry,
            INBOX_FIELDS,
            [(organization_id, *fixed) for organization_id in organization_ids],
            on_conflict="ignore",
        )


def personal_inbox(notice: Notice, person_ids: Sequence[int]) -> None:
    """One entry per person in their own inbox, in one statement, as for organizations."""
    fixed = _fixed(notice)
    if fixed is None:
        return
    with transaction.atomic():
        insert_rows(
            PersonalEntry,
            ("person", *INBOX_FIELDS[1:]),
            [(person_id, *fixed) for person_id in person_ids],
            on_conflict="ignore",
        )
        unread_recount(person_ids)  # the count in each one's header


def personal_email(notice: Notice, person_ids: Sequence[int]) -> None:
    """E-mail each person the entry this notice put in their inbox, as they chose."""
    entries = {
        entry.person_id: entry
        for entry in PersonalEntry.objects.filter(
            notice=notice, person_id__in=person_ids
        ).select_related("person")
    }
    if entries:
        email_people(entries)


def _entries(notice: Notice, organization_ids: Sequence[int]) -> dict[int, InboxEntry]:
    """The entries this notice put in these organizations' inboxes (not those an earlier notice
    about the same thing did: they were e-mailed and sent then)."""
    return {
        entry.organization_id: entry
        for entry in InboxEntry.objects.filter(
            notice=notice, organization_id__in=organization_ids
        ).select_related("organization")
    }


def email(notice: Notice, organization_ids: Sequence[int]) -> None:
    entries = _entries(notice, organization_ids)
    if entries:
        email_secretaries(entries)


def webhooks(notice: Notice, organization_ids: Sequence[int]) -> None:
    # Most organizations have no webhook: their entries are not read again for it.
    hooked = set(
        Webhook.objects.filter(organization_id__in=organization_ids, active=True).values_list(
            "organization_id", flat=True
        )
    )
    entries = _entries(notice, [o for o in organization_ids if o in hooked]) if hooked else {}
    if entries:
        queue_webhooks(entries)


def register() -> None:
    notices.register_channel("inbox", inbox, first=True)
    notices.register_channel("email", email)
    notices.register_channel("webhooks", webhooks)
    notices.register_channel("personal_inbox", personal_inbox, first=True, to=notices.PEOPLE)
    notices.register_channel("personal_email", personal_email, to=notices.PEOPLE)
