"""The REST API on organizations: the directory, members, relations, employers and presences.

Statuses and the error format are described in internationale/core/api.py. Actions on an
organization answer 404 to whoever may not take them, as if it did not exist; adding an employer
to the shared directory answers 403 to those who may not, since there is nothing to hide.
"""

import base64
import datetime
import json
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from ninja.responses import Status

from internationale.accounts.api import ApiRequest, api_token
from internationale.accounts.models import ApiToken
from internationale.core.actors import user_of
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    MAX_PAGE_SIZE,
    ErrorOut,
    Offset,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.models import Visibility
from internationale.core.predicates import organizations_of
from internationale.core.services import allowed

from . import directory, selectors, services
from .models import (
    RELATION_VISIBILITIES,
    Employer,
    EmployerSite,
    Membership,
    Organization,
    Presence,
    Relation,
)

router = Router(tags=["organizations"])
employers = Router(tags=["employers"])
identity = Router(tags=["identity"])


def organization_for(request: ApiRequest, slug: str, perm: str) -> Organization:
    """The organization at `slug`, on which the caller holds `perm`; 404 otherwise.

    With a token, only the token's own organization: a token cannot act for another one.
    """
    token = api_token(request)
    if token is not None and token.organization.slug != slug:
        raise Http404
    return selectors.organization_for_member(viewer=request.auth, slug=slug, perm=perm)


class OrganizationRef(Schema):
    slug: str
    name: str


class OrganizationOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: choice_of(Organization.Kind)  # type: ignore[valid-type]
    country: str = Field(description="ISO 3166 code.")
    city: str
    founded_year: int | None
    membership_size: int | None
    website: str
    description: str = Field(description="Markdown.")
    public_contact: str
    verified: bool
    verified_at: datetime.datetime | None
    languages: list[str] = Field(description="BCP 47 tags.")
    sectors: list[str] = Field(description="ISIC Rev.4 sections.")

    @staticmethod
    def resolve_country(obj: Organization) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_verified(obj: Organization) -> bool:
        return obj.is_verified

    @staticmethod
    def resolve_languages(obj: Organization) -> list[str]:
        # A page of the directory reads them all in one query (selectors.with_tags_and_codes).
        tags = getattr(obj, "directory_tags", None)
        return [language.tag for language in obj.languages.all()] if tags is None else tags

    @staticmethod
    def resolve_sectors(obj: Organization) -> list[str]:
        codes = getattr(obj, "directory_codes", None)
        return [sector.code for sector in obj.sectors.all()] if codes is None else codes


class DirectoryQuery(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="Words of a name, short name or city, each by its beginning.",
    )
    country: str = Field("", max_length=2, description="ISO 3166 code.")
    region: str = Field("", max_length=60, description="A UN M49 region or subregion.")
    kind: choice_of(Organization.Kind, blank=True) = ""  # type: ignore[valid-type]
    sector: str = Field("", max_length=1, description="An ISIC Rev.4 section, A to U.")
    language: str = Field("", max_length=35, description="A BCP 47 tag; pt matches pt-BR.")
    employer: str = Field("", max_length=80, description="An employer's slug.")
    verified: bool | None = None


class DirectoryPageQuery(Schema):
    limit: int = Field(
        settings.INTERNATIONALE_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="At most 100."
    )
    # Like every list's, at most 10,000 (core/api.py); the `next` links (a cursor) go on as far
    # as there are organizations.
    offset: Offset = Field(
        0, description="How many to skip, at most 10,000; to go further, follow `next`."
    )
    cursor: str = Field(
        "", max_length=400, description="Where the page starts: given in the `next` link."
    )


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    count: int = Field(description="How many organizations match, counted up to 1,000.")
    count_capped: bool = Field(description="True when more than `count` (1,000) match.")
    next: str | None = Field(description="The link to the next page; null on the last.")


# The API's own renderer (internationale/web/api.py sets no other), without importing the API.
_json = JSONRenderer()


