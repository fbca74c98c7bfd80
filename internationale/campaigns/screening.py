"""Screening a signature before it is written: may it be taken, blocked, or dropped?

- ACCEPT: written `pending`, its confirmation link e-mailed.
- BLOCK: written `blocked` with the reason, never e-mailed nor counted (an operator may look at
  it); the signer is answered as if it had been taken.
- DROP: nothing is written (a robot's form: the honeypot filled, the form sent too fast or with a
  forged or stale time); the signer is answered the same. Every refusal looks like a signature: a
  refused one cannot be told from a good one by its answer.

What it weighs, in order:
1. the allow and block lists (`ScreeningRule`, kept by operators): a blocked e-mail address,
   domain or network blocks; an allowed one skips the limits (a union's office where many sign
   from one address, a large provider's domain);
2. the form's honeypot and its signed time (`form_fields`, put in the sign form by the template
   tag `campaign_screening_fields`): every submission of the sign page carries `FROM_FORM`, set
   by the view itself (never read from what is posted), and must have both fields, or it is
   dropped. The API has no such fields: the lists and the limits alone;
3. the limits per client address, burst and sustained, and per e-mail domain, counted on the
   signatures written in their windows (the indexes `signature_client` and `signature_domain`).
   Settings: INTERNATIONALE_CAMPAIGN_LIMIT_*.

The client's address is not kept: the limits compare its keyed hash (`client_hash`,
signing.client_hash); the raw address is read here, in memory, for the network patterns only.
"""

from __future__ import annotations

import datetime
import enum
import fnmatch
import ipaddress
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, QuerySet

from internationale.core.versions import SharedVersions

from .models import Campaign, ScreeningRule, Signature

# The form's fields: the honeypot (left empty by people: hidden from eyes and screen readers), and
# the signed time the form was made.
HONEYPOT = "website"
STARTED = "form_started"
_SALT = "internationale.campaigns.form"
# The key the sign page's view puts in `extra`, with the value True (a posted value is a string,
# never True; and the view overwrites it): the submission came through the form.
FROM_FORM = "_from_sign_form"


class Verdict(enum.Enum):
    ACCEPT = "accept"
    BLOCK = "block"
    DROP = "drop"


@dataclass(frozen=True)
class Submission:
    """A signature as submitted, after the form's checks: the e-mail normalized, its domain, the
    keyed hash of the client's address (empty when unknown), when it arrived, and the raw extra
    fields of the form or API body the screening may read (a honeypot, when the form was shown).
    `client_address` is the raw address, read in memory for the network patterns, never stored.
    The screening writes why it blocked into `notes["reason"]`."""

    campaign: Campaign
    email: str
    email_domain: str
    client_hash: str
    country: str
    received_at: datetime.datetime
    extra: Mapping[str, Any] = field(default_factory=dict)
    client_address: str = ""
    client_hash_wide: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    # The signatures the limits count, when the worker's batch read them for many submissions at
    # once (batch.py): by limit ("address_burst", "address_sustained", "network", "domain"), how
    # many fall in its window. None: `_over_limits` reads them itself.
    counts: Mapping[str, int] | None = None


def form_fields(campaign_id: int) -> dict[str, str]:
    """The hidden fields of a sign form made now: the honeypot, empty, and the signed time."""
    made = {"c": campaign_id, "t": round(time.time(), 3)}
    return {HONEYPOT: "", STARTED: signing.dumps(made, salt=_SALT)}


