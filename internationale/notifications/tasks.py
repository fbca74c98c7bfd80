"""Background work for notifications. Every task is safe to run twice."""

import datetime
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from internationale.accounts.models import User
from internationale.core import notices
from internationale.core.db import insert_rows
from internationale.core.links import absolute_url
from internationale.core.mail import AUTO_SUBMITTED, header_text
from internationale.organizations.models import Membership

from .models import (
    EmailNotification,
    EmailPreference,
    Entry,
    InboxEntry,
    PersonalEntry,
    Webhook,
    WebhookDelivery,
)
from .selectors import email_modes
from .unsubscribe import one_click_headers, unsubscribe_url
from .webhooks import deliver

logger = logging.getLogger("internationale.notifications")
BATCH = 200
CLAIM_LEASE = datetime.timedelta(minutes=10)
MAIL_CHUNK = 100
# What a digest covers when none was missed: its hourly runs may send it an hour late.
DIGEST_DAY = datetime.timedelta(hours=25)


def email_secretaries(entries: dict[int, InboxEntry]) -> int:
    """E-mail the admins and secretaries of the organizations of `entries`, once each.

    One row per (person, event) is the record; rows are claimed with one conditional update, so of
    two runs at once only one sends, and a claim older than the lease (its worker died while
    sending) may be taken again. Mail goes out over one connection, in chunks, each chunk marked
    sent as soon as it is; a failing mail server releases the chunk's claims for the next run.
    """
    recipients = list(
        Membership.objects.filter(
            organization_id__in=entries,
            role__in=[Membership.Role.SECRETARY, Membership.Role.ADMIN],
            user__is_active=True,
        ).select_related("user")
    )
    # Each as they chose (EmailPreference): at once, in the daily digest, or not at all.
    mode_of = email_modes({m.user_id for m in recipients}, set(entries))
    modes = {
        m.pk: mode_of(m.user_id, m.organization_id, entries[m.organization_id].kind)
        for m in recipients
    }
    recipients = [m for m in recipients if modes[m.pk] != EmailPreference.Mode.OFF]
    if not recipients:
        return 0
    key_of = {m.pk: f"inbox:{entries[m.organization_id].pk}" for m in recipients}
    _insert_email_rows(
        [
            (
                m.user_id,
                key_of[m.pk],
                _record_subject(entries[m.organization_id]),
                modes[m.pk] == EmailPreference.Mode.DIGEST,
            )
            for m in recipients
        ]
    )
    now = timezone.now()
    ours = EmailNotification.objects.filter(
        user_id__in={m.user_id for m in recipients},
        event_key__in=set(key_of.values()),
        digest=False,
    )
    ours.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    ).update(claimed_at=now)
    claimed = {
        (user_id, event_key): pk
        for pk, user_id, event_key in ours.filter(claimed_at=now, sent_at__isnull=True).values_list(
            "pk", "user_id", "event_key"
        )
    }
    bodies: dict[tuple[int, str], tuple[str, str, str]] = {}
    attachments: dict[int, notices.Attachment | None] = {}
    outgoing: list[tuple[int, EmailMessage]] = []
    for membership in recipients:
        pk = claimed.pop((membership.user_id, key_of[membership.pk]), None)
        if pk is None:
            continue
        entry = entries[membership.organization_id]
        language = membership.user.language or settings.LANGUAGE_CODE
        if (entry.pk, language) not in bodies:
            bodies[(entry.pk, language)] = _render_entry_email(entry, language)
        subject, body, html = bodies[(entry.pk, language)]
        message = EmailMultiAlternatives(
            subject,
            body,
            None,
            [membership.user.email],
            headers=AUTO_SUBMITTED
            | unsubscribe_headers(membership.user_id, membership.organization_id),
        )
        message.attach_alternative(html, "text/html")
        if entry.pk not in attachments:
            attachments[entry.pk] = _attachment(entry)
        part = attachments[entry.pk]
        if part is not None:
            message.attach(*part)
        outgoing.append((pk, message))
    if claimed:  # claimed rows of pairs not in this batch: not ours to send
        EmailNotification.objects.filter(pk__in=claimed.values(), claimed_at=now).update(
            claimed_at=None
        )
    return _send_claimed(outgoing, now)


