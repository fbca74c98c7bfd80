"""Signing without an account, and confirming by e-mail.

Signing is two steps, so that a request under a flood does the least it can:
1. the request (`signature_receive`) checks the input in Python (the fields' lengths, the e-mail
   address and its domain, the ISO 3166 country, the language, the consents against the
   campaign's sponsors, the campaign open, the form's honeypot and minimum time, the allow and
   block lists: the campaign and the lists kept per process by their shared versions), and writes
   one row, the signature's intake (`SignatureIntake`), in one short transaction, then answers;
2. the worker (tasks.screen_signatures, `screen_batch`) takes the intake in batches and, for a
   whole batch, in one transaction and a fixed number of queries (batch.py), applies the lists as
   they are now and the limits per client address and e-mail domain, writes the signatures (or,
   for an address that had signed, does what signing again does) with their consents, owes their
   confirmation e-mails, and deletes the intake rows; each row decided as `screen_intake`, one at
   a time, would. A run that dies wrote none of its batch, taken again once its claim is stale.

A signature is written once, `pending`, with the hash of its confirmation token and the token's
expiry; the link carrying the token is e-mailed in the signer's language (tasks.send_confirmations,
in batches). The token is not stored, nor handed to the task: it is an HMAC of the signature's id
and expiry under the server's secret key, made again by the task, so that neither the database nor
the task queue holds a working link. Confirming (`signature_confirm`) takes the signature's row
lock: of two confirmations at once, one confirms, the other is told the link was used. A confirmed
signature is counted by the counting task (counting.py), not here.

One e-mail address signs a campaign once (a constraint): signing again is answered as a success;
a signature still pending gets a new link (the old one stops working), at most once in ten minutes
and five times a day (settings: INTERNATIONALE_CAMPAIGN_RESEND_*), a confirmed one nothing; and
signing again counts in the limits per client address as a new signature does. Addresses are
compared and kept in one spelling (`normalize_email`).
Refused input (a malformed e-mail, a country not in ISO 3166, a field too long, a campaign not
open) raises ValidationError by field and writes nothing. The screening (screening.py) may block
or drop the signature; its signer is answered the same.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import math
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import idna
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_countries import countries

from internationale.core.db import insert_one
from internationale.organizations.reference import normalize_language

from .models import Campaign, Consent, Signature, SignatureIntake, Sponsor
from .screening import (
    Submission,
    Verdict,
    listed_on_screening,
    screen_on_receipt,
    screen_received,
)

# The longest of each field, as the model declares them (the form and the API say the same).
LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "city": 100, "union": 200}


@dataclass(frozen=True)
class Signed:
    """What a signer is told: always that a confirmation link is on its way (see the module's
    docstring), and, for tests and the operators, what really happened."""

    # "new", "resent", "held" (pending, its link sent too recently or too often to send again),
    # "already_confirmed", "blocked", "dropped"
    outcome: str
    signature: Signature | None = None


def _invalid_email() -> ValidationError:
    return ValidationError(
        {"email": ValidationError(_("Enter a valid e-mail address."), code="invalid_email")}
    )


def normalize_domain(domain: str) -> str:
    """A domain as it is compared and kept: its compatibility characters folded (NFKC: a
    full-width "ｅ" is an "e"), without a final dot, in lower case, and in its ASCII form (IDNA:
    "bücher.example" is "xn--bcher-kva.example"), so that one domain has one spelling for the
    block lists, the limits per domain and one signature per address. ValueError when it is no
    domain name."""
    domain = unicodedata.normalize("NFKC", domain or "").strip().rstrip(".").lower()
    if not domain or domain.isascii():
        return domain
    try:  # IDNA 2008 with the UTS 46 mapping
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise ValueError(str(error)) from None


def normalize_email(email: str) -> tuple[str, str]:
    """The address as compared and kept, and its domain; ValidationError on `email` when it is not
    an address, or is one at a network address rather than a domain name.

    One mailbox has one spelling here, so that it signs once and the block lists see it: the part
    before the @ in lower case (a few servers tell its case apart, but people do not: one person's
    "Ana@" and "ana@" count once) and without quotation marks ("ana"@ is ana@; a quoted part that
    needs its quotes is refused); the domain by `normalize_domain`."""
    email = (email or "").strip()
    if len(email) > LIMITS["email"]:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("An e-mail address has at most %(n)s characters.") % {"n": LIMITS["email"]},
                    code="too_long",
                )
            }
        )
    local, at, domain = email.rpartition("@")
    if not at or not local:
        raise _invalid_email()
    if domain.startswith("[") or domain.endswith("]"):
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "Give an address at a domain name (such as name@example.org), not at a "
                        "network address."
                    ),
                    code="address_literal",
                )
            }
        )
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = local[1:-1]  # checked below: a part that needs its quotes is refused
    try:
        domain = normalize_domain(domain)
    except ValueError:
        raise _invalid_email() from None
    email = f"{local.lower()}@{domain}"
    try:
        if len(email) > LIMITS["email"]:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise _invalid_email() from None
    return email, domain


def _hash(address: str) -> str:
    return salted_hmac("campaigns.client", address).hexdigest()


def client_hashes(address: str) -> tuple[str, str]:
    """Keyed hashes of a client's network address, for the limits (no address is kept): of the
    address (an IPv6 address by its /64, the part one subscriber holds), and for IPv6 of its /48
    (a site's network, with its own higher limit; empty for IPv4)."""
    address = (address or "").strip()
    if not address:
        return "", ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return _hash(address), ""  # not an address (a proxy's odd header): hashed as it is
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _hash(str(ip.ipv4_mapped)), ""
    if isinstance(ip, ipaddress.IPv6Address):
        narrow = ipaddress.ip_network(f"{ip}/64", strict=False).network_address
        wide = ipaddress.ip_network(f"{ip}/48", strict=False).network_address
        return _hash(str(narrow)), _hash(f"{wide}/48")
    return _hash(address), ""


def client_hash(address: str) -> str:
    """The keyed hash of a client's address (`client_hashes`, the first)."""
    return client_hashes(address)[0]


def _token(signature_id: int, expires_at: datetime.datetime) -> str:
    return salted_hmac(
        "campaigns.confirm", f"{signature_id}:{expires_at.timestamp():.6f}"
    ).hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def confirmation_token(signature: Signature) -> str:
    """The token of the signature's current link (made again from its id and expiry)."""
    return _token(signature.pk, signature.token_expires_at)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_HOURS)