def cursor_of(organization: Organization) -> str:
    """Where the page after this organization starts: its place in the order (name, id), opaque."""
    raw = json.dumps([organization.name, organization.pk], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str) -> tuple[str, int]:
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(name, str) and type(pk) is int:
            return name, pk
    except (ValueError, TypeError):  # not base64, not JSON, not a pair
        pass
    message = _("This cursor is not valid: use the next link of an earlier answer as it is.")
    raise ValidationError({"cursor": [message]}, code="invalid")


def _directory_answer(
    request: ApiRequest, filters: DirectoryQuery, page: DirectoryPageQuery
) -> bytes:
    if page.cursor and page.offset:
        message = _("Give a cursor or an offset, not both.")
        raise ValidationError({"offset": [message]}, code="invalid")
    found = selectors.organization_page(
        viewer=request.auth,
        filters=selectors.DirectoryFilters(**filters.dict()),
        limit=page.limit,
        offset=page.offset,
        after=_after(page.cursor) if page.cursor else None,
    )
    following = None
    if found.has_next:
        query = request.GET.copy()
        query.pop("offset", None)
        query["cursor"] = cursor_of(found.organizations[-1])
        following = absolute_url(f"{request.path}?{query.urlencode()}")
    answer = {
        "items": found.organizations,
        "count": found.count,
        "count_capped": found.more,
        "next": following,
    }
    context = {"request": request, "response_status": 200}
    result = OrganizationPage.model_validate(answer, context=context)
    return _json.render(request, result.model_dump(context=context), response_status=200)


@router.get(
    "/organizations",
    response={200: OrganizationPage, **ERRORS},
    url_name="organization_list",
)
def organization_list(
    request: ApiRequest, filters: Query[DirectoryQuery], page: Query[DirectoryPageQuery]
) -> HttpResponse:
    """The directory of organizations, with the same filters as its page, by name. Page on with
    the `next` link of each answer."""
    # Kept (organizations/directory.py): the answer depends on what the viewer may see and the
    # query, and nothing else.
    viewer = directory.directory_viewer(request.auth, employer=bool(filters.employer))
    key = directory.api_answers.key(viewer, "api", request.META.get("QUERY_STRING", ""))
    content = directory.api_answers.get(key, lambda: _directory_answer(request, filters, page))
    return HttpResponse(content, content_type="application/json; charset=utf-8")


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationOut, **ERRORS},
    url_name="organization_detail",
)
def organization_detail(request: ApiRequest, slug: str) -> Organization:
    """An organization's public profile. One not yet verified is found only by its own people."""
    return selectors.organization_get(viewer=request.auth, slug=slug)


# Members ----------------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    email: str
    name: str
    role: choice_of(Membership.Role)  # type: ignore[valid-type]
    since: datetime.datetime

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.name

    @staticmethod
    def resolve_since(obj: Membership) -> datetime.datetime:
        return obj.created_at


class RoleIn(Schema):
    role: choice_of(Membership.Role)  # type: ignore[valid-type]


def _membership(request: ApiRequest, organization: Organization, pk: int) -> Membership:
    members = selectors.membership_list(viewer=request.auth, organization=organization)
    return get_object_or_404(members, pk=pk)


@router.get(
    "/organizations/{slug}/members",
    response={200: list[MembershipOut], **ERRORS},
    url_name="member_list",
)
@paginate(Pagination)
def member_list(request: ApiRequest, slug: str) -> QuerySet[Membership]:
    """The people of an organization and their roles: for its members."""
    organization = organization_for(request, slug, "organizations.view_members")
    return selectors.membership_list(viewer=request.auth, organization=organization)


@router.patch(
    "/organizations/{slug}/members/{pk}",
    response={200: MembershipOut, **ERRORS},
    url_name="member_role",
)
def member_role(request: ApiRequest, slug: str, pk: int, payload: RoleIn) -> Membership:
    """Give a member another role: for the organization's admins. The last admin stays admin."""
    organization = organization_for(request, slug, "organizations.manage_members")
    membership = _membership(request, organization, pk)
    return services.membership_set_role(
        actor=request.auth, membership=membership, role=payload.role
    )