def email_people(entries: dict[int, PersonalEntry]) -> int:
    """E-mail each person the entry in their own inbox (person id -> entry), once, as they chose
    (EmailPreference of every organization: of the kind, else of everything). Recorded, claimed
    and sent as the e-mails of organizations' entries are (email_secretaries)."""
    people = {
        user.pk: user
        for user in User.objects.filter(pk__in=entries, is_active=True).only(
            "pk", "email", "language"
        )
    }
    mode_of = email_modes(set(people), set())
    modes = {pk: mode_of(pk, None, entries[pk].kind) for pk in people}  # type: ignore[arg-type]
    people = {pk: user for pk, user in people.items() if modes[pk] != EmailPreference.Mode.OFF}
    if not people:
        return 0
    key_of = {pk: f"personal:{entries[pk].pk}" for pk in people}
    _insert_email_rows(
        [
            (pk, key_of[pk], _record_subject(entries[pk]), modes[pk] == EmailPreference.Mode.DIGEST)
            for pk in people
        ]
    )
    now = timezone.now()
    ours = EmailNotification.objects.filter(
        user_id__in=people, event_key__in=set(key_of.values()), digest=False
    )
    ours.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    ).update(claimed_at=now)
    claimed = {
        (user_id, event_key): pk
        for pk, user_id, event_key in ours.filter(claimed_at=now, sent_at__isnull=True).values_list(
            "pk", "user_id", "event_key"
        )
    }
    outgoing: list[tuple[int, EmailMessage]] = []
    for user_pk, user in people.items():
        pk = claimed.pop((user_pk, key_of[user_pk]), None)
        if pk is None:
            continue
        subject, body, html = _render_personal_email(
            entries[user_pk], user.language or settings.LANGUAGE_CODE
        )
        message = EmailMultiAlternatives(
            subject,
            body,
            None,
            [user.email],
            headers=AUTO_SUBMITTED | unsubscribe_headers(user_pk, None),
        )
        message.attach_alternative(html, "text/html")
        part = _attachment(entries[user_pk])
        if part is not None:
            message.attach(*part)
        outgoing.append((pk, message))
    return _send_claimed(outgoing, now)


def _render_personal_email(entry: PersonalEntry, language: str) -> tuple[str, str, str]:
    """Subject, plain body and HTML body of a personal entry, in its reader's language; a
    confidential one says only what kind of entry it is and where to read it."""
    with translation.override(language):
        subject = header_text(
            _("[Internationale] %(title)s")
            % {"title": entry.label if entry.confidential else entry.display_title}
        )
        context = {"entry": entry, "subject": subject, "SITE_URL": settings.SITE_URL}
        body = render_to_string("notifications/email/inbox_entry.txt", context)
        html = render_to_string("notifications/email/inbox_entry.html", context)
    return subject, body, html


def _attachment(entry: Entry) -> "notices.Attachment | None":
    """What the kind of the entry attaches to its e-mails (a calendar event for an invitation to
    a meeting), made once per entry from its source as it is now."""
    if not notices.attaches(entry.kind):  # most kinds: no query for the source
        return None
    return notices.attachment(entry.kind, entry.source, entry.confidential)


def unsubscribe_headers(user_id: int, organization_id: int | None) -> dict[str, str]:
    """One-click unsubscribe (RFC 2369, RFC 8058): the mail client posts to the link."""
    return one_click_headers(unsubscribe_url(user_id, organization_id))