def _field_errors(fields: Mapping[str, str]) -> None:
    errors = {}
    for name, limit in LIMITS.items():
        if name != "email" and len(fields.get(name) or "") > limit:
            errors[name] = ValidationError(
                _("At most %(n)s characters.") % {"n": limit}, code="too_long"
            )
    if not (fields.get("first_name") or "").strip():
        errors["first_name"] = ValidationError(_("Give your first name."), code="required")
    if errors:
        raise ValidationError(errors)


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    if not code or code not in countries:
        raise ValidationError(
            {
                "country": ValidationError(
                    _("Choose a country (an ISO 3166 code, such as BR or KR)."),
                    code="invalid_country",
                )
            }
        )
    return code


def _language(tag: str) -> str:
    try:
        return normalize_language(tag or settings.LANGUAGE_CODE)
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Give your language as a language tag, such as es or pt-BR."),
                    code="invalid_language",
                )
            }
        ) from None


def check_open(campaign: Campaign, now: datetime.datetime | None = None) -> None:
    """ValidationError when the campaign takes no signatures now: not launched, ended or closed,
    or not started."""
    now = now or timezone.now()
    if campaign.status == Campaign.Status.DRAFT:
        raise ValidationError(_("This campaign is not launched yet."), code="not_launched")
    if campaign.status == Campaign.Status.CLOSED or now >= campaign.ends_at:
        raise ValidationError(
            _("This campaign has ended: it takes no more signatures."), code="ended"
        )
    if now < campaign.starts_at:
        raise ValidationError(
            _("This campaign takes signatures from %(start)s.")
            % {"start": timezone.localtime(campaign.starts_at).strftime("%Y-%m-%d %H:%M %Z")},
            code="not_started",
        )