@router.delete(
    "/organizations/{slug}/members/{pk}",
    response={204: None, **ERRORS},
    url_name="member_remove",
)
def member_remove(request: ApiRequest, slug: str, pk: int) -> Status[None]:
    """Remove a member: an admin removes anyone, a member removes themselves (leaves)."""
    organization = organization_for(request, slug, "organizations.view_members")
    membership = _membership(request, organization, pk)
    # Someone else's membership, for a person who may not remove it, is not theirs to know of.
    if not allowed(request.auth, "organizations.remove_member", membership):
        raise Http404
    services.membership_remove(actor=request.auth, membership=membership)
    return Status(204, None)


# Relations --------------------------------------------------------------------------------------


# What the model allows: never "private", which would hide a relation from its partner.
RelationVisibility = Literal[tuple(value for value, _label in RELATION_VISIBILITIES)]  # type: ignore[valid-type]


class RelationOut(Schema):
    id: int
    proposer: OrganizationRef
    partner: OrganizationRef
    kind: choice_of(Relation.Kind)  # type: ignore[valid-type]
    status: choice_of(Relation.Status)  # type: ignore[valid-type]
    since: datetime.date | None
    visibility: RelationVisibility  # type: ignore[valid-type]
    note: str = Field(description="For the people of the two organizations only; empty for others.")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_note(obj: Relation, context: dict[str, Any]) -> str:
        # As on the relations page: the note is between the two organizations.
        mine = organizations_of(context["request"].auth)
        return obj.note if obj.proposer_id in mine or obj.partner_id in mine else ""


class RelationIn(Schema):
    partner: str = Field(max_length=80, description="The invited organization's slug.")
    kind: choice_of(Relation.Kind)  # type: ignore[valid-type]
    since: datetime.date | None = None
    visibility: RelationVisibility = Visibility.NETWORK.value  # type: ignore[valid-type]
    note: str = Field("", max_length=5000)


def _partner(request: ApiRequest, slug: str) -> Organization:
    try:
        return selectors.organization_get(viewer=request.auth, slug=slug)
    except Http404:
        raise ValidationError(
            {"partner": _("There is no organization with this slug.")}, code="unknown"
        ) from None


@router.get(
    "/organizations/{slug}/relations",
    response={200: list[RelationOut], **ERRORS},
    url_name="relation_list",
)
@paginate(Pagination)
def relation_list(request: ApiRequest, slug: str) -> QuerySet[Relation]:
    """An organization's relations that you may see; its own people also see pending ones."""
    organization = selectors.organization_get(viewer=request.auth, slug=slug)
    return selectors.relation_list(
        viewer=request.auth, organization=organization, include_pending=True
    )


@router.post(
    "/organizations/{slug}/relations",
    response={201: RelationOut, **ERRORS, **CONFLICT},
    url_name="relation_propose",
)
def relation_propose(
    request: ApiRequest,
    slug: str,
    payload: RelationIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Relation]:
    """Propose a relation to another organization: for its admins and secretaries. The partner
    finds the proposal in its inbox."""
    proposer = organization_for(request, slug, "organizations.propose_relation")
    partner = _partner(request, payload.partner)
    relation = services.relation_propose(
        actor=request.auth,
        proposer=proposer,
        partner=partner,
        **payload.dict(exclude={"partner"}),
        submission_key=idempotency_key,
    )
    return Status(201, relation)


def _decide(request: ApiRequest, slug: str, pk: int, *, accept: bool) -> Relation:
    organization = organization_for(request, slug, "organizations.speak_for")
    relation = selectors.relation_get(viewer=request.auth, pk=pk)
    if relation.partner_id != organization.pk:
        raise Http404
    return services.relation_decide(actor=request.auth, relation=relation, accept=accept)


@router.post(
    "/organizations/{slug}/relations/{pk}/accept",
    response={200: RelationOut, **ERRORS},
    url_name="relation_accept",
)
def relation_accept(request: ApiRequest, slug: str, pk: int) -> Relation:
    """Accept a relation proposed to this organization: for its admins and secretaries."""
    return _decide(request, slug, pk, accept=True)


@router.post(
    "/organizations/{slug}/relations/{pk}/decline",
    response={200: RelationOut, **ERRORS},
    url_name="relation_decline",
)
def relation_decline(request: ApiRequest, slug: str, pk: int) -> Relation:
    """Decline a relation proposed to this organization: for its admins and secretaries."""
    return _decide(request, slug, pk, accept=False)