def _insert_email_rows(rows: list[tuple[int, str, str, bool]]) -> None:
    """Record (person, event, subject, for the digest) rows, leaving those that exist as they are.

    What bulk_create(ignore_conflicts=True) does, without its per-field compilation, which for a
    batch of hundreds of people costs more than the database.
    """
    created_at = timezone.now()
    insert_rows(
        EmailNotification,
        ("user", "event_key", "subject", "digest", "created_at"),
        [(user, key, subject, digest, created_at) for user, key, subject, digest in rows],
        on_conflict="ignore",
    )


def _record_subject(entry: Entry) -> str:
    """What the record of an e-mail keeps of it: never a confidential entry's content."""
    with translation.override(settings.LANGUAGE_CODE):
        return header_text(entry.label if entry.confidential else entry.title)


def _render_entry_email(entry: InboxEntry, language: str) -> tuple[str, str, str]:
    """Subject, plain body and HTML body in the recipient's language. A confidential entry says
    only what kind of entry it is, how urgent, and where to read it once signed in."""
    with translation.override(language):
        subject = header_text(
            _("[%(org)s] %(title)s")
            % {
                "org": entry.organization.display_name,
                "title": entry.label if entry.confidential else entry.display_title,
            }
        )
        context = {"entry": entry, "subject": subject, "SITE_URL": settings.SITE_URL}
        body = render_to_string("notifications/email/inbox_entry.txt", context)
        html = render_to_string("notifications/email/inbox_entry.html", context)
    return subject, body, html


def _send_claimed(
    outgoing: list[tuple[int, EmailMessage]],
    claimed_at: datetime.datetime,
    carried: Mapping[int, Sequence[int]] | None = None,
) -> int:
    """Send claimed e-mails in chunks, each chunk marked sent as soon as it is; a chunk the mail
    server refuses is released for the next run. `carried`: for an e-mail's row, the rows it
    carries (a digest's entries), marked sent or released with it, in the same statement."""
    carried = carried or {}

    def with_carried(ids: list[int]) -> list[int]:
        return [*ids, *(pk for own in ids for pk in carried.get(own, ()))]

    sent = 0
    connection = get_connection()
    for start in range(0, len(outgoing), MAIL_CHUNK):
        chunk, broken = _buildable(outgoing[start : start + MAIL_CHUNK])
        if broken:  # left unsent for the retry, before anything is sent
            EmailNotification.objects.filter(pk__in=with_carried(broken)).update(claimed_at=None)
        chunk, renewed = _renew_claims(chunk, claimed_at, with_carried)
        ids = [pk for pk, _message in chunk]
        if not ids:
            continue
        try:
            connection.send_messages([message for _pk, message in chunk])
        except OSError:
            # The mail server failed: these stay unsent and the next run tries again.
            logger.warning("sending %d e-mails failed", len(chunk), exc_info=True)
            EmailNotification.objects.filter(pk__in=with_carried(ids), claimed_at=renewed).update(
                claimed_at=None
            )
            continue
        EmailNotification.objects.filter(pk__in=with_carried(ids)).update(sent_at=timezone.now())
        sent += len(chunk)
    return sent


def _renew_claims(
    chunk: list[tuple[int, EmailMessage]],
    claimed_at: datetime.datetime,
    with_carried: Callable[[list[int]], list[int]],
) -> tuple[list[tuple[int, EmailMessage]], datetime.datetime]:
    """Claim the rows of `chunk` afresh just before sending it, and keep only the messages whose
    rows were still this run's: a run that sends for longer than the claim's lease (thousands of
    digests, a slow mail server) would otherwise find its last chunks claimed again by another run
    meanwhile, and both would send them. A message is kept only if its own row and every row it
    carries are still this run's: another run (the next day's digest, under a key of its own) may
    have taken the entries a digest lists, and then it lists them; the rows this run renewed that
    such a digest carries are released for the next run, and the digest's own row, which would
    list nothing, goes. Returns them and the new claim's time."""
    renewed = timezone.now()
    ids = with_carried([pk for pk, _message in chunk])
    EmailNotification.objects.filter(
        pk__in=ids, claimed_at=claimed_at, sent_at__isnull=True
    ).update(claimed_at=renewed)
    ours = set(
        EmailNotification.objects.filter(pk__in=ids, claimed_at=renewed).values_list(
            "pk", flat=True
        )
    )
    kept: list[tuple[int, EmailMessage]] = []
    dropped: list[tuple[int, EmailMessage]] = []
    for pk, message in chunk:
        (kept if set(with_carried([pk])) <= ours else dropped).append((pk, message))
    own = [pk for pk, _message in dropped]
    if own:
        carried = set(with_carried(own)) - set(own)
        EmailNotification.objects.filter(pk__in=carried, claimed_at=renewed).update(claimed_at=None)
        EmailNotification.objects.filter(pk__in=own, claimed_at=renewed).delete()
    return kept, renewed