def consent_choices(campaign: Campaign) -> list[tuple[int, str]]:
    """The organizations a signer may consent to be contacted by: the organizer, then the
    co-sponsors that accepted, by name."""
    sponsors = (
        Sponsor.objects.filter(campaign=campaign, status=Sponsor.Status.ACCEPTED)
        .select_related("organization")
        .order_by("organization__name")
    )
    return [(campaign.organization_id, campaign.organization.name)] + [
        (s.organization_id, s.organization.name) for s in sponsors
    ]


def _consents(campaign: Campaign, given: Iterable[Any]) -> list[int]:
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in given))
    except (TypeError, ValueError):
        raise ValidationError(
            {"consents": ValidationError(_("Enter whole numbers."), code="invalid")}
        ) from None
    if not wanted:
        return []
    allowed = signable.consents(campaign)
    if any(pk not in allowed for pk in wanted):
        raise ValidationError(
            {
                "consents": ValidationError(
                    _("Consent can only be given to the campaign's organizer and co-sponsors."),
                    code="not_a_sponsor",
                )
            }
        )
    return wanted


@dataclass(frozen=True)
class Received:
    """What a signing request did: "received" (its intake row written, for the worker to
    screen), or "dropped" (a robot's form: nothing written). Answered alike."""

    outcome: str
    intake: SignatureIntake | None = None
    # What the screening made of it, when the request screened it itself
    # (INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST): None when the worker will.
    signed: Signed | None = None


class _Signable:
    """What signing reads of a campaign, kept per process by the campaign's shared version
    (public_page.pages.versions: changed by every write to the campaign or its co-sponsors'
    answers): the campaign, and the organizations a signer may consent to."""

    KEPT = 1024

    def __init__(self) -> None:
        self.kept: dict[int, tuple[int, Campaign, frozenset[int]]] = {}
        self.lock = threading.Lock()

    def _version(self, pk: int) -> int:
        from .public_page import pages

        return pages.versions.get(pk)

    def campaign(self, pk: int) -> Campaign:
        """The campaign `pk` as the public sees it (Http404 if the public may not: a draft)."""
        from internationale.core.actors import ANONYMOUS

        from .selectors import campaign_get

        version = self._version(pk)
        found = self.kept.get(pk)
        if found is not None and found[0] == version:
            return found[1]
        campaign = campaign_get(viewer=ANONYMOUS, pk=pk)
        consents = frozenset(pk for pk, _name in consent_choices(campaign))
        with self.lock:
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            self.kept[pk] = (version, campaign, consents)
        return campaign

    def consents(self, campaign: Campaign) -> frozenset[int]:
        version = self._version(campaign.pk)
        found = self.kept.get(campaign.pk)
        if found is not None and found[0] == version:
            return found[2]
        return frozenset(pk for pk, _name in consent_choices(campaign))

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()


signable = _Signable()


def signable_campaign(pk: int) -> Campaign:
    """The campaign `pk` to sign, as the public sees it, kept per process until it changes."""
    return signable.campaign(pk)


