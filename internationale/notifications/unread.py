"""Each person's count of unread entries in their own inbox, kept on their row
(`User.unread_notices`) and shown in the page's header: the person's row is read at every request
anyway (core/signed_in.py), so the header's count costs no query.

The count is never added to or taken from: whenever entries are put in, read or marked unread,
the people concerned have theirs counted again from their unread entries (an indexed count:
`personal_unread`), in the same transaction, so that it cannot drift."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from internationale.accounts.models import User

from .models import PersonalEntry

# People counted again by one statement: a fan-out to thousands of volunteers in a few.
BATCH = 500


def unread_recount(person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    unread = (
        PersonalEntry.objects.filter(person=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            if connection.features.has_select_for_update:
                # PostgreSQL: the rows locked first (in order, so that two writers never wait on
                # each other), so that the count, a statement of its own, sees every change
                # committed before it: two writers counting for the same person each see the
                # other's. SQLite writes one transaction at a time: nothing to lock.
                list(
                    User.objects.select_for_update(no_key=True)
                    .filter(pk__in=batch)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
            User.objects.filter(pk__in=batch).update(
                unread_notices=Coalesce(Subquery(unread), Value(0))
            )
