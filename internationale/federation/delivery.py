"""Delivery of this server's activities to remote inboxes, in the background.

An `OutgoingActivity` (the `Accept` of a follow, the `Update` of a rotated key, a published
appeal) is queued when its transaction commits (`queue`). Its deliveries are then recorded, one
`Delivery` per remote inbox: the one inbox it names, or each follower's shared inbox when the
follower offers one, else its own, each inbox once (`fan_out`). Each delivery is then tried:

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
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task

from internationale.core.notices import notice_send
from internationale.notifications.webhooks import ResponseTooLarge, pinned_request

from . import blocks, documents, hosts, keys
from .models import Delivery, Follower, OutgoingActivity, RemoteHost
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


def fan_out(outgoing: OutgoingActivity) -> int:
    """Record the deliveries of `outgoing`, each remote inbox once; safe to run twice. Returns
    how many inboxes it goes to."""
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
    # Nothing to a server or actor blocked for the whole server or for the organization.
    inboxes = [i for i in inboxes if blocks.blocking(i, outgoing.organization) is None]
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
    ).values_list("pk", flat=True)
    return sum(attempt(pk) for pk in list(due))


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
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(attempt(pk) for pk in due)


def _open_until(host: str, now: datetime.datetime) -> datetime.datetime | None:
    """When the host's circuit breaker closes again, if it is open."""
    until = RemoteHost.objects.filter(host=host).values_list("open_until", flat=True).first()
    return until if until is not None and until > now else None


def attempt(delivery_id: int) -> int:
    """Try one delivery if it is still pending and due; 1 if it arrived."""
    now = timezone.now()
    delivery = (
        Delivery.objects.select_related("activity__organization")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .first()
    )
    if delivery is None:
        return 0
    give_up_at = delivery.created_at + datetime.timedelta(
        days=settings.INTERNATIONALE_FEDERATION_GIVE_UP_DAYS
    )
    if now >= give_up_at:
        _give_up(delivery, delivery.last_error or "given up")
        return 0
    if blocks.blocking(delivery.inbox, delivery.activity.organization) is not None:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, last_error="blocked"
        )
        return 0
    paused = _open_until(delivery.host, now)
    if paused is not None:  # its host's breaker is open: wait for it, no attempt counted
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            next_attempt_at=paused
        )
        return 0
    # Claim: of two runs at once, one moves the next attempt ahead; the other finds it moved.
    claimed = Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.PENDING,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff(delivery.attempts + 1))
    if not claimed:
        return 0
    delivery.attempts += 1
    code, scheme, error = _send(delivery)
    delivery.last_status_code = code
    delivery.last_error = error[:500]
    if code is not None and 200 <= code < 300:
        _arrived(delivery, scheme)
        return 1
    trouble = code is None or code >= 500 or code in HOST_TROUBLE
    if trouble and error != "private_address":
        _host_failed(delivery.host)
    permanent = error == "private_address" or (
        code is not None and 400 <= code < 500 and code not in HOST_TROUBLE and code != 401
    )
    if permanent or timezone.now() + backoff(delivery.attempts) >= give_up_at:
        _give_up(delivery, error or f"HTTP {code}")
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        last_status_code=code, last_error=delivery.last_error
    )
    if default_task_backend.supports_defer:
        deliver_activity.using(run_after=now + backoff(delivery.attempts)).enqueue(
            delivery.activity_id
        )
    return 0


def _send(delivery: Delivery) -> tuple[int | None, str, str]:
    """POST the activity to the inbox, signed with the host's scheme (RFC 9421 if none is known
    yet), and once with the other if that is refused. (status or None, scheme, error)."""
    outgoing = delivery.activity
    body = json.dumps(outgoing.payload, separators=(",", ":")).encode()
    key = keys.current_key(outgoing.organization)
    pem, key_id = keys.private_key_pem(key), documents.key_url(key)
    known = (
        RemoteHost.objects.filter(host=delivery.host)
        .values_list("signature_scheme", flat=True)
        .first()
    )
    first = known or RFC9421
    code: int | None = None
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
                key_id=key_id,
                private_key_pem=pem,
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


def _arrived(delivery: Delivery, scheme: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED,
            delivered_at=now,
            last_status_code=delivery.last_status_code,
            last_error="",
            signature_scheme=scheme,
        )
        RemoteHost.objects.update_or_create(
            host=delivery.host,
            defaults={
                "signature_scheme": scheme,
                "failures": 0,
                "window_started_at": None,
                "open_until": None,
            },
        )
        if (
            not Delivery.objects.filter(activity_id=delivery.activity_id)
            .exclude(status=Delivery.Status.DELIVERED)
            .exists()
        ):
            OutgoingActivity.objects.filter(pk=delivery.activity_id).update(delivered_at=now)


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
