"""Delivery of this server's activities to remote inboxes, in the background.

An `OutgoingActivity` (the `Accept` of a follow, the `Update` of a rotated key, a published
appeal) is queued when its transaction commits (`queue`). Its deliveries are then recorded, one
`Delivery` per remote inbox: the one inbox it names, or each follower's shared inbox when the
follower offers one, else its own, each inbox once (`fan_out`). Each delivery is then tried:

- deliveries to different hosts are tried at once, FEDERATION_DELIVERY_THREADS requests in flight
  and at most FEDERATION_DELIVERY_PER_HOST to one host, as many as FEDERATION_BREAKER_FAILURES
  until it has answered once (`deliver`): a host that does not answer, or answers slowly, holds
  up its own deliveries only. The database is read and written by the
  task's own thread alone; the threads only sign and send;
- it is claimed first (attempts counted, its next attempt moved ahead by a growing delay, in one
  conditional update, as the webhooks' deliveries are): a second run at once skips it, and a
  process that dies while sending leaves it to the schedule (`deliver_due`), never lost;
- the request is signed with RFC 9421, or with the scheme the host accepted last; refused with
  400, 401 or 403, it is signed once more with the other scheme (the "double knock"), and the
  scheme that was accepted is remembered for the host (`RemoteHost`);
- it goes over the webhooks' transport (`pinned_request`: every address of the host checked, then
  pinned; loopback and private networks refused unless FEDERATION_ALLOW_PRIVATE);
- a host that fails (no answer, 5xx, 408, 429) FEDERATION_BREAKER_FAILURES times within
  FEDERATION_BREAKER_WINDOW_SECONDS is not tried for FEDERATION_BREAKER_PAUSE_SECONDS (its
  circuit breaker open): its deliveries wait, without counting an attempt;
- refused for good (another 4xx, or an address refused) or still not delivered
  FEDERATION_GIVE_UP_DAYS after it was recorded, it is given up and the organization told, by a
  notice (`federation.undelivered`).
"""

import datetime
import json
import logging
from collections import Counter, deque
from collections.abc import Collection, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from internationale.core.notices import notice_send
from internationale.notifications.webhooks import ResponseTooLarge, pinned_request
from internationale.organizations.models import Organization, Relation

from . import blocks, documents, hosts, keys
from .models import (
    Block,
    Delivery,
    ErasedActor,
    Follower,
    OutgoingActivity,
    RemoteHost,
    RemoteOrganization,
)
from .signatures import CAVAGE, RFC9421, sign

logger = logging.getLogger("internationale.federation")

