"""Screening a batch of the intake at once: the worker's part of signing (signing.py), in a
number of queries that does not grow with the batch.

A batch of received signatures is decided in memory, row by row in the order received, exactly as
one at a time would (`signing.screen_intake`, kept as the reference and as the fallback). First,
on PostgreSQL, its transaction holds the keys its limits count (`_hold_limits`), so that two
screenings of one key at the same moment (two workers, two requests) count one after the other;
then it reads:

- the signatures already written for the batch's addresses: one query, their rows locked;
- the limits per client address (burst and sustained, signatures and signing again), per site and
  per e-mail domain: for each kind, one query counting the signatures of the batch's keys in the
  window of the last row received, and one reading the few rows that fall in the windows of the
  earlier rows only (their windows start earlier); what the batch itself writes, and its signing
  again (which moves a signature's `again_*` from one client to another), is added in memory as
  each row is decided;
- the allow and block lists: what they said on receipt, and what they say now of the address
  (`screening.listed_on_screening`), kept per process: no query.

Then, in the same transaction: the new signatures in one INSERT (their token hashes, which need
their ids, in one UPDATE), their consents in one INSERT, the signatures signed again in one
UPDATE, the intake rows deleted in one DELETE, and the batch of confirmation e-mails queued once
on commit. A batch that dies wrote nothing; its rows are taken again once their claim is stale.
Should another writer have written one of the batch's addresses meanwhile (a unique constraint
fails: PostgreSQL with a second worker, or a request screening its own row), or a run slower than
its claim find some of its rows taken again by the next run (the intake rows it deletes are no
longer all its own), the batch is screened again one row at a time, but for the rows no longer
its own.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone

from internationale.core.db import insert_one

from .models import Consent, Signature, SignatureIntake
from .models_abuse import ScreeningRule
from .screening import Submission, Verdict, listed_on_screening, rules

# The fields a signature signed again may change (signing._again).
AGAIN_FIELDS = (
    "again_at",
    "again_client_hash",
    "token_expires_at",
    "token_hash",
    "link_sent_at",
    "resend_window_at",
    "resends",
    "confirmation_due",
    "confirmation_claimed_at",
)


@dataclass(frozen=True)
class _Limit:
    """One limit: its name (the screening's reason), the intake's field holding the key, the
    signatures' field and time it counts by, and its window in seconds."""

    name: str
    key: str
    field: str
    time: str
    seconds: int


def _limits() -> list[_Limit]:
    burst = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST_SECONDS
    found = []
    if settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST:
        found += [
            _Limit("address_burst", "client_hash", "client_hash", "created_at", burst),
            _Limit("address_burst", "client_hash", "again_client_hash", "again_at", burst),
        ]
    if settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED:
        found += [
            _Limit("address_sustained", "client_hash", "client_hash", "created_at", 3600),
            _Limit("address_sustained", "client_hash", "again_client_hash", "again_at", 3600),
        ]
    if settings.INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK:
        found.append(_Limit("network", "client_hash_wide", "client_hash_wide", "created_at", 3600))
    if settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN:
        found.append(_Limit("domain", "email_domain", "email_domain", "created_at", 3600))
    return found


class _Written:
    """The signatures the limits count, as written before the batch (read in two queries per
    field) plus what the batch changes in memory."""

    def __init__(self, rows: Sequence[SignatureIntake], limits: list[_Limit]) -> None:
        self.limits = limits
        received = [row.received_at for row in rows]
        self.first, self.last = min(received), max(received)
        # (field, key) -> {seconds: signatures in the window of the last row received}
        self.base: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        # (field, key) -> times of the signatures in the earlier rows' windows only
        self.earlier: dict[tuple[str, str], list[datetime.datetime]] = defaultdict(list)
        by_field: dict[tuple[str, str], set[int]] = defaultdict(set)
        keys: dict[str, set[str]] = defaultdict(set)
        for limit in limits:
            by_field[(limit.field, limit.time)].add(limit.seconds)
            keys[limit.field] |= {getattr(row, limit.key) for row in rows} - {""}
        wanted = [
            (name, time, sorted(windows), keys[name])
            for (name, time), windows in by_field.items()
            if keys[name]
        ]
        if len(rows) == 1:  # one row: one key per field, no earlier windows
            self._read_one([(n, t, w, next(iter(k))) for n, t, w, k in wanted])
            return
        for name, time, windows, found in wanted:
            self._read(name, time, windows, found)

    def _read(self, name: str, time: str, windows: list[int], keys: set[str]) -> None:
        # (The empty key excluded, as the partial indexes of the hashes are.)
        rows = Signature.objects.filter(**{f"{name}__in": sorted(keys)}).exclude(**{name: ""})
        latest = {s: self.last - datetime.timedelta(seconds=s) for s in windows}
        counted = (
            rows.filter(**{f"{time}__gte": min(latest.values())})
            .order_by()
            .values(name)
            .annotate(
                **{
                    f"n{s}": Count("pk", filter=Q(**{f"{time}__gte": start}))
                    for s, start in latest.items()
                }
            )
        )
        for found in counted:
            for s in windows:
                self.base[(name, found[name])][s] = found[f"n{s}"]
        if self.first == self.last:
            return
        earlier = Q()
        for s, start in latest.items():
            earlier |= Q(
                **{f"{time}__gte": self.first - datetime.timedelta(seconds=s), f"{time}__lt": start}
            )
        for key, at in rows.filter(earlier).values_list(name, time):
            self.earlier[(name, key)].append(at)

    def _read_one(self, parts: list[tuple[str, str, list[int], str]]) -> None:
        """`_read` of every field for one row: one statement for all of them, made once per
        process (the ORM built a query per field afresh at each request screening its own row)."""
        if not parts:
            return
        connection = connections[router.db_for_read(Signature)]
        adapt = connection.ops.adapt_datetimefield_value
        shape = tuple((name, time, len(windows)) for name, time, windows, _key in parts)
        params: list[Any] = []
        for _name, _time, windows, key in parts:
            latest = [self.last - datetime.timedelta(seconds=s) for s in windows]
            params += [*(adapt(at) for at in latest), key, adapt(min(latest))]
        with connection.cursor() as cursor:
            cursor.execute(_counts_sql(connection.alias, connection.vendor, shape), params)
            found = cursor.fetchone()
        column = 0
        for name, _time, windows, key in parts:
            sums = found[column : column + len(windows)]
            column += len(windows)
            if sums[0] is not None:
                for s, n in zip(windows, sums, strict=True):
                    self.base[(name, key)][s] = n

    def count(self, name: str, key: str, seconds: int, received: datetime.datetime) -> int:
        """The signatures written before the batch with `key` in `name`, in the window of
        `seconds` before `received` (a row of the batch)."""
        start = received - datetime.timedelta(seconds=seconds)
        latest = self.last - datetime.timedelta(seconds=seconds)
        n = self.base.get((name, key), {}).get(seconds, 0)
        return n + sum(1 for at in self.earlier.get((name, key), ()) if start <= at < latest)


@dataclass
class _Kept:
    """A signature the batch touches: as it was before the batch (None for a new one: its
    `again_*` were empty), and the row as it is now in memory."""

    signature: Signature
    again_before: tuple[datetime.datetime | None, str] | None
    new: bool


class _Batch:
    def __init__(
        self,
        rows: Sequence[SignatureIntake],
        now: datetime.datetime,
        lists: list[ScreeningRule] | None = None,
    ) -> None:
        self.rows = rows
        self.now = now
        self.limits = _limits()
        self.written = _Written(rows, self.limits)
        # (campaign id, address) -> the signature, locked
        self.kept: dict[tuple[int, str], _Kept] = {}
        emails = {row.email for row in rows}
        campaigns = {row.campaign_id for row in rows}
        existing: Iterable[Signature]
        if len(rows) == 1:  # a request screening its own: by a statement made once
            alias = router.db_for_write(Signature)
            existing = Signature.objects.raw(
                _existing_sql(alias, connections[alias].vendor),
                [rows[0].campaign_id, rows[0].email],
                using=alias,
            )
        else:
            existing = (
                Signature.objects.select_for_update()
                .filter(email__in=sorted(emails), campaign_id__in=sorted(campaigns))
                .order_by("id")
            )
        for signature in existing:
            self.kept[(signature.campaign_id, signature.email)] = _Kept(
                signature, (signature.again_at, signature.again_client_hash), new=False
            )
        self.new: list[tuple[Signature, list[int]]] = []
        # What the batch added to the counts by creation time: (field, key) -> new signatures.
        self.added: dict[tuple[str, str], int] = defaultdict(int)
        # The signatures it signed again (their `again_*` moved), new ones included.
        self.moved: dict[int, _Kept] = {}
        self.again: dict[int, Signature] = {}
        self.owed = False
        # The lists as the caller read them, else as they are now (inside a transaction, their
        # shared version is read: core/versions.py).
        self.rules = rules.get() if lists is None else lists

    def counts(self, row: SignatureIntake) -> dict[str, int]:
        """What the limits count for `row`, as one at a time would have found them written."""
        counts: dict[str, int] = defaultdict(int)
        for limit in self.limits:
            key = getattr(row, limit.key)
            if not key:
                continue
            n = self.written.count(limit.field, key, limit.seconds, row.received_at)
            if limit.time == "created_at":
                # A new signature counts from its writing (the batch's time: in every window);
                # one written before the batch is in the base counts already.
                n += self.added.get((limit.field, key), 0)
            else:
                start = row.received_at - datetime.timedelta(seconds=limit.seconds)
                n += sum(self._moved(kept, key, start) for kept in self.moved.values())
            counts[limit.name] += n
        return counts

    def _moved(self, kept: _Kept, key: str, start: datetime.datetime) -> int:
        """How signing `kept` again in this batch changed what it counts for the client `key`
        since `start`: its `again_*` moved from one client (or none) to another."""
        signature = kept.signature
        before = 0
        if kept.again_before is not None:
            at, client = kept.again_before
            before = int(client == key and at is not None and at >= start)
        at_now, client_now = signature.again_at, signature.again_client_hash
        now = int(client_now == key and at_now is not None and at_now >= start)
        return now - before

    def decide(self, row: SignatureIntake) -> Any:
        # Read from signing at each call, as screen_intake reads them (a test may replace them).
        from .signing import Signed, screen_received

        submission = Submission(
            campaign=row.campaign,
            email=row.email,
            email_domain=row.email_domain,
            client_hash=row.client_hash,
            client_hash_wide=row.client_hash_wide,
            country=row.country,
            received_at=row.received_at,
            counts=self.counts(row),
        )
        listed = listed_on_screening(submission, row.listed or None, self.rules)
        verdict = screen_received(submission, listed)
        kept = self.kept.get((row.campaign_id, row.email))
        if kept is not None:
            if verdict is Verdict.BLOCK:
                return Signed("blocked", kept.signature)
            return self._again(kept, row)
        signature = self._new(row, submission, verdict)
        self.kept[(row.campaign_id, row.email)] = _Kept(signature, None, new=True)
        return Signed("blocked" if verdict is Verdict.BLOCK else "new", signature)

    def _new(self, row: SignatureIntake, submission: Submission, verdict: Verdict) -> Signature:
        from .signing import _expiry, token_hash

        accepted = verdict is Verdict.ACCEPT
        now = self.now
        signature = Signature(
            campaign=row.campaign,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
            email_domain=row.email_domain,
            country=row.country,
            city=row.city,
            union=row.union,
            language=row.language,
            show_publicly=row.show_publicly,
            wants_news=row.wants_news,
            status=Signature.Status.PENDING if accepted else Signature.Status.BLOCKED,
            reason=submission.notes.get("reason", "")[:200],
            token_expires_at=_expiry(now),
            client_hash=row.client_hash,
            client_hash_wide=row.client_hash_wide,
            link_sent_at=now if accepted else None,
            confirmation_due=accepted,
            # A placeholder, unique, replaced once the id is known.
            token_hash=token_hash(f"new:{row.email}:{row.campaign_id}:{row.pk}:{now.timestamp()}"),
        )
        self.new.append((signature, list(row.consents or [])))
        for name in ("client_hash", "client_hash_wide", "email_domain"):
            self.added[(name, getattr(signature, name))] += 1
        self.owed = self.owed or accepted
        return signature

    def _again(self, kept: _Kept, row: SignatureIntake) -> Any:
        """signing._again, in memory: written with the batch."""
        from .signing import Signed, _expiry, _may_resend, _seconds, _token, token_hash

        signature, now = kept.signature, self.now
        changes: dict[str, Any] = {"again_at": now, "again_client_hash": row.client_hash}
        outcome = "already_confirmed"
        if signature.status == Signature.Status.PENDING:
            outcome = "held"
            if _may_resend(signature, now):
                window = signature.resend_window_at
                fresh = window is None or now - window >= _seconds(86400)
                expires = _expiry(now)
                changes |= {
                    "token_expires_at": expires,
                    "token_hash": token_hash(_token(signature.pk, expires))
                    if signature.pk
                    else signature.token_hash,
                    "link_sent_at": now,
                    "resend_window_at": now if fresh else window,
                    "resends": 1 if fresh else signature.resends + 1,
                    "confirmation_due": True,
                    "confirmation_claimed_at": None,
                }
                outcome = "resent"
                self.owed = True
        for name, value in changes.items():
            setattr(signature, name, value)
        self.moved[id(kept)] = kept
        if not kept.new:
            self.again[signature.pk] = signature
        return Signed(outcome, signature)

    def write(self) -> None:
        from .signing import _send_on_commit, confirmation_token, token_hash

        signatures = [signature for signature, _consents in self.new]
        if len(signatures) == 1:
            # One signature (a request screening its own): by statements made once per process,
            # as bulk_create would write it (the ORM built them afresh: most of such a request's
            # own work).
            signature = signatures[0]
            insert_one(signature)
            signature.token_hash = token_hash(confirmation_token(signature))
            _update_token_hash(signature)
        elif signatures:
            Signature.objects.bulk_create(signatures)
            for signature in signatures:
                signature.token_hash = token_hash(confirmation_token(signature))
            Signature.objects.bulk_update(signatures, ["token_hash"])
        if signatures:
            Consent.objects.bulk_create(
                [
                    Consent(signature=signature, organization_id=pk)
                    for signature, consents in self.new
                    for pk in consents
                ]
            )
        if self.again:
            Signature.objects.bulk_update(list(self.again.values()), list(AGAIN_FIELDS))
        # Deleted only while still this run's claim: a run slower than its claim finds its rows
        # taken again (deleted, or claimed anew) by the next, and writes nothing of them.
        received = [row for row in self.rows if row.pk is not None]  # not a request's own
        if received:
            claims = {row.claimed_at for row in received}
            _n, deleted = SignatureIntake.objects.filter(
                pk__in=[row.pk for row in received], claimed_at__in=claims
            ).delete()
            if deleted.get(SignatureIntake._meta.label, 0) != len(received):
                raise _Taken
        if self.owed:
            _send_on_commit(signatures[0] if signatures else next(iter(self.again.values())))


def _quoted(ops: Any, name: str) -> str:
    """The quoted column of the signatures' field `name`."""
    return str(ops.quote_name(str(getattr(Signature._meta.get_field(name), "column", name))))


@functools.cache
def _counts_sql(alias: str, vendor: str, shape: tuple[tuple[str, str, int], ...]) -> str:
    """`_count_sql` of each (field, time, windows) in `shape`, as one statement of one row: each
    an aggregate (one row, NULLs when nothing matches), joined. Their parameters in that order.
    Kept by the alias and its database's vendor: an alias pointed at another database (a test's
    settings) is made anew."""
    parts = [
        f"({_count_sql(alias, vendor, name, time, windows)}) AS n{i}"
        for i, (name, time, windows) in enumerate(shape)
    ]
    columns = ", ".join(
        f"n{i}.w{j}" for i, (_n, _t, windows) in enumerate(shape) for j in range(windows)
    )
    # Every part is made by _count_sql from the model's names; every value is a parameter.
    return f"SELECT {columns} FROM {' CROSS JOIN '.join(parts)}"  # noqa: S608


@functools.cache
def _count_sql(alias: str, vendor: str, name: str, time: str, windows: int) -> str:
    """The signatures of one key of `name` in each of `windows` windows on `time` (their starts
    the first parameters, then the key, then the earliest start): NULLs when there are none. The
    empty key excluded as the partial indexes of the hashes are, so that they serve it."""
    ops = connections[alias].ops
    meta = Signature._meta
    column = _quoted(ops, name)
    at = _quoted(ops, time)
    sums = ", ".join(f"SUM(CASE WHEN {at} >= %s THEN 1 ELSE 0 END) AS w{j}" for j in range(windows))
    # Table and column names come from the model and are quoted; every value is a parameter.
    return f"SELECT {sums} FROM {ops.quote_name(meta.db_table)} WHERE {column} = %s AND NOT ({column} = '') AND {at} >= %s"  # noqa: S608


@functools.cache
def _existing_sql(alias: str, vendor: str) -> str:
    """The signature of one address on one campaign (parameters: the campaign's id, the
    address), its row locked where the database locks rows. Kept by the alias and its vendor
    (`_counts_sql`)."""
    connection = connections[alias]
    ops = connection.ops
    meta = Signature._meta
    columns = ", ".join(ops.quote_name(str(field.column)) for field in meta.concrete_fields)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Table and column names come from the model and are quoted; every value is a parameter.
    return "SELECT {columns} FROM {table} WHERE {campaign} = %s AND {email} = %s{lock}".format(  # noqa: S608
        columns=columns,
        table=ops.quote_name(meta.db_table),
        campaign=_quoted(ops, "campaign"),
        email=_quoted(ops, "email"),
        lock=lock,
    )


@functools.cache
def _token_hash_sql(alias: str, vendor: str) -> str:
    ops = connections[alias].ops
    meta = Signature._meta
    # Table and column names come from the model and are quoted; every value is a parameter.
    return "UPDATE {table} SET {column} = %s WHERE {pk} = %s".format(  # noqa: S608
        table=ops.quote_name(meta.db_table),
        column=_quoted(ops, "token_hash"),
        pk=ops.quote_name(str(meta.pk.column)),  # type: ignore[union-attr]
    )


def _update_token_hash(signature: Signature) -> None:
    alias = signature._state.db or router.db_for_write(Signature)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            _token_hash_sql(alias, connections[alias].vendor), [signature.token_hash, signature.pk]
        )


