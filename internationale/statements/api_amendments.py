"""The REST API on amendments and versions of statements: list and read versions, compare two
(word by word, as structured pieces), revise the text; list, propose, read, decide, rebase and
withdraw amendments.

As on the pages: what the caller may not see answers 404; what it sees but may not do, 403;
refused input, 400 with the errors by field.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.organizations.api import OrganizationRef
from internationale.organizations.models import Organization

from . import amendments, diff, selectors
from .models import Amendment, Statement, Version

router = Router(tags=["statements"])
WITH_403 = {403: ErrorOut, **ERRORS}


class StatementsVersionOut(Schema):
    number: int
    title: str
    paragraphs: list[str] = Field(description="The paragraphs in order, in Markdown.")
    note: str = Field(description="Why it was made.")
    amendment: int | None = Field(description="The amendment whose decision made it, if one did.")
    is_adopted: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_amendment(obj: Version) -> int | None:
        return obj.amendment_id


class AmendmentOut(Schema):
    id: int
    statement: int
    version: int = Field(description="The number of the version it is written against.")
    paragraph: int = Field(description="From 1; 0 for an insertion before the first.")
    kind: choice_of(Amendment.Kind)  # type: ignore[valid-type]
    text: str
    reason: str
    organization: OrganizationRef
    status: choice_of(Amendment.Status)  # type: ignore[valid-type]
    decision_reason: str
    decided_at: datetime.datetime | None
    result_version: int | None = Field(description="The version its acceptance made.")
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_statement(obj: Amendment) -> int:
        return obj.statement_id

    @staticmethod
    def resolve_version(obj: Amendment) -> int:
        return obj.version.number

    @staticmethod
    def resolve_result_version(obj: Amendment) -> int | None:
        return obj.result_version.number if obj.result_version else None

    @staticmethod
    def resolve_url(obj: Amendment) -> str:
        return absolute_url(obj.get_absolute_url())


class PieceOut(Schema):
    op: Literal["equal", "delete", "insert"]
    text: str


class ParagraphDiffOut(Schema):
    old: int | None = Field(description="Its number in the first version; null if added.")
    new: int | None = Field(description="Its number in the second version; null if removed.")
    op: Literal["equal", "change", "delete", "insert"]
    pieces: list[PieceOut]


class CompareOut(Schema):
    from_version: int
    to_version: int
    paragraphs: list[ParagraphDiffOut]


class ProposeIn(Schema):
    organization: str = Field(max_length=80, description="The slug of the invited organization.")
    version: int = Field(ge=1, description="The current version's number.")
    paragraph: int = Field(ge=0, le=10_000)
    kind: choice_of(Amendment.Kind)  # type: ignore[valid-type]
    text: str = Field("", max_length=10_000, description="Not for a deletion.")
    reason: str = Field(min_length=1, max_length=5000)


class DecisionIn(Schema):
    decision: Literal["accept", "reject", "merge"]
    reason: str = Field("", max_length=5000, description="Needed to reject.")
    text: str = Field("", max_length=10_000, description="The merged paragraph, to merge.")


class RebaseIn(Schema):
    paragraph: int = Field(ge=0, le=10_000)
    kind: choice_of(Amendment.Kind) | None = None  # type: ignore[valid-type]
    text: str = Field("", max_length=10_000)
    reason: str | None = Field(None, min_length=1, max_length=5000)


class ReviseIn(Schema):
    paragraphs: list[str] = Field(min_length=1, max_length=400)
    note: str = Field(min_length=1, max_length=5000)


def _statement(request: ApiRequest, pk: int) -> Statement:
    return selectors.statement_get(viewer=request.auth, pk=pk)


def _amendment(request: ApiRequest, pk: int) -> Amendment:
    return amendments.amendment_get(viewer=request.auth, pk=pk)


# Versions ----------------------------------------------------------------------------------------


@router.get(
    "/statements/{pk}/versions",
    response={200: list[StatementsVersionOut], **ERRORS},
    url_name="statement_version_list",
)
@paginate(Pagination)
def statement_version_list(request: ApiRequest, pk: int) -> QuerySet[Version]:
    """The versions of a statement you may read, the latest first (participants: all of them;
    others: the adopted one)."""
    return amendments.version_list(viewer=request.auth, statement=_statement(request, pk))


@router.get(
    "/statements/{pk}/versions/{number}",
    response={200: StatementsVersionOut, **ERRORS},
    url_name="statement_version_detail",
)
def version_detail(request: ApiRequest, pk: int, number: int) -> Version:
    """One version of a statement."""
    statement = _statement(request, pk)
    return selectors.version_get(viewer=request.auth, statement=statement, number=number)


@router.get(
    "/statements/{pk}/compare",
    response={200: CompareOut, **ERRORS},
    url_name="statement_version_compare",
)
def version_compare(
    request: ApiRequest,
    pk: int,
    first: int = Query(..., alias="from", ge=1, le=1_000_000),
    second: int = Query(..., alias="to", ge=1, le=1_000_000),
) -> dict[str, object]:
    """Two versions compared paragraph by paragraph, word by word, in every script: each
    paragraph's pieces, equal, deleted or inserted. 404 for a version that does not exist."""
    statement = _statement(request, pk)
    old = selectors.version_get(viewer=request.auth, statement=statement, number=first)
    new = selectors.version_get(viewer=request.auth, statement=statement, number=second)
    return {
        "from_version": old.number,
        "to_version": new.number,
        "paragraphs": [
            {"old": p.old, "new": p.new, "op": p.op, "pieces": p.pieces}
            for p in diff.compare_kept(old.paragraphs, new.paragraphs)
        ],
    }