BATCH = 1000
# The longest answer read of a remote inbox: it is not used, only its status.
MAX_ANSWER_BYTES = 64 * 1024
# The answers that may mean "not this signature scheme": the other one is tried once.
SIGNATURE_REFUSED = {400, 401, 403}
# The answers that say the host is in trouble (with no answer at all): they count towards its
# circuit breaker, and the delivery is tried again later.
HOST_TROUBLE = {408, 429}
LONGEST_DELAY = datetime.timedelta(hours=6)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h, then every 6 hours: four times longer each time."""
    return min(datetime.timedelta(seconds=30 * 4 ** max(attempts - 1, 0)), LONGEST_DELAY)


def host_of(url: str) -> str:
    """The inbox's server, as "scheme://host[:port]" in the host's one spelling (hosts.py)."""
    return hosts.origin(url)


def queue(outgoing: OutgoingActivity) -> None:
    """Deliver `outgoing` in the background once the current transaction commits (and, should
    that task be lost, at the next scheduled `deliver_due`)."""
    pk = outgoing.pk
    transaction.on_commit(lambda: deliver_activity.enqueue(pk))


def send_to_inbox(organization: Organization, payload: dict, inbox: str) -> OutgoingActivity:
    """Record an activity of the organization (`payload`, without its context) for one remote
    inbox, delivered once the transaction commits: an answer to one actor (Accept, Reject,
    Block...)."""
    outgoing = OutgoingActivity.objects.create(
        organization=organization,
        activity_id=payload["id"],
        activity_type=payload["type"],
        inbox=inbox,
        payload={"@context": documents.AS_CONTEXT, **payload},
    )
    queue(outgoing)
    return outgoing


def _partner_inboxes(organization_id: int) -> list[str]:
    """Where a move of the organization also goes besides its followers: the servers of its own
    partners, the accepted remote organizations it relates to (asked for by its admins, or that
    asked to relate to it: `relates_to`) and those in an accepted relation with it. Servers of
    this platform know an organization by their directory (its accepted entry) rather than by
    following it, and re-point that entry to the new actor (moving.py). Not every remote
    organization this server accepted: the others never dealt with this one."""
    relations = Relation.objects.filter(status=Relation.Status.ACCEPTED).filter(
        Q(proposer_id=organization_id) | Q(partner_id=organization_id)
    )
    related = {pk for pair in relations.values_list("proposer_id", "partner_id") for pk in pair}
    partners = (
        RemoteOrganization.objects.filter(status=RemoteOrganization.Status.ACCEPTED)
        .filter(Q(relates_to_id=organization_id) | Q(organization_id__in=related))
        .order_by("pk")
        .values_list("shared_inbox", "inbox")
    )
    return [shared or inbox for shared, inbox in partners]


def fan_out(outgoing: OutgoingActivity, *, withheld: Collection[str] = ()) -> int:
    """Record the deliveries of `outgoing`, each remote inbox once, none to an inbox of the
    servers `withheld` ("scheme://host[:port]", as host_of gives them); safe to run twice.
    Returns how many inboxes it goes to."""
    if outgoing.inbox:
        inboxes = [outgoing.inbox]
    else:
        inboxes = list(
            dict.fromkeys(
                shared or inbox
                for shared, inbox in Follower.objects.filter(
                    organization_id=outgoing.organization_id
                )
                .order_by("pk")
                .values_list("shared_inbox", "inbox")
            )
        )
    if outgoing.activity_type == "Move" and not outgoing.inbox:
        inboxes = list(dict.fromkeys([*inboxes, *_partner_inboxes(outgoing.organization_id)]))
    if withheld:
        inboxes = [i for i in inboxes if host_of(i) not in withheld]
    # Nothing to a server or actor blocked for the whole server or for the organization (but
    # the Block that tells it so: blocks.py).
    if outgoing.activity_type != "Block":
        among = list(
            blocks.blocks_for(outgoing.organization).only("host", "actor", "organization_id")
        )
        inboxes = [
            i for i in inboxes if blocks.blocking(i, outgoing.organization, among=among) is None
        ]
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(activity=outgoing, inbox=inbox, host=host_of(inbox), next_attempt_at=now)
            for inbox in inboxes
        ],
        ignore_conflicts=True,
    )
    OutgoingActivity.objects.filter(pk=outgoing.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=now, **({} if inboxes else {"delivered_at": now})
    )
    return len(inboxes)


@task()
def deliver_activity(outgoing_id: int) -> int:
    """Record the deliveries of one activity if they are not yet, and try those that are due.
    Returns how many arrived."""
    outgoing = OutgoingActivity.objects.filter(pk=outgoing_id).first()
    if outgoing is None:
        return 0
    if outgoing.fanned_out_at is None:
        fan_out(outgoing)
    due = Delivery.objects.filter(
        activity_id=outgoing_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
    ).values_list("pk", "host")
    # Checked at the end even with nothing due: a run that died after the last arrival, before
    # marking the activity delivered, is run again.
    return deliver(list(due), activities=[outgoing_id])


@task()
def deliver_due() -> int:
    """The safety net, on the workers' schedule: activities whose deliveries were never recorded
    (their task lost) and every delivery whose time has come (a retry, a claim whose process
    died, a host whose breaker has closed again)."""
    for outgoing in OutgoingActivity.objects.filter(fanned_out_at__isnull=True).order_by("pk")[
        :BATCH
    ]:
        fan_out(outgoing)
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", "host")[:BATCH]
    )
    return deliver(due)


@dataclass
class Run:
    """What one run of `deliver` keeps between deliveries, to spare the database a query each:
    each organization's key and blocks (a block made meanwhile cancels the pending deliveries
    itself, which the claims then skip), the hosts found well (their breaker closed and their
    scheme recorded by an arrival of this run), the activities with an arrival."""

    signing: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    blocks: dict[int, list[Block]] = field(default_factory=dict)
    well: dict[str, str] = field(default_factory=dict)
    arrivals: set[int] = field(default_factory=set)
    # The earliest retry of each activity with a delivery to try again.
    retry_at: dict[int, datetime.datetime] = field(default_factory=dict)


@dataclass
class Sending:
    """A delivery claimed, with all the sending needs: no thread but the task's reads the
    database."""

    delivery: Delivery
    body: bytes
    private_key_pem: str
    key_id: str
    first_scheme: str


def deliver(due: Iterable[tuple[int, str]], activities: Iterable[int] = ()) -> int:
    """Try the deliveries `due` ((id, host) pairs), different hosts at once: up to
    FEDERATION_DELIVERY_THREADS requests in flight, at most FEDERATION_DELIVERY_PER_HOST to one
    host (`_limit`: fewer to a host not yet heard from), the hosts with the most deliveries
    waiting served first. A host that does not answer holds only its own deliveries, for one
    timeout: its first requests fail together, its breaker opens, and the rest wait for it
    without an attempt. Claims and results are written by this thread alone, as
    each answer comes; the threads sign and send. `activities` are marked delivered at the end
    if all their deliveries have arrived, as those with an arrival in this run are. Returns how
    many arrived."""
    waiting: dict[str, deque[int]] = {}
    for pk, host in due:
        waiting.setdefault(host, deque()).append(pk)
    threads = max(settings.INTERNATIONALE_FEDERATION_DELIVERY_THREADS, 1)
    per_host = max(settings.INTERNATIONALE_FEDERATION_DELIVERY_PER_HOST, 1)
    in_flight: dict[Future[tuple[int | None, str, str]], Sending] = {}
    busy: Counter[str] = Counter()
    # Hosts that failed in this run: one request at a time to them, so that the failures that
    # open a breaker are counted before another request is sent.
    troubled: set[str] = set()
    run = Run(arrivals=set(activities))
    arrived = 0
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="federation-delivery") as pool:
        while True:
            for host in sorted(waiting, key=lambda h: -len(waiting[h])):
                queue_of_host = waiting[host]
                limit = _limit(host, troubled, run, per_host)
                while queue_of_host and busy[host] < limit and len(in_flight) < threads:
                    sending = _claim(queue_of_host.popleft(), run)
                    if sending is not None:
                        in_flight[pool.submit(_send, sending)] = sending
                        busy[host] += 1
                if not queue_of_host:
                    del waiting[host]
            if not in_flight:  # nothing sent, so nothing held back: every delivery was seen
                break
            done, _pending = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                sending = in_flight.pop(future)
                busy[sending.delivery.host] -= 1
                code, scheme, error = future.result()
                if code is None or code >= 500 or code in HOST_TROUBLE:
                    troubled.add(sending.delivery.host)
                result = _record(sending.delivery, code, scheme, error, run)
                if isinstance(result, datetime.datetime):
                    activity = sending.delivery.activity_id
                    run.retry_at[activity] = min(result, run.retry_at.get(activity, result))
                else:
                    arrived += result
    _finish(run)
    return arrived


def _limit(host: str, troubled: set[str], run: Run, per_host: int) -> int:
    """How many requests may be in flight to `host`: one once it has failed in this run (so
    that the failures that open its breaker are counted before another is sent); up to
    FEDERATION_DELIVERY_PER_HOST once a delivery to it has arrived; until then no more than
    the failures that open its breaker (a host that does not answer costs one timeout)."""
    if host in troubled:
        return 1
    if host in run.well:
        return per_host
    return min(per_host, max(settings.INTERNATIONALE_FEDERATION_BREAKER_FAILURES, 1))


def _finish(run: Run) -> None:
    """After a run: the activities all of whose deliveries have arrived marked delivered, and
    one later run queued for each activity with a delivery to try again (deliver_due would
    also find them)."""
    now = timezone.now()
    for activity in run.arrivals:
        if (
            not Delivery.objects.filter(activity_id=activity)
            .exclude(status=Delivery.Status.DELIVERED)
            .exists()
        ):
            OutgoingActivity.objects.filter(pk=activity, delivered_at=None).update(delivered_at=now)
    if default_task_backend.supports_defer:
        for activity, when in run.retry_at.items():
            deliver_activity.using(run_after=when).enqueue(activity)


def attempt(delivery_id: int) -> int:
    """Try one delivery if it is still pending and due; 1 if it arrived."""
    return deliver([(delivery_id, "")])


def _claim(delivery_id: int, run: Run) -> Sending | None:
    """The delivery claimed, with what sending it needs, if it is still pending and due, not
    blocked, not given up and its host's breaker closed; None otherwise."""
    now = timezone.now()
    delivery = (
        Delivery.objects.select_related("activity__organization")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .first()
    )
    if delivery is None:
        return None
    if now >= _give_up_at(delivery):
        _give_up(delivery, delivery.last_error or "given up")
        return None
    organization = delivery.activity.organization
    if organization.pk not in run.blocks:
        run.blocks[organization.pk] = list(
            blocks.blocks_for(organization).only("host", "actor", "organization_id")
        )
    if delivery.activity.activity_type != "Block" and blocks.blocking(
        delivery.inbox, organization, among=run.blocks[organization.pk]
    ):
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, last_error="blocked"
        )
        return None
    if delivery.host in run.well:
        paused, known = None, run.well[delivery.host]
    else:
        paused, known = (
            RemoteHost.objects.filter(host=delivery.host)
            .values_list("open_until", "signature_scheme")
            .first()
        ) or (None, "")
    if paused is not None and paused > now:  # its breaker is open: wait, no attempt counted
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            next_attempt_at=paused
        )
        return None
    # Claim: of two runs at once, one moves the next attempt ahead; the other finds it moved.
    claimed = Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.PENDING,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff(delivery.attempts + 1))
    if not claimed:
        return None
    delivery.attempts += 1
    # Signed at the address the activity names as its actor: an address the erase of the
    # organization's profile left (its `Delete`s, erasing.py) keeps its key id there.
    erased = _erased_slug(organization, delivery.activity.payload)
    signer = (organization.pk, erased or "")
    if signer not in run.signing:
        key = keys.current_key(organization)
        run.signing[signer] = (keys.private_key_pem(key), documents.key_url(key, slug=erased))
    pem, key_id = run.signing[signer]
    return Sending(
        delivery=delivery,
        body=json.dumps(delivery.activity.payload, separators=(",", ":")).encode(),
        private_key_pem=pem,
        key_id=key_id,
        first_scheme=known or RFC9421,
    )