def signature_receive(
    *,
    campaign: Campaign,
    first_name: str,
    email: str,
    country: str,
    last_name: str = "",
    city: str = "",
    union: str = "",
    language: str = "",
    show_publicly: bool = False,
    wants_news: bool = False,
    consents: Iterable[Any] = (),
    client_address: str = "",
    extra: Mapping[str, Any] | None = None,
) -> Received:
    """Receive a signature of `campaign` (which the caller read through its selector, or
    `signable_campaign`): check its input in Python, then write one row, its intake, in one short
    transaction, for the worker to screen (`screen_batch`). Refused input raises ValidationError
    by field and writes nothing; a robot's form is dropped. See the module's docstring."""
    now = timezone.now()
    check_open(campaign, now)
    fields = {"first_name": first_name, "last_name": last_name, "city": city, "union": union}
    _field_errors(fields)
    address, domain = normalize_email(email)
    code = _country(country)
    tag = _language(language)
    organizations = _consents(campaign, consents)
    hashed_client, hashed_site = client_hashes(client_address)
    submission = Submission(
        campaign=campaign,
        email=address,
        email_domain=domain,
        client_hash=hashed_client,
        client_hash_wide=hashed_site,
        country=code,
        received_at=now,
        extra=dict(extra or {}),
        client_address=client_address,
    )
    listed, robot = screen_on_receipt(submission)
    if robot:
        return Received("dropped")
    intake = SignatureIntake(
        campaign=campaign,
        first_name=fields["first_name"].strip(),
        last_name=(last_name or "").strip(),
        email=address,
        email_domain=domain,
        country=code,
        city=(city or "").strip(),
        union=(union or "").strip(),
        language=tag,
        show_publicly=bool(show_publicly),
        wants_news=bool(wants_news),
        consents=organizations,
        client_hash=hashed_client,
        client_hash_wide=hashed_site,
        listed=listed or "",
        received_at=now,
    )
    if settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST:
        # Screened by the request itself, in the one transaction that writes the signature: the
        # link goes out at once, whatever the worker's backlog. No intake row is written (it
        # would be deleted in the same transaction): the signer is answered once the signature
        # is committed, and a request that dies before wrote nothing and was not answered.
        from .batch import screen_unsaved

        return Received("received", intake, screen_unsaved(intake))
    with transaction.atomic():
        insert_one(intake)  # the request's one write, by a statement made once (core/db.py)
        _screen_on_commit()
    return Received("received", intake)


def screen_intake(intake: SignatureIntake) -> Signed:
    """Screen one received signature and write it (in the caller's transaction, which deletes the
    intake row with it). What the signer was told stays true: a signature new, signed again,
    blocked. One at a time: what a batch (batch.py) decides must be what this decides, row after
    row; the batch falls back to it when another writer wrote one of its addresses meanwhile."""
    now = timezone.now()
    campaign = intake.campaign
    submission = Submission(
        campaign=campaign,
        email=intake.email,
        email_domain=intake.email_domain,
        client_hash=intake.client_hash,
        client_hash_wide=intake.client_hash_wide,
        country=intake.country,
        received_at=intake.received_at,
    )
    verdict = screen_received(submission, listed_on_screening(submission, intake.listed or None))
    address, hashed_client = intake.email, intake.client_hash
    existing = Signature.objects.filter(campaign=campaign, email=address).first()
    if existing is not None:
        # Screened out this time: the signature stays as it was, and no new link is sent.
        if verdict is Verdict.BLOCK:
            return Signed("blocked", existing)
        return _again(existing, now, hashed_client)
    expires = _expiry(now)
    signature = Signature(
        campaign=campaign,
        first_name=intake.first_name,
        last_name=intake.last_name,
        email=address,
        email_domain=intake.email_domain,
        country=intake.country,
        city=intake.city,
        union=intake.union,
        language=intake.language,
        show_publicly=intake.show_publicly,
        wants_news=intake.wants_news,
        status=Signature.Status.BLOCKED if verdict is Verdict.BLOCK else Signature.Status.PENDING,
        reason=submission.notes.get("reason", "")[:200],
        token_expires_at=expires,
        client_hash=hashed_client,
        client_hash_wide=intake.client_hash_wide,
        link_sent_at=now if verdict is Verdict.ACCEPT else None,
        confirmation_due=verdict is Verdict.ACCEPT,
        # A placeholder, unique, replaced below once the id is known.
        token_hash=token_hash(f"new:{address}:{campaign.pk}:{intake.pk}:{now.timestamp()}"),
    )
    try:
        with transaction.atomic():
            signature.save()
            signature.token_hash = token_hash(confirmation_token(signature))
            Signature.objects.filter(pk=signature.pk).update(token_hash=signature.token_hash)
            Consent.objects.bulk_create(
                [Consent(signature=signature, organization_id=pk) for pk in intake.consents]
            )
            if verdict is Verdict.ACCEPT:
                _send_on_commit(signature)
    except IntegrityError:
        # Written at the same moment by another worker: the other one is the signature.
        existing = Signature.objects.filter(campaign=campaign, email=address).first()
        if existing is None:  # pragma: no cover -- another constraint
            raise
        return _again(existing, now, hashed_client)
    return Signed("blocked" if verdict is Verdict.BLOCK else "new", signature)