@router.post(
    "/statements/{pk}/revise",
    response={201: StatementsVersionOut, **WITH_403},
    url_name="statement_revise",
)
def statement_revise(request: ApiRequest, pk: int, payload: ReviseIn) -> Status[Version]:
    """Rewrite the whole text as the next version, with a note: for those who speak for the
    initiator. Open amendments then need rebasing; if positions were called, the statement is
    drafted again and the initiator calls them on the new version."""
    statement = _statement(request, pk)
    require(request.auth, "statements.change_statement", statement)
    version = amendments.statement_revise(
        actor=request.auth, statement=statement, paragraphs=payload.paragraphs, note=payload.note
    )
    return Status(201, version)


# Amendments --------------------------------------------------------------------------------------


def _out(amendment: Amendment) -> Amendment:
    return Amendment.objects.select_related("organization", "version", "result_version").get(
        pk=amendment.pk
    )


@router.get(
    "/statements/{pk}/amendments",
    response={200: list[AmendmentOut], **ERRORS},
    url_name="amendment_list",
)
@paginate(Pagination)
def amendment_list(request: ApiRequest, pk: int) -> QuerySet[Amendment]:
    """The amendments to a statement, for its participants, by version and paragraph."""
    return amendments.amendment_list(viewer=request.auth, statement=_statement(request, pk))


@router.post(
    "/statements/{pk}/amendments",
    response={201: AmendmentOut, **WITH_403, **CONFLICT},
    url_name="amendment_propose",
)
def amendment_propose(
    request: ApiRequest,
    pk: int,
    payload: ProposeIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Amendment]:
    """Propose an amendment to a paragraph of the current version, for an invited organization
    you speak for. Refused for an outdated version, a paragraph that does not exist, a statement
    whose amendments are closed."""
    statement = _statement(request, pk)
    require(request.auth, "statements.propose_amendment", statement)
    organization = Organization.objects.filter(slug=payload.organization).first()
    if organization is None:
        raise ValidationError(
            {"organization": _("No organization has this address.")}, code="unknown"
        )
    amendment = amendments.amendment_propose(
        actor=request.auth,
        statement=statement,
        organization=organization,
        version=payload.version,
        paragraph=payload.paragraph,
        kind=payload.kind,
        text=payload.text,
        reason=payload.reason,
        submission_key=idempotency_key,
    )
    return Status(201, _out(amendment))


@router.get("/amendments/{pk}", response={200: AmendmentOut, **ERRORS}, url_name="amendment_detail")
def amendment_detail(request: ApiRequest, pk: int) -> Amendment:
    """An amendment, for the statement's participants."""
    return _amendment(request, pk)


@router.post(
    "/amendments/{pk}/decision",
    response={200: AmendmentOut, **WITH_403},
    url_name="amendment_decide",
)
def amendment_decide(request: ApiRequest, pk: int, payload: DecisionIn) -> Amendment:
    """Accept, reject (with a reason) or merge by hand (with the paragraph's text) an open
    amendment: for those who speak for the initiator. Accepting or merging makes a new
    version."""
    amendment = _amendment(request, pk)
    require(request.auth, "statements.decide_amendment", amendment.statement)
    decided = amendments.amendment_decide(
        actor=request.auth,
        amendment=amendment,
        decision=payload.decision,
        reason=payload.reason,
        text=payload.text,
    )
    return _out(decided)


def _proposer(request: ApiRequest, pk: int) -> Amendment:
    amendment = _amendment(request, pk)
    if role_in(request.auth, amendment.organization_id) not in SPEAKING_ROLES:
        raise PermissionDenied(_("Only those who speak for the proposing organization can."))
    return amendment


@router.post(
    "/amendments/{pk}/rebase", response={200: AmendmentOut, **WITH_403}, url_name="amendment_rebase"
)
def amendment_rebase(request: ApiRequest, pk: int, payload: RebaseIn) -> Amendment:
    """Restate an amendment that needs rebasing against the current version: it is open
    again. For those who speak for the proposing organization."""
    amendment = _proposer(request, pk)
    return _out(
        amendments.amendment_rebase(
            actor=request.auth,
            amendment=amendment,
            paragraph=payload.paragraph,
            kind=payload.kind,
            text=payload.text,
            reason=payload.reason,
        )
    )


@router.post(
    "/amendments/{pk}/withdraw",
    response={200: AmendmentOut, **WITH_403},
    url_name="amendment_withdraw",
)
def amendment_withdraw(request: ApiRequest, pk: int) -> Amendment:
    """Withdraw an amendment still waiting for a decision: for those who speak for the proposing
    organization."""
    amendment = _proposer(request, pk)
    return _out(amendments.amendment_withdraw(actor=request.auth, amendment=amendment))