def _buildable(
    chunk: list[tuple[int, EmailMessage]],
) -> tuple[list[tuple[int, EmailMessage]], list[int]]:
    """The messages of `chunk` the mail library can build, and the rows of those it refuses
    (BadHeaderError, say, for an address with a line break), logged, so that one of them stops
    none of the others and none is sent twice."""
    good, broken = [], []
    for pk, message in chunk:
        try:
            message.message()
        except ValueError:
            logger.warning("e-mail %s to %r cannot be built", pk, message.to, exc_info=True)
            broken.append(pk)
            continue
        good.append((pk, message))
    return good, broken


def unsent_emails(now: datetime.datetime) -> QuerySet[EmailNotification, str]:
    """The events (a thousand at most) of e-mails of the last day not sent, but those younger
    than a minute, which may still be on their way, and those kept for a digest."""
    return EmailNotification.objects.filter(
        sent_at__isnull=True,
        digest=False,
        created_at__gte=now - datetime.timedelta(days=1),
        created_at__lte=now - datetime.timedelta(minutes=1),
    ).values_list("event_key", flat=True)[:1000]


def digest_pending(now: datetime.datetime) -> QuerySet[EmailNotification]:
    """The e-mails kept for a digest and not yet sent in one, however old: a digest missed
    leaves them for the next (see digests_send)."""
    return EmailNotification.objects.filter(digest=True, sent_at__isnull=True, created_at__lte=now)


@task()
def retry_unsent_emails() -> int:
    """The safety net behind a failed mail server: e-mail again whoever was not reached.

    A notification whose e-mail failed keeps its row unsent; this (run on a schedule) sends it,
    for a day. Rows younger than a minute may still be on their way, and are left alone.
    """
    unsent = unsent_emails(timezone.now())
    keys = [key.partition(":") for key in set(unsent)]
    entry_ids = {int(pk) for prefix, _sep, pk in keys if prefix == "inbox" and pk.isdigit()}
    personal_ids = {int(pk) for prefix, _sep, pk in keys if prefix == "personal" and pk.isdigit()}
    # One e-mail run per notice, which has at most one entry per organization.
    by_notice: dict[object, dict[int, InboxEntry]] = {}
    for entry in InboxEntry.objects.filter(pk__in=entry_ids).select_related("organization"):
        group = entry.notice_id if entry.notice_id is not None else f"entry:{entry.pk}"
        by_notice.setdefault(group, {})[entry.organization_id] = entry
    sent = sum(email_secretaries(entries) for entries in by_notice.values())
    # A person has at most one entry per notice: one e-mail run per notice as well.
    personal: dict[object, dict[int, PersonalEntry]] = {}
    for mine in PersonalEntry.objects.filter(pk__in=personal_ids):
        group = mine.notice_id if mine.notice_id is not None else f"entry:{mine.pk}"
        personal.setdefault(group, {})[mine.person_id] = mine
    return sent + sum(email_people(entries) for entries in personal.values())


@task()
def send_digests() -> int:
    """The daily digests that are due (see digests_send), on the workers' schedule."""
    return digests_send()


