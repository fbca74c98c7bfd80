"""Reads of appeals, filtered by what the viewer may see. `*_get` answers 404 for "missing" and
"not yours" alike."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.base import ModelState
from django.db.models.functions import Cast, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.preview import Proposals, route_kept
from internationale.addressing.routing import ORG_FIELDS, Criteria, Reason
from internationale.addressing.selectors import CountryCount as AddresseeCount
from internationale.addressing.selectors import (
    addressee_countries,
    addressees_of,
    country_name,
)
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.models import SharedVersion
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.sliced import Sliced
from internationale.core.visibility import (
    ACCESS_READ_MAX_ORGANIZATIONS,
    Access,
    Viewer,
    access,
    access_of,
    is_visible,
    mask,
)
from internationale.organizations.models import Organization

from . import public_page
from .models import Addressee, Appeal, AppealUpdate, Pledge, PledgeSupport, Response


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


def appeal_access(*, viewer: ViewerLike, pk: int, versioned: bool = False) -> Access[Appeal]:
    """The appeal, if the viewer may see it, and what the viewer is to it (of the issuer, which
    of its organizations the appeal was sent to): the reads below take it. One query; with
    `versioned`, it reads the versions of the appeal's page and answers too (`page_version`,
    `answers_version`: see public_page.py), and keeps the appeal per version of its page for the
    next reader (`_kept_access`), who then reads the versions and the addressee rows alone."""
    appeals = Appeal.objects.select_related("organization", "employer")
    if not versioned:
        return access(appeals, viewer, pk=pk)
    from_kept = _kept_access(viewer, pk)
    if from_kept is not None:
        return from_kept
    annotated = appeals.annotate(
        page_version=public_page.versions.annotation(pk),
        answers_version=public_page.answers.annotation(pk),
    )
    found: Access[Appeal] = access(annotated, viewer, pk=pk)  # type: ignore[arg-type]
    key = public_page.appeals_read.key(pk, found.obj.__dict__["page_version"])
    if key is not None:
        kept = _twin(found.obj)  # the page's own changes to its appeal stay its own
        kept.__dict__.pop("_addressed_memo", None)  # what it is to this reader
        public_page.appeals_read.put(key, kept)
    return found


# The appeal's audience reaches its addressed organizations through its addressee rows.
_ADDRESSED = "addressees__organization"


def _kept_access(viewer: ViewerLike, pk: int) -> Access[Appeal] | None:
    """`appeal_access(versioned=True)` from the appeal kept at its page's version, when it is:
    one query, by primary keys, for the versions and the reader's organizations the appeal was
    sent to. The ORM's query with the appeal, its organization, its employer, the versions and
    one test per organization cost about 1 ms to build and 3 to 4 ms of a loaded process's time
    in all, for 0.1 ms in the database: most of what a signed-in reader's page cost once the rest
    was kept. Whatever the version follows (the appeal's own fields, its deletion) reads the
    appeal afresh; the audience's decision is made again at every request (`is_visible`), with
    the reader's organizations of this request. None: read it the usual way."""
    who = Viewer(viewer)
    of_appeal = public_page.appeals_read.key(pk)
    if len(who.mine) > ACCESS_READ_MAX_ORGANIZATIONS or of_appeal is None:
        return None  # read the usual way; in a transaction, or with the cache off, keep nothing
    versions, addressed = _versions_and_addressed(pk, who.mine)
    # None for a version no write has set yet, as the annotation reads it: the key
    # `appeals_read.key(pk, page_version)` gives, from the parts already made.
    kept = public_page.appeals_read.peek(
        (*of_appeal, versions.get(public_page.versions._row(pk)))  # type: ignore[misc]
    )
    if kept is None:
        return None
    appeal = _twin(kept)
    appeal.__dict__["answers_version"] = versions.get(public_page.answers._row(pk))
    appeal.__dict__["_addressed_memo"] = {(_ADDRESSED, who.mine): addressed}
    if not is_visible(appeal, who):
        raise Http404
    return access_of(appeal, viewer, who)


def _twin(appeal: Appeal) -> Appeal:
    """A copy of `appeal` as `copy.copy` makes it (its fields, and its state with the related
    rows read with it, in dictionaries of its own; the related rows themselves shared), without
    going through pickling's protocol, a quarter of the time a kept appeal took to read."""
    twin = Appeal.__new__(Appeal)
    twin.__dict__.update(appeal.__dict__)
    state = ModelState.__new__(ModelState)
    state.__dict__.update(appeal._state.__dict__)
    state.fields_cache = dict(appeal._state.fields_cache)
    twin._state = state
    return twin


def _versions_and_addressed(
    pk: int, organizations: frozenset[int]
) -> tuple[dict[str, int], frozenset[int]]:
    """The versions of the appeal's page and answers ({row key: value}), and which of
    `organizations` the appeal was sent to: one query, written out (see `_kept_access`)."""
    q = connection.ops.quote_name
    keys = [public_page.versions._row(pk), public_page.answers._row(pk)]
    # Names of our own tables and columns; every value a parameter.
    sql = (
        f"SELECT {q('key')}, {q('value')}, NULL FROM {q(SharedVersion._meta.db_table)} "  # noqa: S608
        f"WHERE {q('key')} IN (%s, %s)"
    )
    params: list[Any] = [*keys]
    if organizations:
        table = Addressee._meta.db_table
        sql += (
            f" UNION ALL SELECT NULL, NULL, {q('organization_id')} FROM {q(table)} "  # noqa: S608
            f"WHERE {q('appeal_id')} = %s AND {q('organization_id')} IN "
            f"({', '.join(['%s'] * len(organizations))})"
        )
        params += [pk, *sorted(organizations)]
    versions: dict[str, int] = {}
    addressed: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, value, organization in cursor.fetchall():
            if organization is None:
                versions[key] = value
            else:
                addressed.add(organization)
    return versions, frozenset(addressed)


def appeal_get(*, viewer: ViewerLike, pk: int) -> Appeal:
    return appeal_access(viewer=viewer, pk=pk).obj


def _issuer_speaker_get(viewer: ViewerLike, pk: int) -> Appeal:
    appeal = appeal_get(viewer=viewer, pk=pk)
    if not as_actor(viewer).has_perm("appeals.send_appeal", appeal):
        raise Http404
    return appeal


def addressee_preview(
    *,
    viewer: ViewerLike,
    appeal: Appeal,
    criteria: Criteria,
    fields: tuple[str, ...] = ORG_FIELDS,
) -> Proposals:
    """What sending with these criteria would do: the organizations, in routing's order, with
    their figures per country and per reason; for those who may send the appeal. `fields` are
    the organizations' fields read (see `route`): a page that shows names and countries alone
    reads SEND_FIELDS, what sending reads. Kept for a minute (addressing/preview.py): paging
    through the preview, or showing one country's, does not route or count again."""
    appeal = _issuer_speaker_get(viewer, appeal.pk)
    return route_kept(appeal.routing_origin(), criteria.clean(), fields=fields)


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
    qs = (
        Pledge.objects.filter(appeal=appeal)
        .select_related("organization")
        .prefetch_related("supports")
    )
    if not access.concerned:
        qs = qs.filter(public=True)
    pledges = list(qs.order_by("created_at", "pk"))
    for pledge in pledges:
        pledge.appeal = appeal  # read once, for the masking and the rules
    return mask(pledges, access.who)


def latest_pledges(access: Access[Appeal], count: int) -> tuple[list[Pledge], int]:
    """The latest `count` pledges the viewer may see, oldest first, and how many the viewer may
    see in all: what the appeal's page shows of them, however many were made. Masked as in
    `pledge_list`."""
    appeal = access.obj
    visible = Pledge.objects.filter(appeal=appeal)
    if not access.concerned:
        visible = visible.filter(public=True)
    # The latest are found first (an index on the appeal and the time), then joined.
    latest = visible.order_by("-created_at", "-pk").values("pk")[:count]
    pledges = list(
        Pledge.objects.filter(pk__in=latest)
        .select_related("organization")
        .prefetch_related("supports")
        .order_by("created_at", "pk")
    )
    total = len(pledges) if len(pledges) < count else visible.count()
    for pledge in pledges:
        pledge.appeal = appeal  # read once, for the masking and the rules
    return mask(pledges, access.who), total


def pledge_get(*, viewer: ViewerLike, pk: int) -> Pledge:
    """A pledge the viewer may see, with its details blanked if the viewer may not read them."""
    who = Viewer(viewer)
    pledge = (
        Pledge.objects.visible_to(who)
        .select_related("appeal", "appeal__organization", "appeal__employer", "organization")
        .prefetch_related("supports")
        .filter(pk=pk)
        .first()
    )
    if pledge is None:
        raise Http404
    return mask([pledge], who)[0]


def response_list(access: Access[Appeal]) -> Sliced[Response]:
    """The answers to an appeal, oldest first, read a slice at a time (the API pages through
    them): for the people of the issuer and of its addressees; nobody else learns who answered
    what. Who pledged, unless the pledge is public, only the issuer and the pledger learn: for
    others the organization comes back blank (see Response.audience)."""
    if not access.concerned:
        return Sliced(Response.objects.none())
    appeal = access.obj

    def masked(responses: list[Response]) -> list[Response]:
        for response in responses:
            response.appeal = appeal  # read once, for the masking
        return mask(responses, access.who)

    return Sliced(
        Response.objects.filter(appeal=appeal)
        .select_related("organization", "passed_to", "pledge")
        .order_by("created_at", "pk"),
        masked,
    )


def latest_responses(access: Access[Appeal], count: int) -> tuple[list[Response], int]:
    """The latest `count` answers, oldest first, and how many there are in all: what the appeal's
    page shows of them, whatever the number of organizations asked. See `response_list`."""
    if not access.concerned:
        return [], 0
    # The latest are found first, then joined: not every answer joined, then sorted.
    latest = Response.objects.filter(appeal=access.obj).order_by("-created_at", "-pk")
    responses = list(
        Response.objects.filter(pk__in=latest.values("pk")[:count])
        .select_related("organization", "passed_to", "pledge")
        .order_by("-created_at", "-pk")
    )
    if len(responses) < count:
        total = len(responses)
    else:
        total = Response.objects.filter(appeal=access.obj).count()
    for response in responses:
        response.appeal = access.obj  # read once, for the masking
    return mask(responses[::-1], access.who), total


def answers_given(access: Access[Appeal], organizations: list[Organization]) -> dict[int, set[str]]:
    """The kinds of answer each of these organizations gave to the appeal."""
    given: dict[int, set[str]] = {}
    if organizations:
        for organization_id, kind in Response.objects.filter(
            appeal=access.obj, organization__in=organizations
        ).values_list("organization_id", "kind"):
            given.setdefault(organization_id, set()).add(kind)
    return given


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
        .prefetch_related("supports")
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
        .prefetch_related("supports")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    )