def _stale_claim(now: datetime.datetime) -> datetime.datetime:
    return now - _seconds(settings.INTERNATIONALE_CAMPAIGN_INTAKE_CLAIM_SECONDS)


def screen_batch(only: int | None = None) -> dict[int, Signed]:
    """Claim a batch of received signatures (unclaimed, or claimed by a run that died), in one
    UPDATE (of two runs at once, each row goes to one), then screen them, write the signatures and
    delete the intake rows, in one transaction and a number of queries that does not grow with the
    batch (batch.py): a run that dies wrote none of its batch, taken again once its claim is
    stale. Returns what each intake became."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=_stale_claim(now))
    size = settings.INTERNATIONALE_CAMPAIGN_INTAKE_BATCH
    ids: list[int] = []
    for waiting in (intake_to_screen(now), intake_left(now)):
        if only is not None:
            waiting = waiting.filter(pk=only)
        ids += list(waiting.values_list("id", flat=True)[: size - len(ids)])
        if len(ids) >= size:
            break
    if not ids or not SignatureIntake.objects.filter(free, pk__in=ids).update(claimed_at=now):
        return {}
    from .batch import screen_rows

    rows = SignatureIntake.objects.select_related("campaign").filter(pk__in=ids, claimed_at=now)
    return screen_rows(rows)


def intake_to_screen(now: datetime.datetime | None = None) -> QuerySet[SignatureIntake]:
    """The received signatures waiting for the worker, oldest first (periodic queries, each
    served by an index: `intake_waiting` here, `intake_claim` for `intake_left`)."""
    return SignatureIntake.objects.filter(claimed_at__isnull=True).order_by("id")


def intake_left(now: datetime.datetime | None = None) -> QuerySet[SignatureIntake]:
    """Those claimed by a run that died: their claim older than INTAKE_CLAIM_SECONDS."""
    stale = _stale_claim(now or timezone.now())
    return SignatureIntake.objects.filter(claimed_at__lt=stale).order_by("claimed_at")


def _screen_on_commit() -> None:
    """Once a received signature is committed, queue the worker's screening
    (tasks.screen_signatures), at most once per INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS in
    this process: a flood queues a task a second, not one per signature (the worker also runs it
    every few seconds)."""
    from .tasks import screen_signatures

    def queue() -> None:
        now = time.monotonic()
        with _queued_lock:
            if now - _screen_queued[0] < settings.INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS:
                return
            _screen_queued[0] = now
        screen_signatures.enqueue()

    transaction.on_commit(queue)


_screen_queued = [-math.inf]


def _may_resend(signature: Signature, now: datetime.datetime) -> bool:
    """Whether a pending signature's link may be sent again now: not within
    INTERNATIONALE_CAMPAIGN_RESEND_SECONDS of the last, and not more than
    INTERNATIONALE_CAMPAIGN_RESENDS_PER_DAY times in the day from its first re-send."""
    gap = settings.INTERNATIONALE_CAMPAIGN_RESEND_SECONDS
    if gap and signature.link_sent_at and now - signature.link_sent_at < _seconds(gap):
        return False
    window = signature.resend_window_at
    return not (
        window is not None
        and now - window < _seconds(86400)
        and signature.resends >= settings.INTERNATIONALE_CAMPAIGN_RESENDS_PER_DAY
    )


def _seconds(n: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=n)


def _again(signature: Signature, now: datetime.datetime, hashed_client: str) -> Signed:
    """The same address signs again. It counts in the client's limits as a signature does
    (`again_at`, `again_client_hash`: screening.py), so that signing one address again and again
    trips them; a pending signature gets a new link (the old one stops working) unless one was
    sent too recently or too often (`_may_resend`: answered the same, nothing sent); nothing else
    does. Every path takes the row's lock and writes it: an answer's time tells little of whether
    the address had signed."""
    with transaction.atomic():
        locked = Signature.objects.select_for_update().filter(pk=signature.pk).first()
        if locked is None:  # pragma: no cover -- erased at this moment
            return Signed("already_confirmed", signature)
        changes: dict[str, Any] = {"again_at": now, "again_client_hash": hashed_client}
        outcome = "already_confirmed"
        if locked.status == Signature.Status.PENDING:
            outcome = "held"
            if _may_resend(locked, now):
                window = locked.resend_window_at
                fresh = window is None or now - window >= _seconds(86400)
                expires = _expiry(now)
                changes |= {
                    "token_expires_at": expires,
                    "token_hash": token_hash(_token(locked.pk, expires)),
                    "link_sent_at": now,
                    "resend_window_at": now if fresh else window,
                    "resends": 1 if fresh else locked.resends + 1,
                    # Owed again, with the new link; a batch that claimed the old one leaves it.
                    "confirmation_due": True,
                    "confirmation_claimed_at": None,
                }
                outcome = "resent"
                _send_on_commit(locked)
        Signature.objects.filter(pk=locked.pk).update(**changes)
        for name, value in changes.items():
            setattr(locked, name, value)
    return Signed(outcome, locked)


def _send_on_commit(signature: Signature) -> None:
    """Once the signature owing an e-mail is committed, queue the batch that sends it
    (tasks.send_confirmations), at most once per INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS
    in this process: a flood queues a few batches a second, not a task per signature. A signature
    the last queued batch missed is sent by the next, or by the worker's (every 5 s)."""
    from .tasks import send_confirmations

    def queue() -> None:
        now = time.monotonic()
        with _queued_lock:
            if now - _queued[0] < settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS:
                return
            _queued[0] = now
        send_confirmations.enqueue()

    transaction.on_commit(queue)