def digests_send(now: datetime.datetime | None = None) -> int:
    """E-mail each person who chose the daily digest one e-mail listing every entry kept for it
    and not yet sent, however old: a digest missed (no worker ran that day, or the mail server
    failed all day) goes out at the next run, covering everything since. Once per person and day:
    the digest is a row of its own ("digest:<date>"), claimed and marked sent as other e-mails
    are, so a second run the same day sends nothing. The entries are claimed with it, so that two
    runs at once list none twice, and marked sent with it in one statement, so that none is sent
    twice or lost."""
    now = now or timezone.now()
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    waiting = digest_pending(now).filter(user__is_active=True)
    user_ids = set(waiting.filter(unclaimed).values_list("user_id", flat=True).distinct())
    if not user_ids:
        return 0
    key = f"digest:{now.date().isoformat()}"
    with translation.override(settings.LANGUAGE_CODE):
        _insert_email_rows([(user_id, key, _("Your daily digest"), False) for user_id in user_ids])
    EmailNotification.objects.filter(
        user_id__in=user_ids, event_key=key, sent_at__isnull=True
    ).filter(unclaimed).update(claimed_at=now)
    claimed = dict(
        EmailNotification.objects.filter(
            user_id__in=user_ids, event_key=key, claimed_at=now, sent_at__isnull=True
        ).values_list("user_id", "pk")
    )
    waiting.filter(user_id__in=claimed).filter(unclaimed).update(claimed_at=now)
    # person -> (row, entry), an entry named as its e-mail's key: ("inbox" or "personal", id)
    rows: dict[int, list[tuple[int, tuple[str, int]]]] = {}
    for pk, user_id, event_key in waiting.filter(user_id__in=claimed, claimed_at=now).values_list(
        "pk", "user_id", "event_key"
    ):
        prefix, _sep, entry_id = event_key.partition(":")
        if prefix in ("inbox", "personal") and entry_id.isdigit():
            rows.setdefault(user_id, []).append((pk, (prefix, int(entry_id))))
    wanted = {name for pairs in rows.values() for _pk, name in pairs}
    entries: dict[tuple[str, int], Entry] = {
        ("inbox", pk): entry
        for pk, entry in InboxEntry.objects.select_related("organization")
        .in_bulk({pk for prefix, pk in wanted if prefix == "inbox"})
        .items()
    }
    entries.update(
        (("personal", pk), entry)
        for pk, entry in PersonalEntry.objects.in_bulk(
            {pk for prefix, pk in wanted if prefix == "personal"}
        ).items()
    )
    outgoing: list[tuple[int, EmailMessage]] = []
    carried: dict[int, list[int]] = {}  # the digest's row -> the rows of the entries it lists
    for user in User.objects.filter(pk__in=claimed):
        mine = [
            (pk, entries[entry_id]) for pk, entry_id in rows.get(user.pk, []) if entry_id in entries
        ]
        if mine:
            listed = sorted(
                (entry for _pk, entry in mine), key=lambda e: (-e.urgency, e.created_at)
            )
            outgoing.append((claimed[user.pk], _digest_email(user, listed)))
            carried[claimed[user.pk]] = [pk for pk, _entry in mine]
    # Rows about entries deleted since tell nothing, and a digest that would list nothing is not
    # sent: both go, so that they are not claimed again at every run.
    listed_rows = [pk for pks in carried.values() for pk in pks]
    EmailNotification.objects.filter(
        Q(pk__in=[pk for pk in claimed.values() if pk not in carried])
        | (
            Q(digest=True, user_id__in=claimed, claimed_at=now, sent_at__isnull=True)
            & ~Q(pk__in=listed_rows)
        )
    ).delete()
    return _send_claimed(outgoing, now, carried)