# The issuer's view ------------------------------------------------------------------------------


@dataclass
class CountryCount:
    code: str  # ISO 3166
    asked: int  # organizations of the country the appeal was sent to
    answered: int  # of them, those that answered in any way

    @property
    def name(self) -> str:
        return country_name(self.code)


@dataclass
class IssuerSummary:
    """What the issuer's summary shows above its list of addressees: figures the database counts,
    as many queries whatever the number of addressees."""

    appeal: Appeal
    asked: int
    answered: int
    responses_by_kind: dict[Response.Kind, int]  # organizations per kind of response
    passes: list[tuple[Organization, Organization]]  # (passed by, passed to), the first ones
    pledges: dict[str, dict[str, int]]  # form → status → pledges carrying that form
    countries: list[CountryCount]  # the addressees' countries, most asked first
    response_timeline: list[tuple[datetime.date, int]]  # (day, responses that day)
    # (country, kind) → organizations of that country that answered so
    answered_by: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def responses_by_country(self) -> dict[str, int]:
        """Organizations that answered, per country, most first."""
        answered = sorted(self.countries, key=lambda c: (-c.answered, c.code))
        return {c.code: c.answered for c in answered if c.answered}

    @property
    def asked_by_country(self) -> list[AddresseeCount]:
        """The countries, with how many organizations of each were asked, most first."""
        return [AddresseeCount(c.code, c.asked) for c in self.countries]

    def listed(self, *, country: str = "", answer: str = "") -> int:
        """How many organizations `addressee_list` gives with these filters, from the figures:
        the list's pages need no count of their own."""
        countries = [c for c in self.countries if not country or c.code == country.upper()]
        if not answer:
            return sum(c.asked for c in countries)
        if answer == NO_ANSWER:
            return sum(c.asked - c.answered for c in countries)
        return sum(self.answered_by.get((c.code, answer), 0) for c in countries)