def _erased_slug(organization: Organization, payload: object) -> str | None:
    """The former slug of the organization that the activity's actor names, if the erase of its
    profile left that address (models.ErasedActor); None for its present address."""
    actor = payload.get("actor") if isinstance(payload, dict) else None
    slug = documents.slug_of(actor) if isinstance(actor, str) else None
    if slug is None or slug == organization.slug:
        return None
    found = ErasedActor.objects.filter(organization=organization, slug=slug).exists()
    return slug if found else None


def _give_up_at(delivery: Delivery) -> datetime.datetime:
    return delivery.created_at + datetime.timedelta(
        days=settings.INTERNATIONALE_FEDERATION_GIVE_UP_DAYS
    )


def _record(
    delivery: Delivery, code: int | None, scheme: str, error: str, run: Run
) -> int | datetime.datetime:
    """The answer written down: 1 if the delivery arrived, 0 if it is given up, else when it is
    to be tried again."""
    delivery.last_status_code = code
    delivery.last_error = error[:500]
    if code is not None and 200 <= code < 300:
        _arrived(delivery, scheme, run)
        return 1
    run.well.pop(delivery.host, None)
    trouble = code is None or code >= 500 or code in HOST_TROUBLE
    if trouble and error != "private_address":
        _host_failed(delivery.host)
    permanent = error == "private_address" or (
        code is not None and 400 <= code < 500 and code not in HOST_TROUBLE and code != 401
    )
    if permanent or timezone.now() + backoff(delivery.attempts) >= _give_up_at(delivery):
        _give_up(delivery, error or f"HTTP {code}")
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        last_status_code=code, last_error=delivery.last_error
    )
    return timezone.now() + backoff(delivery.attempts)