def _form_verdict(submission: Submission) -> str | None:
    """Why a form's submission looks like a robot's, or None."""
    extra = submission.extra
    if extra.get(FROM_FORM) is not True:
        return None  # not the form: the API
    if HONEYPOT not in extra or STARTED not in extra:
        return "form_missing"
    if (extra.get(HONEYPOT) or "").strip():
        return "honeypot"
    try:
        made = signing.loads(
            str(extra.get(STARTED) or ""),
            salt=_SALT,
            max_age=settings.INTERNATIONALE_CAMPAIGN_FORM_MAX_SECONDS,
        )
        campaign_id, started = made["c"], float(made["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "form_time"
    if campaign_id != submission.campaign.pk:
        return "form_time"
    spent = submission.received_at.timestamp() - started
    if spent < settings.INTERNATIONALE_CAMPAIGN_FORM_MIN_SECONDS:
        return "too_fast"
    return None


def _network_matches(pattern: str, address: str) -> bool:
    try:
        network = ipaddress.ip_network(pattern.strip(), strict=False)
        return ipaddress.ip_address(address.strip()) in network
    except ValueError:
        return False


def pattern_domain(pattern: str) -> str:
    """A domain pattern in the spelling of the addresses it is matched against
    (signing.normalize_domain), label by label, its wildcards kept."""
    from .signing import normalize_domain

    labels = unicodedata.normalize("NFKC", pattern).strip().rstrip(".").lower().split(".")
    spelled = []
    for label in labels:
        try:
            spelled.append(label if label.isascii() else normalize_domain(label))
        except ValueError:
            spelled.append(label)
    return ".".join(spelled)


def pattern_email(pattern: str) -> str:
    local, at, domain = pattern.strip().rpartition("@")
    if not at:
        return pattern_domain(pattern)
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = local[1:-1]
    return f"{local.lower()}@{pattern_domain(domain)}"


def matches(rule: ScreeningRule, submission: Submission) -> bool:
    """Whether the rule matches: its pattern read in the spelling of the submission's address
    (lists written before addresses were kept in one spelling match too). Without the client's
    address (the worker's screening: it is not kept), a network pattern matches by the address's
    keyed hashes, which only a pattern of one whole hashed unit can: one IPv4 address, an IPv6
    /64 or /48 (`network_hashes`)."""
    pattern = rule.pattern.strip().lower()
    if rule.kind == ScreeningRule.Kind.DOMAIN:
        return fnmatch.fnmatchcase(submission.email_domain, pattern_domain(rule.pattern))
    if rule.kind == ScreeningRule.Kind.EMAIL:
        return fnmatch.fnmatchcase(submission.email, pattern_email(rule.pattern))
    if submission.client_address:
        return _network_matches(pattern, submission.client_address)
    narrow, wide = network_hashes(pattern)
    return bool(
        (narrow and narrow == submission.client_hash)
        or (wide and wide == submission.client_hash_wide)
    )


_hashed_networks: dict[str, tuple[str, str]] = {}


def network_hashes(pattern: str) -> tuple[str, str]:
    """The keyed hash a network pattern is, when it is one unit the client's address is hashed
    by (signing.client_hashes): of one IPv4 address (the first), of an IPv6 /64 (the first) or
    /48 (the second); empty otherwise (a wider or narrower network cannot be told by a hash)."""
    found = _hashed_networks.get(pattern)
    if found is not None:
        return found
    from .signing import client_hashes

    found = ("", "")
    try:
        network = ipaddress.ip_network(pattern.strip(), strict=False)
    except ValueError:
        network = None
    whole = {ipaddress.IPv4Network: 32, ipaddress.IPv6Network: 64}
    if network is not None and network.prefixlen == whole[type(network)]:
        found = (client_hashes(str(network.network_address))[0], "")
    elif isinstance(network, ipaddress.IPv6Network) and network.prefixlen == 48:
        found = ("", client_hashes(str(network.network_address))[1])
    if len(_hashed_networks) < 4096:
        _hashed_networks[pattern] = found
    return found


def _version_seconds() -> float:
    return settings.INTERNATIONALE_PUBLIC_PAGE_VERSION_MS / 1000


class _Rules:
    """The allow and block lists, kept per process by their shared version (`screening:rules`,
    core/versions.py: changed by every write of a rule, seen by every process within
    INTERNATIONALE_PUBLIC_PAGE_VERSION_MS): a signing request reads them without a query."""

    def __init__(self) -> None:
        self.versions = SharedVersions("screening", fresh=_version_seconds)
        self.kept: tuple[int, list[ScreeningRule]] | None = None

    def get(self) -> list[ScreeningRule]:
        version = self.versions.get("rules")
        kept = self.kept
        if kept is not None and kept[0] == version:
            return kept[1]
        rules = list(ScreeningRule.objects.all().only("list", "kind", "pattern"))
        self.kept = (version, rules)
        return rules

    def follow(self) -> None:
        """From ready(): every write of a rule changes the lists' version."""
        self.versions.follow(ScreeningRule, key=lambda rule: "rules", dispatch_uid="screening")


rules = _Rules()


def _listed(submission: Submission, kept: list[ScreeningRule] | None = None) -> str | None:
    """ "block", "allow" or None: a block wins over an allow. `kept`: the lists as the caller
    read them (`rules.get()`: a batch reads them once)."""
    found = None
    for rule in rules.get() if kept is None else kept:
        if matches(rule, submission):
            if rule.list == ScreeningRule.List.BLOCK:
                return ScreeningRule.List.BLOCK
            found = ScreeningRule.List.ALLOW
    return found


def _since(seconds: int, submission: Submission) -> datetime.datetime:
    return submission.received_at - datetime.timedelta(seconds=seconds)


def _over_limits(submission: Submission) -> str | None:
    if submission.counts is not None:
        return _over_counted(submission, submission.counts)
    if submission.client_hash:
        # A client's signatures, and its signing again of addresses that had signed (signing._again).
        mine = Signature.objects.filter(client_hash=submission.client_hash)
        again = Signature.objects.filter(again_client_hash=submission.client_hash)
        burst = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST
        window = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST_SECONDS
        since = _since(window, submission)
        if burst and _together_at_least(
            mine.filter(created_at__gte=since), again.filter(again_at__gte=since), burst
        ):
            return "address_burst"
        sustained = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED
        hour = _since(3600, submission)
        if sustained and _together_at_least(
            mine.filter(created_at__gte=hour), again.filter(again_at__gte=hour), sustained
        ):
            return "address_sustained"
    per_site = settings.INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK
    if (
        per_site
        and submission.client_hash_wide
        and _at_least(
            Signature.objects.filter(
                client_hash_wide=submission.client_hash_wide,
                created_at__gte=_since(3600, submission),
            ),
            per_site,
        )
    ):
        return "network"
    per_domain = settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN
    if per_domain and _at_least(
        Signature.objects.filter(
            email_domain=submission.email_domain, created_at__gte=_since(3600, submission)
        ),
        per_domain,
    ):
        return "domain"
    return None


def _over_counted(submission: Submission, counts: Mapping[str, int]) -> str | None:
    """`_over_limits` on the counts the worker's batch read (batch.py), limit by limit in the same
    order."""
    if submission.client_hash:
        burst = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST
        if burst and counts.get("address_burst", 0) >= burst:
            return "address_burst"
        sustained = settings.INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED
        if sustained and counts.get("address_sustained", 0) >= sustained:
            return "address_sustained"
    per_site = settings.INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK
    if per_site and submission.client_hash_wide and counts.get("network", 0) >= per_site:
        return "network"
    per_domain = settings.INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN
    if per_domain and counts.get("domain", 0) >= per_domain:
        return "domain"
    return None


def _together_at_least(first: QuerySet[Signature], second: QuerySet[Signature], n: int) -> bool:
    """Whether the two sets of rows hold `n` or more together, reading at most `n` of each."""
    found = len(first.values("pk")[:n])
    return found >= n or found + len(second.values("pk")[: n - found]) >= n


def _at_least(rows: QuerySet[Signature], n: int) -> bool:
    """Whether there are `n` rows or more, reading at most `n`."""
    return rows.values("pk")[n - 1 : n].exists()


def screen_on_receipt(submission: Submission) -> tuple[str | None, bool]:
    """What a signing request decides itself, without a query: what the lists say of the
    submission (they need the client's address, which is not kept), and whether it is a robot's
    form, to be dropped (a blocked one is not: it is written, blocked). The rest waits for the
    worker (`screen_received`)."""
    listed = _listed(submission)
    if listed == ScreeningRule.List.BLOCK:
        return listed, False
    robot = _form_verdict(submission)
    if robot is not None:
        submission.notes["reason"] = robot
        return listed, True
    return listed, False


def listed_on_screening(
    submission: Submission, on_receipt: str | None, kept: list[ScreeningRule] | None = None
) -> str | None:
    """What the lists say of a received signature when the worker screens it: what they said on
    receipt (the only moment the client's address was known, for any network pattern), and what
    they say now of its e-mail address, its domain and its address's hashes, so that a rule added
    while it waited applies to it. A block wins over an allow."""
    now = _listed(submission, kept)
    if ScreeningRule.List.BLOCK in (on_receipt, now):
        return ScreeningRule.List.BLOCK
    if ScreeningRule.List.ALLOW in (on_receipt, now):
        return ScreeningRule.List.ALLOW
    return None


def screen_received(submission: Submission, listed: str | None) -> Verdict:
    """The worker's part, given what the lists said on receipt: the limits, which count the
    signatures written."""
    if listed == ScreeningRule.List.BLOCK:
        submission.notes["reason"] = "blocked_list"
        return Verdict.BLOCK
    if listed == ScreeningRule.List.ALLOW:
        return Verdict.ACCEPT
    over = _over_limits(submission)
    if over is not None:
        submission.notes["reason"] = over
        return Verdict.BLOCK
    return Verdict.ACCEPT


def screen_signature(submission: Submission) -> Verdict:
    """Whether to take the signature (see the module's docstring): both parts at once."""
    listed, robot = screen_on_receipt(submission)
    if robot:
        return Verdict.DROP
    return screen_received(submission, listed)


# What operators see: trends ----------------------------------------------------------------------


def trending(*, since: datetime.datetime, by: str, limit: int = 20) -> list[dict[str, Any]]:
    """The client addresses (their hashes) or e-mail domains with the most signatures since
    `since`, most first, each with its number of signatures, of campaigns, and of those blocked."""
    name = "client_hash" if by == "address" else "email_domain"
    rows = Signature.objects.filter(created_at__gte=since)
    if by == "address":
        rows = rows.exclude(client_hash="")
    found = (
        rows.values(name)
        .annotate(
            signatures=Count("id"),
            campaigns=Count("campaign", distinct=True),
            blocked=Count("id", filter=Q(status=Signature.Status.BLOCKED)),
        )
        .order_by("-signatures", name)[:limit]
    )
    return [
        {
            "key": row[name],
            "signatures": row["signatures"],
            "campaigns": row["campaigns"],
            "blocked": row["blocked"],
        }
        for row in found
    ]