# The summary lists at most this many passes from one organization to another.
PASSES_SHOWN = 50


def _answered(appeal: Appeal, kind: str = "") -> Exists:
    """Whether the addressee's organization answered the appeal (in that way)."""
    responses = Response.objects.filter(appeal=appeal, organization=OuterRef("organization_id"))
    return Exists(responses.filter(kind=kind) if kind else responses)


def issuer_summary(access: Access[Appeal]) -> IssuerSummary:
    """Who was asked, who answered and how, and what was pledged, counted by the database: for
    the issuing organization's people (all roles: members and observers read it too). The
    addressees themselves, a page at a time, come from `addressee_list`; what was received, the
    summary page shows through aid's template tags."""
    if not access.owner:
        raise Http404
    appeal = access.obj
    # Counted in the index (appeal, country, …) of the addressees: no organization read.
    asked = addressee_countries(Addressee, appeal)
    responses = Response.objects.filter(appeal=appeal).order_by()
    # Only an organization the appeal was sent to answers it; an organization answers in several
    # ways (acknowledged, then pledged twice): each is counted once per country, and once per
    # country and kind, in one pass over the answers.
    kinds = Response.Kind.values
    per_kind = {
        f"n_{kind}": Count("organization", distinct=True, filter=Q(kind=kind)) for kind in kinds
    }
    answered: dict[str, int] = {}
    answered_by: dict[tuple[str, str], int] = {}
    by_kind: Counter[str] = Counter()
    rows = responses.values("organization__country").annotate(
        n=Count("organization", distinct=True), **per_kind
    )
    for row in cast(Iterable[dict[str, Any]], rows):
        country = str(row["organization__country"])
        answered[country] = row["n"]
        for kind in kinds:
            if row[f"n_{kind}"]:
                answered_by[(country, kind)] = row[f"n_{kind}"]
                by_kind[kind] += row[f"n_{kind}"]  # an organization has one country
    countries = [
        CountryCount(code=c.code, asked=c.count, answered=answered.get(c.code, 0)) for c in asked
    ]
    passes = (
        responses.filter(kind=Response.Kind.PASSED, passed_to__isnull=False)
        .select_related("organization", "passed_to")
        .order_by("created_at", "pk")[:PASSES_SHOWN]
    )
    return IssuerSummary(
        appeal=appeal,
        asked=sum(c.asked for c in countries),
        answered=sum(c.answered for c in countries),
        responses_by_kind={Response.Kind(kind): by_kind[kind] for kind in kinds if by_kind[kind]},
        passes=[(r.organization, r.passed_to) for r in passes],  # type: ignore[misc]
        pledges=pledge_counts(appeal),
        countries=countries,
        response_timeline=_per_day(responses),
        answered_by=answered_by,
    )