# The intake's fields whose keys the limits count (client address, its site, e-mail domain).
LIMIT_KEYS = ("client_hash", "client_hash_wide", "email_domain")


def _limit_lock(field: str, key: str) -> int:
    """The advisory lock (a signed 64-bit number) of one key a limit counts."""
    digest = hashlib.blake2b(f"campaign-limit:{field}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _hold_limits(rows: Sequence[SignatureIntake]) -> None:
    """Inside the screening's transaction, before its counts: hold the keys the limits count for
    `rows` until it ends, so that signatures of one key screened at the same moment are counted
    one after the other (else each counted the signatures written before both, and all passed a
    limit). PostgreSQL: a transaction-level advisory lock per key, taken in one statement in
    ascending order (no deadlock between two screenings sharing keys). SQLite serializes writing
    transactions already (BEGIN IMMEDIATE): nothing to do."""
    connection = connections[router.db_for_write(Signature)]
    if connection.vendor != "postgresql":
        return
    locks = sorted(
        {
            _limit_lock(field, key)
            for row in rows
            for field in LIMIT_KEYS
            if (key := getattr(row, field))
        }
    )
    if not locks:
        return
    with connection.cursor() as cursor:
        # unnest reads the array in its order: the locks are taken ascending.
        cursor.execute(
            "SELECT COUNT(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [locks]
        )


class _Taken(Exception):
    """Some of the batch's rows are no longer its run's: taken again by another run."""


def screen_unsaved(row: SignatureIntake) -> Any:
    """Screen a signature received by the request itself (CAMPAIGN_SCREEN_IN_REQUEST), its intake
    `row` not written, and write what it becomes, in one transaction: as a batch of that one row
    (the same decisions, the same statements but the intake's claim and deletion). Should another
    request have written its address meanwhile (PostgreSQL: a unique constraint fails), it is
    screened again as `signing.screen_intake` does, which then finds that signature. Returns what
    it became (signing.Signed)."""
    from .signing import screen_intake

    # The lists as this process keeps them (core/versions.py: a rule written in another process
    # is seen within INTERNATIONALE_PUBLIC_PAGE_VERSION_MS), read before the transaction: inside
    # it, their version would be read from its row at every signature, a statement and a fifth
    # of the request's own work, for lists that change a few times a day. The request checked
    # them on receipt a moment before, from the same copy.
    lists = rules.get()
    try:
        with transaction.atomic():
            _hold_limits([row])
            batch = _Batch([row], timezone.now(), lists)
            done = batch.decide(row)
            batch.write()
        return done
    except IntegrityError:
        pass
    with transaction.atomic():
        _hold_limits([row])
        return screen_intake(row)


def screen_rows(rows: Iterable[SignatureIntake]) -> dict[int, Any]:
    """Screen the claimed intake `rows` (their campaigns selected with them) and write what they
    become, in one transaction: see the module's docstring. Returns what each intake became
    (signing.Signed), by its id."""
    from .signing import screen_intake

    rows = sorted(rows, key=lambda row: row.pk)
    if not rows:
        return {}
    try:
        with transaction.atomic():
            _hold_limits(rows)
            batch = _Batch(rows, timezone.now())
            done = {row.pk: batch.decide(row) for row in rows}
            batch.write()
        return done
    except (IntegrityError, _Taken):
        pass
    # Another writer wrote one of these addresses meanwhile, or took some of the rows again: one
    # at a time, as before, those still this run's.
    done = {}
    for row in rows:
        with transaction.atomic():
            mine = SignatureIntake.objects.select_for_update().filter(
                pk=row.pk, claimed_at=row.claimed_at
            )
            if not mine.exists():
                continue  # screened (or being screened) by the run that took it again
            _hold_limits([row])
            done[row.pk] = screen_intake(row)
            SignatureIntake.objects.filter(pk=row.pk).delete()
    return done
