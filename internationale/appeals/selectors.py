"""Reads of appeals, filtered by what the viewer may see. `*_get` answers 404 for "missing" and
"not yours" alike."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils.translation import gettext as _
from django_countries.fields import Country

from internationale.addressing.routing import Candidate, Criteria, Reason, route
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.visibility import Access, Viewer, access, mask
from internationale.organizations.models import Organization

from .models import Addressee, Appeal, AppealUpdate, Pledge, Response


@dataclass
class AppealFilters:
    status: str = ""
    situation: str = ""
    urgency: int | None = None
    country: str = ""
    sector: str = ""  # one of the issuing organization's sectors
    organization: int | None = None  # issued by
    addressed_to: int | None = None  # received by (one of the viewer's organizations)
    q: str = ""
    issued_by_mine: bool = False  # issued by one of the viewer's organizations
    addressed_to_mine: bool = False  # received by one of the viewer's organizations


def appeal_list(*, viewer: ViewerLike, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
    f = filters or AppealFilters()
    qs = Appeal.objects.visible_to(viewer)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.situation:
        qs = qs.filter(situation=f.situation)
    if f.urgency is not None:
        qs = qs.filter(urgency=f.urgency)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.sector:
        # An organization has each sector once: no appeal is repeated.
        qs = qs.filter(organization__sectors__code=f.sector.upper())
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
        qs = qs.exclude(status__in=[Appeal.Status.DRAFT, Appeal.Status.SENDING]).filter(
            Exists(Addressee.objects.filter(appeal=OuterRef("pk"), organization_id__in=mine))
        )
    return qs.select_related("organization", "employer").order_by("-urgency", "-sent_at", "-pk")


def appeal_access(*, viewer: ViewerLike, pk: int) -> Access[Appeal]:
    """The appeal, if the viewer may see it, and what the viewer is to it (of the issuer, which
    of its organizations the appeal was sent to): the reads below take it."""
    return access(Appeal.objects.select_related("organization", "employer"), viewer, pk=pk)


def appeal_get(*, viewer: ViewerLike, pk: int) -> Appeal:
    return appeal_access(viewer=viewer, pk=pk).obj


def _issuer_speaker_get(viewer: ViewerLike, pk: int) -> Appeal:
    appeal = appeal_get(viewer=viewer, pk=pk)
    if not as_actor(viewer).has_perm("appeals.send_appeal", appeal):
        raise Http404
    return appeal


def addressee_preview(*, viewer: ViewerLike, appeal: Appeal, criteria: Criteria) -> list[Candidate]:
    """What sending with these criteria would do: for those who may send the appeal."""
    appeal = _issuer_speaker_get(viewer, appeal.pk)
    return route(appeal.routing_origin(), criteria.clean())


def addressable_by_slug(
    *, viewer: ViewerLike, appeal: Appeal, slugs: list[str]
) -> list[Organization]:
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


def timeline(access: Access[Appeal]) -> QuerySet[AppealUpdate]:
    return AppealUpdate.objects.filter(appeal=access.obj).order_by("created_at", "pk")


def pledge_list(access: Access[Appeal]) -> list[Pledge]:
    """The pledges the viewer may see (see Pledge.audience): all of them to the issuer's and the
    addressees' people, public ones to others. Who pledged, what was pledged and the evidence
    show only to the issuer and the pledger, unless the pledge is public: hidden fields come
    back blank (the organization as None)."""
    appeal = access.obj
    qs = Pledge.objects.filter(appeal=appeal).select_related("organization")
    if not access.concerned:
        qs = qs.filter(public=True)
    pledges = list(qs.order_by("created_at", "pk"))
    for pledge in pledges:
        pledge.appeal = appeal  # read once, for the masking and the rules
    return mask(pledges, access.who)


def pledge_get(*, viewer: ViewerLike, pk: int) -> Pledge:
    """A pledge the viewer may see, with its details blanked if the viewer may not read them."""
    who = Viewer(viewer)
    pledge = (
        Pledge.objects.visible_to(who)
        .select_related("appeal", "appeal__organization", "appeal__employer", "organization")
        .filter(pk=pk)
        .first()
    )
    if pledge is None:
        raise Http404
    return mask([pledge], who)[0]


def response_list(access: Access[Appeal]) -> list[Response]:
    """The answers to an appeal: for the people of the issuer and of its addressees; nobody else
    learns who answered what. Who pledged, unless the pledge is public, only the issuer and the
    pledger learn: for others the organization comes back blank (see Response.audience)."""
    if not access.concerned:
        return []
    responses = list(
        Response.objects.filter(appeal=access.obj)
        .select_related("organization", "passed_to", "pledge")
        .order_by("created_at", "pk")
    )
    for response in responses:
        response.appeal = access.obj  # read once, for the masking
    return mask(responses, access.who)


def answering_organizations(access: Access[Appeal]) -> list[Organization]:
    """The organizations the viewer speaks for that the appeal was sent to: those it may answer
    for (none while the appeal is a draft)."""
    speaking = access.speaking_addressees(SPEAKING_ROLES)
    if not speaking or access.obj.status in (Appeal.Status.DRAFT, Appeal.Status.SENDING):
        return []
    return list(Organization.objects.filter(pk__in=speaking).order_by("name"))


def pledges_owed(*, viewer: ViewerLike, organization: Organization) -> QuerySet[Pledge]:
    """What the organization has pledged and not yet done, the nearest first."""
    if not as_actor(viewer).has_perm("organizations.view_inbox", organization):
        raise Http404
    return (
        Pledge.objects.filter(organization=organization, status=Pledge.Status.PLEDGED)
        .select_related("appeal", "appeal__organization")
        .order_by("due_date", "created_at", "pk")
    )


def appeals_awaiting_answer(*, viewer: ViewerLike) -> QuerySet[Appeal]:
    """Live appeals sent to an organization the viewer speaks for that has not answered yet
    (acknowledged, pledged, declined or passed on), most urgent and nearest deadline first."""
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    unanswered = Addressee.objects.filter(
        appeal=OuterRef("pk"), organization_id__in=speaking
    ).exclude(
        Exists(
            Response.objects.filter(
                appeal=OuterRef("appeal"), organization=OuterRef("organization")
            )
        )
    )
    return (
        Appeal.objects.filter(status__in=Appeal.LIVE)
        .filter(Exists(unanswered))
        .select_related("organization")
        .order_by("-urgency", F("deadline").asc(nulls_last=True), "-sent_at", "-pk")
    )


def pledges_owed_by_mine(*, viewer: ViewerLike) -> QuerySet[Pledge]:
    """What the organizations the viewer speaks for have pledged and not yet done, the nearest
    due first."""
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    return (
        Pledge.objects.filter(organization_id__in=speaking, status=Pledge.Status.PLEDGED)
        .select_related("appeal", "organization")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    )


# The issuer's view ------------------------------------------------------------------------------


@dataclass
class AddresseeRow:
    organization: Organization
    reasons: list[Reason]
    ring: int
    passed_by: Organization | None
    delivered: bool
    responses: list[Response.Kind] = field(default_factory=list)


@dataclass
class IssuerSummary:
    appeal: Appeal
    addressees: list[AddresseeRow]
    asked: int
    answered: int
    responses_by_kind: dict[Response.Kind, int]  # organizations per kind of response
    passes: list[tuple[Organization, Organization]]  # (passed by, passed to)
    pledges: dict[str, dict[str, int]]  # form → status → count
    responses_by_country: dict[Country, int]  # country of the answering organizations
    response_timeline: list[tuple[datetime.date, int]]  # (day, responses that day)


def issuer_summary(access: Access[Appeal]) -> IssuerSummary:
    """Who was asked, who answered and how, and what was pledged: for the issuing organization's
    people (all roles: members and observers read it too). What was received, the summary page
    shows through aid's template tags."""
    if not access.owner:
        raise Http404
    appeal = access.obj
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
    kinds: dict[Response.Kind, set[int]] = {}
    countries: dict[Country, set[int]] = {}
    passes = []
    for response in responses:
        kind = Response.Kind(response.kind)
        kinds.setdefault(kind, set()).add(response.organization_id)
        countries.setdefault(Country(response.organization.country), set()).add(
            response.organization_id
        )
        row = by_org.get(response.organization_id)
        if row is not None and kind not in row.responses:
            row.responses.append(kind)
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
        responses_by_country=dict(
            Counter({country: len(orgs) for country, orgs in countries.items()}).most_common()
        ),
        response_timeline=[(day, n) for day, n in per_day],
    )
