"""Notices taken back: when what a notice asked for is no longer asked (an emergency erase
withdrawn or lapsed), the notice goes from every inbox it reached, with its e-mails not yet sent,
and its readers' unread counts follow. A notice not yet dispatched goes before it reaches anyone.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from internationale.core.models import Notice

from .models import EmailNotification, InboxEntry, PersonalEntry
from .unread import unread_recount


def notices_withdraw(
    model: type[models.Model], ids: Iterable[int], kinds: Iterable[str], *, sent_too: bool = False
) -> int:
    """Take back the notices of `kinds` about the rows `ids` of `model`: the notices, their
    entries in organizations' and people's inboxes, the e-mails about those entries not yet sent
    (`sent_too`: the record of those sent as well, for what must leave no trace). Call it inside
    the transaction of the change that makes them moot. Returns how many entries went."""
    about = {
        "source_type": ContentType.objects.get_for_model(model),
        "source_id__in": list(ids),
        "kind__in": list(kinds),
    }
    Notice.objects.filter(**about).delete()
    keys, people = [], set()
    for pk, person_id in PersonalEntry.objects.filter(**about).values_list("pk", "person_id"):
        keys.append(f"personal:{pk}")
        people.add(person_id)
    keys.extend(
        f"inbox:{pk}" for pk in InboxEntry.objects.filter(**about).values_list("pk", flat=True)
    )
    PersonalEntry.objects.filter(**about).delete()
    InboxEntry.objects.filter(**about).delete()
    emails = EmailNotification.objects.filter(event_key__in=keys)
    (emails if sent_too else emails.filter(sent_at__isnull=True)).delete()
    unread_recount(people)  # their count in the header goes with them (unread.py)
    return len(keys)