# Presences --------------------------------------------------------------------------------------


class EmployerRef(Schema):
    slug: str
    name: str


class SiteOut(Schema):
    id: int
    name: str
    country: str = Field(description="ISO 3166 code.")
    city: str

    @staticmethod
    def resolve_country(obj: EmployerSite) -> str:
        return str(obj.country)


class PresenceOut(Schema):
    id: int
    employer: EmployerRef
    site: SiteOut | None
    visibility: choice_of(Visibility)  # type: ignore[valid-type]


@router.get(
    "/organizations/{slug}/presences",
    response={200: list[PresenceOut], **ERRORS},
    url_name="presence_list",
)
@paginate(Pagination)
def presence_list(request: ApiRequest, slug: str) -> QuerySet[Presence]:
    """The employers at which an organization organizes workers, as far as you may see."""
    organization = selectors.organization_get(viewer=request.auth, slug=slug)
    return selectors.presence_list(viewer=request.auth, organization=organization)


# Employers --------------------------------------------------------------------------------------


class EmployerOut(Schema):
    slug: str
    name: str
    headquarters: str = Field(description="ISO 3166 code, or empty.")
    website: str
    description: str
    sites: list[SiteOut]

    @staticmethod
    def resolve_headquarters(obj: Employer) -> str:
        return str(obj.headquarters or "")

    @staticmethod
    def resolve_sites(obj: Employer) -> list[EmployerSite]:
        return list(obj.sites.all())


class EmployerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    headquarters: str = Field("", max_length=2, description="ISO 3166 code.")
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=10000)


@employers.get("/employers", response={200: list[EmployerOut], **ERRORS}, url_name="employer_list")
@paginate(Pagination)
def employer_list(request: ApiRequest, q: str = Query("", max_length=100)) -> QuerySet[Employer]:
    """The shared directory of multinational employers and their sites."""
    return selectors.employer_list(viewer=request.auth, q=q)


@employers.get(
    "/employers/{slug}", response={200: EmployerOut, **ERRORS}, url_name="employer_detail"
)
def employer_detail(request: ApiRequest, slug: str) -> Employer:
    """An employer of the directory, with its sites."""
    return selectors.employer_get(viewer=request.auth, slug=slug)


@employers.post(
    "/employers",
    response={201: EmployerOut, 403: ErrorOut, **ERRORS, **CONFLICT},
    url_name="employer_create",
)
def employer_create(
    request: ApiRequest, payload: EmployerIn, idempotency_key: str | None = idempotency_header()
) -> Status[Employer]:
    """Add an employer to the directory: for admins and secretaries of verified organizations."""
    employer = services.employer_create(
        actor=request.auth, **payload.dict(), submission_key=idempotency_key
    )
    return Status(201, employer)


# Identity: who the API sees you as --------------------------------------------------------------


class PersonOut(Schema):
    email: str
    name: str
    language: str
    time_zone: str
    is_operator: bool


class MyOrganizationOut(Schema):
    slug: str
    name: str
    verified: bool

    @staticmethod
    def resolve_verified(obj: Organization) -> bool:
        return obj.is_verified


class TokenOut(Schema):
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    organization: MyOrganizationOut = Field(description="The organization the token acts for.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None

    @staticmethod
    def resolve_prefix(obj: ApiToken) -> str:
        return obj.key_prefix


class MyMembershipOut(Schema):
    organization: MyOrganizationOut
    role: choice_of(Membership.Role)  # type: ignore[valid-type]


class MeOut(Schema):
    user: PersonOut
    token: TokenOut | None = Field(description="The token of this request; none with a session.")
    memberships: list[MyMembershipOut] = Field(
        description="Your organizations and roles; with a token, only the token's organization."
    )


@identity.get("/me", response={200: MeOut, **ERRORS}, url_name="me")
def me(request: ApiRequest) -> dict:
    """Who you are to the API and, with a token, the organization it acts for."""
    user = user_of(request.auth)
    token = api_token(request)
    memberships = selectors.memberships_of(viewer=user)
    if token is not None:
        memberships = memberships.filter(organization_id=token.organization_id)
    return {"user": user, "token": token, "memberships": memberships}