def _digest_email(user: User, entries: list[Entry]) -> EmailMultiAlternatives:
    """The digest in the person's language and time zone; a confidential entry by its label
    only."""
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(user.time_zone or datetime.UTC),
    ):
        subject = header_text(_("Your daily digest of notices on Internationale"))
        oldest = min(entry.created_at for entry in entries)
        context = {
            "entries": entries,
            # A digest that covers more than the last day (one was missed) says since when.
            "since": oldest if oldest < timezone.now() - DIGEST_DAY else None,
            "subject": subject,
            "SITE_URL": settings.SITE_URL,
        }
        body = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        None,
        [user.email],
        headers=AUTO_SUBMITTED | unsubscribe_headers(user.pk, None),
    )
    message.attach_alternative(html, "text/html")
    return message


def _payload(entry: InboxEntry) -> dict[str, object]:
    """What a webhook receives of an entry, worded in the server's language; a confidential
    entry's content stays out."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "event": entry.kind,
            "key": entry.source_key,
            "organization": entry.organization.slug,
            "title": entry.label if entry.confidential else entry.display_title,
            "summary": "" if entry.confidential else entry.summary,
            "confidential": entry.confidential,
            "url": absolute_url(entry.url) if entry.url else "",
            "urgency": entry.urgency,
            "created_at": entry.created_at.isoformat(),
        }


def queue_webhooks(entries: dict[int, InboxEntry]) -> int:
    deliveries = []
    for webhook in Webhook.objects.filter(organization_id__in=entries, active=True):
        entry = entries[webhook.organization_id]
        deliveries.append(
            WebhookDelivery(
                webhook=webhook,
                event_key=f"inbox:{entry.pk}",
                event=entry.kind,
                payload=_payload(entry),
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    pending = list(
        WebhookDelivery.objects.filter(
            webhook__organization_id__in=entries,
            event_key__in={f"inbox:{e.pk}" for e in entries.values()},
            status=WebhookDelivery.Status.PENDING,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(pending), BATCH):
        deliver_webhooks.enqueue(pending[start : start + BATCH])
    return len(pending)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h: four times longer each time."""
    return datetime.timedelta(seconds=30 * 4 ** max(attempts - 1, 0))


@task()
def deliver_webhooks(delivery_ids: Sequence[int]) -> int:
    delivered = 0
    for delivery_id in delivery_ids:
        delivered += attempt_delivery(delivery_id)
    return delivered


def attempt_delivery(delivery_id: int) -> int:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None or (
            delivery.next_attempt_at and delivery.next_attempt_at > timezone.now()
        ):
            return 0
        delivery.attempts += 1
        # Claim the next slot before calling out, so a parallel run skips this delivery.
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    webhook = delivery.webhook
    code, error = None, ""
    try:
        code = deliver(
            url=webhook.url,
            signing_secrets=webhook.signing_secrets(),
            event=delivery.event,
            delivery_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{webhook.pk}:{delivery.event_key}")),
            payload=delivery.payload,
        )
    except ValidationError as exc:
        error = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
    except requests.RequestException as exc:
        error = type(exc).__name__ + ": " + str(exc)[:400]
    except Exception as exc:
        # Whatever one endpoint does must not stop the rest of the batch: recorded, retried.
        logger.warning("webhook delivery %s failed", delivery.pk, exc_info=True)
        error = type(exc).__name__ + ": " + str(exc)[:400]
    delivery.last_status_code = code
    delivery.last_error = error[:500]
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.INTERNATIONALE_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if delivery.status == WebhookDelivery.Status.PENDING and default_task_backend.supports_defer:
        deliver_webhooks.using(run_after=delivery.next_attempt_at).enqueue([delivery.pk])
    return int(delivery.status == WebhookDelivery.Status.DELIVERED)


def due_webhook_deliveries(now: datetime.datetime) -> QuerySet[WebhookDelivery, int]:
    """Pending deliveries (a thousand at most) whose next attempt is due."""
    return (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by()
        .values_list("pk", flat=True)[:1000]
    )


@task()
def retry_due_webhooks() -> int:
    """The safety net behind the deferred retries: any pending delivery whose time has come."""
    due = list(due_webhook_deliveries(timezone.now()))
    return sum(attempt_delivery(pk) for pk in due)