def _send(sending: Sending) -> tuple[int | None, str, str]:
    """POST the activity to the inbox, signed with the host's scheme (RFC 9421 if none is known
    yet), and once with the other if that is refused. (status or None, scheme, error). Runs in
    a thread of `deliver`: no database here."""
    delivery, body, first = sending.delivery, sending.body, sending.first_scheme
    code: int | None = None
    scheme = first
    for scheme in (first, CAVAGE if first == RFC9421 else RFC9421):
        try:
            headers = sign(
                method="POST",
                url=delivery.inbox,
                headers={
                    "Content-Type": documents.ACTIVITY_JSON,
                    "Accept": documents.ACTIVITY_JSON,
                    "User-Agent": "Internationale/1",
                },
                body=body,
                key_id=sending.key_id,
                private_key_pem=sending.private_key_pem,
                scheme=scheme,
            )
            code = pinned_request(
                "POST",
                delivery.inbox,
                headers=headers,
                body=body,
                timeout=settings.INTERNATIONALE_FEDERATION_TIMEOUT,
                allow_private=settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE,
                max_bytes=MAX_ANSWER_BYTES,
            ).status_code
        except ValidationError:
            return None, scheme, "private_address"
        except ResponseTooLarge:
            return None, scheme, "answer too large"
        except requests.RequestException as exc:
            return None, scheme, type(exc).__name__ + ": " + str(exc)[:400]
        except Exception as exc:  # one remote's oddity must not stop the others
            logger.warning("delivery %s failed", delivery.pk, exc_info=True)
            return None, scheme, type(exc).__name__ + ": " + str(exc)[:400]
        if code not in SIGNATURE_REFUSED:
            return code, scheme, "" if 200 <= code < 300 else f"HTTP {code}"
    return code, scheme, f"HTTP {code}"