def _per_day(responses: QuerySet[Response]) -> list[tuple[datetime.date, int]]:
    """Responses per day in the reader's time zone. The database counts them per minute (UTC,
    the first 16 characters of the time as text, the same on both databases): time zones differ
    by whole minutes, and a database converting every row to a zone calls Python for each on
    SQLite. The minutes are then put in their local day."""
    minute = Substr(Cast("created_at", CharField()), 1, 16)
    days: Counter[datetime.date] = Counter()
    for at, n in responses.annotate(minute=minute).values_list("minute").annotate(n=Count("pk")):
        utc = datetime.datetime.fromisoformat(at).replace(tzinfo=datetime.UTC)
        days[timezone.localdate(utc)] += n
    return sorted(days.items())


def pledge_counts(appeal: Appeal) -> dict[str, dict[str, int]]:
    """The appeal's pledges, counted per form of support and status: form → status → the
    pledges carrying that form."""
    # A pledge of several forms counts under each of them.
    pledges: dict[str, dict[str, int]] = {}
    for form, status, n in (
        PledgeSupport.objects.filter(pledge__appeal=appeal)
        .order_by()
        .values_list("form", "pledge__status")
        .annotate(n=Count("pk"))
    ):
        pledges.setdefault(form, {})[status] = n
    return pledges