_queued = [-math.inf]  # when this process last queued a batch (time.monotonic())
_queued_lock = threading.Lock()


@dataclass(frozen=True)
class Confirmed:
    signature: Signature
    campaign: Campaign


def _link_error(message: str, code: str) -> ValidationError:
    return ValidationError({"token": ValidationError(message, code=code)})


def signature_confirm(*, token: str) -> Confirmed:
    """Confirm the signature the token is for, once, before its link expires; ValidationError on
    `token` for a link unknown, used or expired, which changes nothing."""
    if not token or len(token) > 100:
        raise _link_error(_("This confirmation link is not valid."), "invalid_link")
    now = timezone.now()
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .select_related("campaign")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if signature is None:
            raise _link_error(
                _("This confirmation link is not valid, or a newer one was sent."),
                "invalid_link",
            )
        if signature.status != Signature.Status.PENDING:
            raise _link_error(
                _("This confirmation link was already used: your signature is recorded."),
                "used_link",
            )
        if signature.token_expires_at <= now:
            raise _link_error(
                _("This confirmation link has expired. Sign again to get a new one."),
                "expired_link",
            )
        signature.status = Signature.Status.CONFIRMED
        signature.confirmed_at = now
        signature.save(update_fields=["status", "confirmed_at"])
        _count_on_commit()
    return Confirmed(signature=signature, campaign=signature.campaign)


def _count_on_commit() -> None:
    """Once a confirmation is committed, queue the count (tasks.count_signatures), at most once
    per INTERNATIONALE_CAMPAIGN_COUNT_ENQUEUE_SECONDS in this process: the count then follows the
    confirmations within about that time plus the worker's wait, instead of waiting for its
    periodic run (every 5 s, which put the count up to 5 s further behind). A confirmation the
    last queued count missed is counted by the next, or by the periodic run."""
    from .tasks import count_signatures

    def queue() -> None:
        now = time.monotonic()
        with _queued_lock:
            if now - _count_queued[0] < settings.INTERNATIONALE_CAMPAIGN_COUNT_ENQUEUE_SECONDS:
                return
            _count_queued[0] = now
        count_signatures.enqueue()

    transaction.on_commit(queue)


_count_queued = [-math.inf]  # when this process last queued the count (time.monotonic())