def _arrived(delivery: Delivery, scheme: str, run: Run) -> None:
    """The delivery recorded as arrived; its host's breaker closed and its scheme kept, unless
    an arrival of this run did so already."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        delivered_at=timezone.now(),
        last_status_code=delivery.last_status_code,
        last_error="",
        signature_scheme=scheme,
    )
    run.arrivals.add(delivery.activity_id)
    if run.well.get(delivery.host) == scheme:
        return
    RemoteHost.objects.update_or_create(
        host=delivery.host,
        defaults={
            "signature_scheme": scheme,
            "failures": 0,
            "window_started_at": None,
            "open_until": None,
        },
    )
    run.well[delivery.host] = scheme


def _host_failed(host: str) -> None:
    """Count a failure of `host`; open its breaker at the FEDERATION_BREAKER_FAILURES-th within
    the window."""
    now = timezone.now()
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_BREAKER_WINDOW_SECONDS)
    with transaction.atomic():
        remote, _created = RemoteHost.objects.select_for_update().get_or_create(host=host)
        if remote.window_started_at is None or remote.window_started_at < now - window:
            remote.window_started_at, remote.failures = now, 0
        remote.failures += 1
        if remote.failures >= settings.INTERNATIONALE_FEDERATION_BREAKER_FAILURES:
            remote.open_until = now + datetime.timedelta(
                seconds=settings.INTERNATIONALE_FEDERATION_BREAKER_PAUSE_SECONDS
            )
            remote.failures, remote.window_started_at = 0, None
            logger.warning(
                "federation: %s failed repeatedly, paused until %s", host, remote.open_until
            )
        remote.save()


def _give_up(delivery: Delivery, error: str) -> None:
    """The delivery is not tried again; its organization is told, once."""
    with transaction.atomic():
        given_up = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED,
            last_status_code=delivery.last_status_code,
            last_error=error[:500],
        )
        if given_up:
            outgoing = delivery.activity
            notice_send(
                kind="federation.undelivered",
                source=outgoing,
                organizations=[outgoing.organization_id],
                params={"host": urlsplit(delivery.inbox).netloc, "type": outgoing.activity_type},
            )
