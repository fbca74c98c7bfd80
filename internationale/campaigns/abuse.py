"""What operators do against abuse of signing: keep the allow and block lists (screening.py) and
invalidate signatures in bulk (all those from one e-mail domain or one client address, within a
time window, of one campaign or of all), each audited.

Invalidating takes the signatures' rows (locked), marks them `invalidated` with the reason, and
takes those already counted out of their campaigns' counts in the same transaction: the count
never counts an invalidated signature, and the counting task, which counts only `confirmed` rows,
cannot count them afterwards. The kept public page of each campaign changes with it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import Campaign, ScreeningRule, Signature, SignatureCount
from .screening import _network_matches, pattern_domain

PERMISSION = "campaigns.screen_signatures"
# The statuses an invalidation takes: every signature that is or may become counted.
VALID = (Signature.Status.PENDING, Signature.Status.CONFIRMED, Signature.Status.COUNTED)


def _pattern_error(message: str, code: str) -> ValidationError:
    return ValidationError({"pattern": ValidationError(message, code=code)})


def rule_add(
    *, actor: ActorLike, list: str, kind: str, pattern: str, note: str = ""
) -> ScreeningRule:
    """Add a pattern to the allow or block list. ValidationError by field for a pattern that
    cannot match (a network that is not one, an e-mail pattern without @) or already listed."""
    require(actor, PERMISSION)
    pattern = (pattern or "").strip().lower()
    rule = ScreeningRule(list=list, kind=kind, pattern=pattern, note=(note or "").strip())
    rule.full_clean(validate_constraints=False)
    if kind == ScreeningRule.Kind.NETWORK and not (
        _network_matches(pattern, pattern.split("/")[0])
    ):
        raise _pattern_error(
            _("Give a network address, or a network such as 203.0.113.0/24 or 2001:db8::/48."),
            "invalid_network",
        )
    if kind == ScreeningRule.Kind.EMAIL and "@" not in pattern:
        raise _pattern_error(
            _("An e-mail pattern has an @, such as *@example.org."), "invalid_email_pattern"
        )
    if kind == ScreeningRule.Kind.DOMAIN and ("@" in pattern or "." not in pattern):
        raise _pattern_error(
            _("Give a domain, such as example.org or *.example.org."), "invalid_domain"
        )
    rule.created_by = person(actor)
    try:
        with transaction.atomic():
            rule.save()
            audit(
                actor=actor,
                action="campaign.screening_rule",
                target=rule,
                change="added",
                list=rule.list,
                kind=rule.kind,
                pattern=rule.pattern,
            )
    except IntegrityError:
        raise _pattern_error(_("This pattern is already in this list."), "already_listed") from None
    return rule


def rule_remove(*, actor: ActorLike, rule: ScreeningRule) -> None:
    require(actor, PERMISSION)
    with transaction.atomic():
        audit(
            actor=actor,
            action="campaign.screening_rule",
            target=None,
            change="removed",
            list=rule.list,
            kind=rule.kind,
            pattern=rule.pattern,
        )
        rule.delete()


@dataclass(frozen=True)
class Selection:
    """Which signatures an invalidation takes: from one e-mail domain or one client address (its
    hash, as the trends show it), signed within [`since`, `until`), of one campaign or all."""

    since: datetime.datetime
    until: datetime.datetime
    domain: str = ""
    client_hash: str = ""
    campaign: Campaign | None = None

    def clean(self) -> None:
        errors = {}
        if not self.domain and not self.client_hash:
            errors["domain"] = ValidationError(
                _("Give an e-mail domain or a client address (its hash)."), code="required"
            )
        if self.until <= self.since:
            errors["until"] = ValidationError(
                _("The end of the window comes after its start."), code="window"
            )
        if errors:
            raise ValidationError(errors)

    def signatures(self) -> QuerySet[Signature]:
        rows = Signature.objects.filter(
            created_at__gte=self.since, created_at__lt=self.until, status__in=VALID
        )
        if self.domain:
            rows = rows.filter(email_domain=pattern_domain(self.domain))
        if self.client_hash:
            rows = rows.filter(client_hash=self.client_hash.strip())
        if self.campaign is not None:
            rows = rows.filter(campaign=self.campaign)
        return rows


def invalidation_preview(*, actor: ActorLike, selection: Selection) -> list[dict[str, object]]:
    """What invalidating would take, per campaign: its title, and how many signatures (of which
    counted). For the confirmation page."""
    require(actor, PERMISSION)
    selection.clean()
    per: dict[int, dict[str, object]] = {}
    rows = selection.signatures().values_list("campaign_id", "campaign__title", "status")
    for campaign_id, title, status in rows.iterator():
        entry = per.setdefault(
            campaign_id, {"campaign_id": campaign_id, "title": title, "n": 0, "counted": 0}
        )
        entry["n"] = int(entry["n"]) + 1  # type: ignore[call-overload]
        if status == Signature.Status.COUNTED:
            entry["counted"] = int(entry["counted"]) + 1  # type: ignore[call-overload]
    return sorted(per.values(), key=lambda e: -int(e["n"]))  # type: ignore[call-overload]


def signatures_invalidate(*, actor: ActorLike, selection: Selection, reason: str) -> int:
    """Invalidate the selected signatures (see the module's docstring). Returns how many."""
    require(actor, PERMISSION)
    selection.clean()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why, for the audit log."), code="required")}
        )
    if len(reason) > 200:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("At most %(n)s characters.") % {"n": 200}, code="too_long"
                )
            }
        )
    now = timezone.now()
    from .public_page import changed

    with transaction.atomic():
        rows = list(
            selection.signatures().select_for_update().values_list("id", "campaign_id", "status")
        )
        if not rows:
            return 0
        ids = [pk for pk, _c, _s in rows]
        Signature.objects.filter(pk__in=ids, status__in=VALID).update(
            status=Signature.Status.INVALIDATED, invalidated_at=now, reason=reason
        )
        counted = Counter(c for _pk, c, s in rows if s == Signature.Status.COUNTED)
        taken = Counter(c for _pk, c, _s in rows)
        for campaign_id, n in counted.items():
            SignatureCount.objects.filter(campaign_id=campaign_id).update(
                signatures=Greatest(F("signatures") - n, 0)
            )
        campaigns = {
            pk: (title, organization_id)
            for pk, title, organization_id in Campaign.objects.filter(
                pk__in=list(taken)
            ).values_list("pk", "title", "organization_id")
        }
        for campaign_id, n in taken.items():
            changed(campaign_id)
            title, organization_id = campaigns.get(campaign_id, ("", None))
            # In the organizer's audit log too: its count changed.
            audit(
                actor=actor,
                action="campaign.invalidate",
                target=Campaign(pk=campaign_id),
                organization=Organization(pk=organization_id) if organization_id else None,
                title=title,
                n=n,
                counted=counted.get(campaign_id, 0),
                reason=reason,
                domain=selection.domain,
                client_hash=selection.client_hash[:12],
                since=selection.since.isoformat(),
                until=selection.until.isoformat(),
            )
    return len(ids)
