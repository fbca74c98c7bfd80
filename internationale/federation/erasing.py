"""An emergency erase reaches federation (ownership/erase.py sends `erasing` before it deletes):

- each remote organization an erased appeal was sent to (its accepted remote addressees, read
  before the erase takes them with the appeal) is sent the `Delete` of it, to its own inbox, as
  the deletion of an appeal is (publishing.send_delete_addressed): a `Tombstone` with the
  appeal's address and nothing else. A public appeal is not erased (publishing.appeal_deleted
  tells its followers of one deleted otherwise);
- the organization's activities that carry what the erase removes go, with their deliveries
  (those not yet sent are never sent): those naming an erased appeal (its `Create`, its updates,
  to its addressees or followers), and its answers that carry the confidential fields the erase
  blanks in the pledges it keeps (`Offer` and `Add` amounts, goods, the evidence of a fulfilled
  pledge's `Update`);
- the activities received about an erased appeal (a remote organization's `Offer` to it, with
  its amount) go too.

What the remote servers received before stays on them: they are asked to delete the appeal, and
a server of this platform withdraws it (receiving.py)."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from internationale.appeals.models import Addressee, Appeal
from internationale.core.links import absolute_url
from internationale.organizations.models import Organization

from . import publishing
from .models import OutgoingActivity, ReceivedActivity, RemoteOrganization

APPEAL = "appeals.Appeal"
# The answers that carry what an erase blanks in the pledges it keeps (answering.py).
ANSWER_TYPES = ("Offer", "Add")


def content_erasing(
    sender: type, organization: Organization, going: dict[str, set[Any]], **kwargs: Any
) -> None:
    """The erase of `going` (primary keys by model label), in its transaction."""
    appeals = list(
        Appeal.objects.filter(pk__in=going.get(APPEAL, set()), organization=organization)
    )
    urls = [absolute_url(appeal.get_absolute_url()) for appeal in appeals]
    told = {appeal.pk: _remote_addressees(appeal) for appeal in appeals}
    _purge(OutgoingActivity.objects.filter(organization=organization), urls, answers=True)
    _purge(
        ReceivedActivity.objects.filter(Q(organization=organization) | Q(organization=None)), urls
    )
    deleted = timezone.now().isoformat()
    for appeal, url in zip(appeals, urls, strict=True):
        if told[appeal.pk]:
            publishing.send_delete_addressed(
                appeal_id=appeal.pk,
                organization_id=organization.pk,
                url=url,
                deleted=deleted,
                remotes=told[appeal.pk],
            )


def _remote_addressees(appeal: Appeal) -> list[tuple[str, str]]:
    """(actor, inbox) of the accepted remote organizations a sent appeal of this server went to."""
    if appeal.sent_at is None or not publishing.ours(appeal):
        return []
    return list(
        RemoteOrganization.objects.filter(
            status=RemoteOrganization.Status.ACCEPTED,
            organization_id__in=Addressee.objects.filter(appeal=appeal).values("organization_id"),
        )
        .order_by("pk")
        .values_list("actor", "inbox")
    )


def _purge(
    rows: QuerySet[OutgoingActivity] | QuerySet[ReceivedActivity],
    urls: list[str],
    *,
    answers: bool = False,
) -> None:
    """Delete the rows whose payload names one of `urls` (and, with `answers`, the answers that
    carry a pledge's or an aid's confidential fields), their deliveries with them."""
    read = rows.values_list("pk", "activity_type", "payload").iterator(chunk_size=2000)
    doomed = list(_doomed(read, urls, answers))
    for start in range(0, len(doomed), 500):
        rows.model._default_manager.filter(pk__in=doomed[start : start + 500]).delete()


def _doomed(rows: Iterable[tuple[int, str, Any]], urls: list[str], answers: bool) -> Iterator[int]:
    # Quoted, so that /appeals/1/ does not name /appeals/12/; with an anchor (an update's note).
    names = [json.dumps(url)[:-1] for url in urls]
    for pk, kind, payload in rows:
        text = json.dumps(payload)
        names_one = any(name + '"' in text or name + "#" in text for name in names)
        if names_one or (answers and _carries_confidential(kind, payload)):
            yield pk


def _carries_confidential(kind: str, payload: Any) -> bool:
    if kind in ANSWER_TYPES:
        return True
    obj = payload.get("object") if isinstance(payload, dict) else None
    return kind == "Update" and isinstance(obj, dict) and obj.get("type") == "Pledge"