# What `addressee_list` takes as `answer`, beside the kinds of response.
NO_ANSWER = "none"


def addressee_list(
    access: Access[Appeal], *, country: str = "", answer: str = ""
) -> QuerySet[Addressee]:
    """The organizations the appeal was sent to, for the issuer's people, in the order they were
    chosen (the first send's strongest reasons first, then the widenings), filtered by country
    and by answer (a kind of response, or NO_ANSWER). Page through it (`IssuerSummary.listed`
    says how many); `with_answers` adds what each organization of a page answered."""
    if not access.owner:
        raise Http404
    appeal = access.obj
    qs = addressees_of(Addressee, appeal, country=country)
    if answer == NO_ANSWER:
        qs = qs.filter(~_answered(appeal))
    elif answer:
        # Found from the answers of that kind (a few), not by asking each addressee in turn.
        qs = qs.filter(
            organization_id__in=Response.objects.filter(appeal=appeal, kind=answer).values(
                "organization_id"
            )
        )
    # What a row shows of the organizations: their names, not every column of a hundred of them.
    return qs.select_related("organization", "passed_by").only(
        *ROW_FIELDS,
        "organization__name",
        "organization__slug",
        "passed_by__name",
        "passed_by__slug",
    )


ROW_FIELDS = ("organization", "passed_by", "reasons", "ring", "delivered_at", "country")


@dataclass
class AddresseeRow:
    organization: Organization
    country: str  # ISO 3166
    reasons: list[Reason]
    ring: int
    passed_by: Organization | None
    delivered: bool
    responses: list[Response.Kind] = field(default_factory=list)

    @property
    def country_name(self) -> str:
        return country_name(self.country)


def with_answers(appeal: Appeal, addressees: Iterable[Addressee]) -> list[AddresseeRow]:
    """Rows of the summary's list: each addressee with its reasons and what it answered, in one
    query for them all."""
    rows = [
        AddresseeRow(
            organization=a.organization,
            country=a.country,
            reasons=[Reason.from_json(r) for r in a.reasons],
            ring=a.ring,
            passed_by=a.passed_by,
            delivered=a.delivered_at is not None,
        )
        for a in addressees
    ]
    by_org = {row.organization.pk: row for row in rows}
    answers = (
        Response.objects.filter(appeal=appeal, organization_id__in=list(by_org))
        .order_by("created_at", "pk")
        .values_list("organization_id", "kind")
    )
    for organization_id, kind in answers:
        row = by_org[organization_id]
        if kind not in row.responses:
            row.responses.append(Response.Kind(kind))
    return rows
