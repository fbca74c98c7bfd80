"""Reads of appeals, filtered by what the viewer may see. `*_get` answers 404 for "missing" and
"not yours" alike."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils.translation import gettext as _

from internationale.addressing.routing import Candidate, Criteria, Reason, route
from internationale.aid.selectors import AidTotal, fulfilled_by_receipt_count, totals_by_currency
from internationale.core.predicates import SPEAKING_ROLES, in_network, organizations_of
from internationale.organizations.models import Organization

from .models import Addressee, Appeal, AppealUpdate, Pledge, Response


@dataclass
class AppealFilters:
    status: str = ""
    situation: str = ""
    urgency: int | None = None
    country: str = ""
    organization: int | None = None  # issued by
    addressed_to: int | None = None  # received by (one of the viewer's organizations)
    q: str = ""
    issued_by_mine: bool = False  # issued by one of the viewer's organizations
    addressed_to_mine: bool = False  # received by one of the viewer's organizations


def _visible_appeals(viewer: Any) -> QuerySet[Appeal]:
    """Drafts: the issuer only. Once sent: public ones to anyone; network ones to the network;
    addressed ones to the issuer and its addressees. The addressees are read with Exists, not a
    join, so that an appeal sent to two of the viewer's organizations is listed once."""
    mine = organizations_of(viewer)
    q = Q(visibility="public")
    if in_network(viewer):
        q |= Q(visibility="network")
    if mine:
        addressed = Addressee.objects.filter(appeal=OuterRef("pk"), organization_id__in=mine)
        q |= Q(Exists(addressed), visibility="addressed")
    q &= ~Q(status=Appeal.Status.DRAFT)
    if mine:
        q |= Q(organization_id__in=mine)
    return Appeal.objects.filter(q)


def appeal_list(*, viewer: Any, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
    f = filters or AppealFilters()
    qs = _visible_appeals(viewer)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.situation:
        qs = qs.filter(situation=f.situation)
    if f.urgency is not None:
        qs = qs.filter(urgency=f.urgency)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.organization is not None:
        qs = qs.filter(organization_id=f.organization)
    if f.addressed_to is not None:
        qs = qs.filter(
            Exists(Addressee.objects.filter(appeal=OuterRef("pk"), organization_id=f.addressed_to))
        )
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(place__icontains=f.q))
    if f.issued_by_mine:
        qs = qs.filter(organization_id__in=organizations_of(viewer))
    if f.addressed_to_mine:
        mine = organizations_of(viewer)
        qs = qs.exclude(status=Appeal.Status.DRAFT).filter(
            Exists(Addressee.objects.filter(appeal=OuterRef("pk"), organization_id__in=mine))
        )
    return qs.select_related("organization", "employer").order_by("-urgency", "-sent_at", "-pk")


def appeal_get(*, viewer: Any, pk: int) -> Appeal:
    appeal = (
        _visible_appeals(viewer).select_related("organization", "employer").filter(pk=pk).first()
    )
    if appeal is None:
        raise Http404
    return appeal


def _issuer_speaker_get(viewer: Any, pk: int) -> Appeal:
    appeal = appeal_get(viewer=viewer, pk=pk)
    if not viewer.has_perm("appeals.send_appeal", appeal):
        raise Http404
    return appeal


def addressee_preview(*, viewer: Any, appeal: Appeal, criteria: Criteria) -> list[Candidate]:
    """What sending with these criteria would do: for those who may send the appeal."""
    appeal = _issuer_speaker_get(viewer, appeal.pk)
    return route(appeal.routing_origin(), criteria.clean())


def addressable_by_slug(*, viewer: Any, appeal: Appeal, slugs: list[str]) -> list[Organization]:
    """The organizations named by `slugs` that the appeal can be sent to: verified ones (which
    everyone sees) other than the issuer, in the order given. For those who may send the appeal;
    404 for others. Slugs that name none are refused, all named, so that nothing is half done."""
    appeal = _issuer_speaker_get(viewer, appeal.pk)
    found = {
        o.slug: o
        for o in Organization.objects.filter(slug__in=slugs, verified_at__isnull=False).exclude(
            pk=appeal.organization_id
        )
    }
    unique = list(dict.fromkeys(slugs))
    unknown = [slug for slug in unique if slug not in found]
    if unknown:
        raise ValidationError(
            {
                "organizations": ValidationError(
                    _("There is no verified organization to send the appeal to at: %(slugs)s.")
                    % {"slugs": ", ".join(unknown)},
                    code="unknown_addressee",
                )
            }
        )
    return [found[slug] for slug in unique]


def timeline(*, viewer: Any, appeal: Appeal) -> QuerySet[AppealUpdate]:
    appeal = appeal_get(viewer=viewer, pk=appeal.pk)
    return AppealUpdate.objects.filter(appeal=appeal).order_by("created_at", "pk")


def pledge_list(*, viewer: Any, appeal: Appeal) -> list[Pledge]:
    """The pledges the viewer may see. The issuer's and the pledger's people see them all; the
    other addressees see that a pledge was made; others see public pledges only. Amounts and
    goods of material aid show only to the issuer and the pledger, unless the pledge is public:
    hidden ones come back as None and ""."""
    appeal = appeal_get(viewer=viewer, pk=appeal.pk)
    mine = set(organizations_of(viewer))
    qs = Pledge.objects.filter(appeal=appeal).select_related("organization")
    issuer = appeal.organization_id in mine
    if (
        not issuer
        and not Addressee.objects.filter(appeal=appeal, organization_id__in=mine).exists()
    ):
        qs = qs.filter(public=True)
    pledges = list(qs.order_by("created_at", "pk"))
    for pledge in pledges:
        if not (issuer or pledge.public or pledge.organization_id in mine):
            pledge.amount, pledge.currency, pledge.goods = None, "", ""
    return pledges


def pledge_get(*, viewer: Any, pk: int) -> Pledge:
    """A pledge the viewer may see (see pledge_list), read whole: amounts are not hidden here, so
    check "appeals.see_pledge_amount" before showing them."""
    pledge = Pledge.objects.select_related("appeal", "organization").filter(pk=pk).first()
    if pledge is None:
        raise Http404
    visible = pledge_list(viewer=viewer, appeal=pledge.appeal)
    if pledge.pk not in {p.pk for p in visible}:
        raise Http404
    pledge.appeal = appeal_get(viewer=viewer, pk=pledge.appeal_id)
    return pledge


def response_list(*, viewer: Any, appeal: Appeal) -> list[Response]:
    """The answers to an appeal: for the people of the issuer and of its addressees; nobody else
    learns who answered what."""
    appeal = appeal_get(viewer=viewer, pk=appeal.pk)
    mine = organizations_of(viewer)
    if not mine:
        return []
    if appeal.organization_id not in mine and not (
        Addressee.objects.filter(appeal=appeal, organization_id__in=mine).exists()
    ):
        return []
    return list(
        Response.objects.filter(appeal=appeal)
        .select_related("organization", "passed_to")
        .order_by("created_at", "pk")
    )


def pledges_owed(*, viewer: Any, organization: Organization) -> QuerySet[Pledge]:
    """What the organization has pledged and not yet done, the nearest first."""
    if not viewer.has_perm("organizations.view_inbox", organization):
        raise Http404
    return (
        Pledge.objects.filter(organization=organization, status=Pledge.Status.PLEDGED)
        .select_related("appeal", "appeal__organization")
        .order_by("due_date", "created_at", "pk")
    )


def appeals_to_answer(*, viewer: Any) -> QuerySet[Appeal]:
    """Live appeals sent to an organization the viewer speaks for, most urgent first."""
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    return (
        Appeal.objects.filter(status__in=Appeal.LIVE)
        .filter(
            Exists(Addressee.objects.filter(appeal=OuterRef("pk"), organization_id__in=speaking))
        )
        .select_related("organization")
        .order_by("-urgency", "deadline", "-sent_at")
    )


# The issuer's view ------------------------------------------------------------------------------


@dataclass
class AddresseeRow:
    organization: Organization
    reasons: list[Reason]
    ring: int
    passed_by: Organization | None
    delivered: bool
    responses: list[str] = field(default_factory=list)


@dataclass
class IssuerSummary:
    appeal: Appeal
    addressees: list[AddresseeRow]
    asked: int
    answered: int
    responses_by_kind: dict[str, int]  # organizations per kind of response
    passes: list[tuple[Organization, Organization]]  # (passed by, passed to)
    pledges: dict[str, dict[str, int]]  # form → status → count
    aid: dict[str, AidTotal]  # currency → pledged, received
    responses_by_country: dict[str, int]  # country of the answering organizations
    response_timeline: list[tuple[datetime.date, int]]  # (day, responses that day)
    fulfilled_by_receipt: int = 0  # pledges fulfilled by confirming receipt of their aid


def issuer_summary(*, viewer: Any, appeal: Appeal) -> IssuerSummary:
    """Who was asked, who answered and how, and what was pledged and received: for the issuing
    organization's people (all roles: members and observers read it too)."""
    appeal = appeal_get(viewer=viewer, pk=appeal.pk)
    if not viewer.has_perm("appeals.view_summary", appeal):
        raise Http404
    addressees = list(
        Addressee.objects.filter(appeal=appeal)
        .select_related("organization", "passed_by")
        .order_by("ring", "organization__name")
    )
    by_org: dict[int, AddresseeRow] = {
        a.organization_id: AddresseeRow(
            organization=a.organization,
            reasons=[Reason.from_json(r) for r in a.reasons],
            ring=a.ring,
            passed_by=a.passed_by,
            delivered=a.delivered_at is not None,
        )
        for a in addressees
    }
    responses = list(
        Response.objects.filter(appeal=appeal)
        .select_related("organization", "passed_to")
        .order_by("created_at", "pk")
    )
    kinds: dict[str, set[int]] = {}
    countries: dict[str, set[int]] = {}
    passes = []
    for response in responses:
        kinds.setdefault(response.kind, set()).add(response.organization_id)
        countries.setdefault(str(response.organization.country), set()).add(
            response.organization_id
        )
        row = by_org.get(response.organization_id)
        if row is not None and response.kind not in row.responses:
            row.responses.append(response.kind)
        if response.kind == Response.Kind.PASSED and response.passed_to is not None:
            passes.append((response.organization, response.passed_to))
    pledges: dict[str, dict[str, int]] = {}
    for form, status, n in (
        Pledge.objects.filter(appeal=appeal)
        .order_by()
        .values_list("form", "status")
        .annotate(n=Count("pk"))
    ):
        pledges.setdefault(form, {})[status] = n
    per_day = (
        Response.objects.filter(appeal=appeal)
        .annotate(day=TruncDate("created_at"))
        .order_by("day")
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    return IssuerSummary(
        appeal=appeal,
        addressees=list(by_org.values()),
        asked=len(addressees),
        answered=len({r.organization_id for r in responses}),
        responses_by_kind={kind: len(orgs) for kind, orgs in kinds.items()},
        passes=passes,
        pledges=pledges,
        aid=totals_by_currency(appeal=appeal),
        responses_by_country=dict(
            Counter({country: len(orgs) for country, orgs in countries.items()}).most_common()
        ),
        response_timeline=[(day, n) for day, n in per_day],
        fulfilled_by_receipt=fulfilled_by_receipt_count(appeal=appeal),
    )
