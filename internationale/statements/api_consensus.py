"""The REST API on positions, consensus and signatures.

As on the pages: a statement the caller may not see answers 404; positions and the consensus are
read by the participants only (403 for others who see the statement); an action reserved to
other roles, 403; refused input, 400 with the errors by field.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
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
from internationale.core.services import require
from internationale.core.visibility import Access
from internationale.organizations.api import OrganizationRef
from internationale.organizations.models import Organization

from . import consensus, selectors
from .models import Position, Signature, Statement

router = Router(tags=["statements"])
WITH_403 = {403: ErrorOut, **ERRORS}


class CallIn(Schema):
    positions_until: datetime.datetime | None = Field(
        None,
        description="A new deadline for positions (with its offset); left out: the current one.",
    )


class CalledOut(Schema):
    status: str
    version: int = Field(description="The number of the version positions are called on.")
    positions_until: datetime.datetime


class PositionIn(Schema):
    organization: str = Field(max_length=80, description="The participating organization's slug.")
    stance: choice_of(Position.Stance)  # type: ignore[valid-type]
    text: str = Field(
        "", max_length=10000, description="Reservations, or the reason for a block (required)."
    )
    publish_reservations: bool = False
    version: int | None = Field(
        None,
        ge=1,
        description="The version you read; if it is not the one positions are called on, the "
        "position is refused as outdated.",
    )


class PositionOut(Schema):
    organization: OrganizationRef
    version: int
    stance: choice_of(Position.Stance)  # type: ignore[valid-type]
    text: str
    publish_reservations: bool
    stated_at: datetime.datetime

    @staticmethod
    def resolve_version(obj: Position) -> int:
        return obj.version.number


class ConsensusOut(Schema):
    status: str
    version: int | None = Field(description="The version positions are called on, if they are.")
    positions_until: datetime.datetime
    positions: list[PositionOut]
    silent: list[OrganizationRef] = Field(description="Participants that have not answered.")
    agreements: int
    min_agree: int
    silence_stands_aside: bool
    deadline_passed: bool
    adopted: bool
    missing: list[str] = Field(description="What adoption still needs, in words.")


class SignatureOut(Schema):
    id: int
    organization: OrganizationRef
    country: str = Field(description="ISO 3166 code of the signatory's country.")
    source: choice_of(Signature.Source)  # type: ignore[valid-type]
    reservations: str = Field(description="Reservations the organization chose to publish.")
    signed_at: datetime.datetime


class SignIn(Schema):
    organization: str = Field(max_length=80, description="The signing organization's slug.")


class DeclineIn(Schema):
    reason: str = Field(min_length=1, max_length=10000)


def _organization(slug: str) -> Organization:
    found = Organization.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({"organization": _("No organization has this address.")})
    return found


def _participant_access(request: ApiRequest, pk: int) -> Access[Statement]:
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    if not access.concerned:
        raise PermissionDenied(_("Only the participants read the positions."))
    return access


def _consensus(statement: Statement) -> dict[str, Any]:
    """What ConsensusOut answers (validated by the router on the way out)."""
    found = consensus.consensus_of(statement)
    return {
        "status": statement.status,
        "version": found.version.number if found.version else None,
        "positions_until": statement.positions_until,
        "positions": found.positions,
        "silent": found.silent,
        "agreements": found.agreements,
        "min_agree": statement.min_agree,
        "silence_stands_aside": statement.silence_stands_aside,
        "deadline_passed": found.deadline_passed,
        "adopted": statement.status == Statement.Status.ADOPTED,
        "missing": [str(m) for m in found.missing],
    }


@router.post(
    "/statements/{pk}/positions/call",
    response={200: CalledOut, **WITH_403},
    url_name="statement_positions_call",
)
def statement_positions_call(request: ApiRequest, pk: int, payload: CallIn) -> CalledOut:
    """Call positions on the current version, once enough organizations support the draft: for
    those who speak for the initiator. Every participant is told."""
    statement = selectors.statement_get(viewer=request.auth, pk=pk)
    require(request.auth, "statements.call_positions", statement)
    called = consensus.positions_call(
        actor=request.auth, statement=statement, positions_until=payload.positions_until
    )
    assert called.positions_version is not None
    return CalledOut(
        status=called.status,
        version=called.positions_version.number,
        positions_until=called.positions_until,
    )


@router.get(
    "/statements/{pk}/positions",
    response={200: list[PositionOut], **WITH_403},
    url_name="statement_position_list",
)
def statement_position_list(request: ApiRequest, pk: int) -> list[Position]:
    """The positions stated on the version called: for the participants."""
    access = _participant_access(request, pk)
    return consensus.consensus_of(access.obj).positions


@router.post(
    "/statements/{pk}/positions",
    response={200: ConsensusOut, **WITH_403},
    url_name="statement_position_state",
)
def statement_position_state(request: ApiRequest, pk: int, payload: PositionIn) -> dict[str, Any]:
    """State or change (until the deadline) the position of a participating organization you
    speak for, on the version called. Answers the consensus after it: the statement may be
    adopted by this position."""
    statement = selectors.statement_get(viewer=request.auth, pk=pk)
    require(request.auth, "statements.state_position", statement)
    consensus.position_state(
        actor=request.auth,
        statement=statement,
        organization=_organization(payload.organization),
        stance=payload.stance,
        text=payload.text,
        publish_reservations=payload.publish_reservations,
        version=payload.version,
    )
    statement.refresh_from_db()
    return _consensus(statement)


@router.get(
    "/statements/{pk}/consensus",
    response={200: ConsensusOut, **WITH_403},
    url_name="statement_consensus",
)
def statement_consensus(request: ApiRequest, pk: int) -> dict[str, Any]:
    """Who answered what, who is silent, and what adoption still needs: for the participants."""
    return _consensus(_participant_access(request, pk).obj)


@router.get(
    "/statements/{pk}/signatures",
    response={200: list[SignatureOut], **ERRORS},
    url_name="statement_signature_list",
)
@paginate(Pagination)
def statement_signature_list(request: ApiRequest, pk: int) -> QuerySet[Signature]:
    """The signatories of a statement you may see, by country."""
    return consensus.signature_list(selectors.statement_access(viewer=request.auth, pk=pk))


@router.post(
    "/statements/{pk}/signatures",
    response={201: SignatureOut, **WITH_403, **CONFLICT},
    url_name="statement_sign",
)
def statement_sign(
    request: ApiRequest,
    pk: int,
    payload: SignIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Signature]:
    """Add the signature of a verified organization you speak for to an adopted statement; the
    initiator is told and may decline it. One signature per organization."""
    statement = selectors.statement_get(viewer=request.auth, pk=pk)
    require(request.auth, "statements.sign_statement", statement)
    signature = consensus.signature_add(
        actor=request.auth,
        statement=statement,
        organization=_organization(payload.organization),
        submission_key=idempotency_key,
    )
    return Status(201, signature)


@router.post(
    "/statements/{pk}/signatures/{signature}/decline",
    response={200: SignatureOut, **WITH_403},
    url_name="statement_signature_decline",
)
def statement_signature_decline(
    request: ApiRequest, pk: int, signature: int, payload: DeclineIn
) -> Signature:
    """Decline a signature added after adoption, with a reason: for those who speak for the
    initiator. It is no longer listed, and the organization cannot sign again."""
    statement = selectors.statement_get(viewer=request.auth, pk=pk)
    require(request.auth, "statements.decline_signature", statement)
    found = consensus.signature_get(statement=statement, pk=signature)
    return consensus.signature_decline(actor=request.auth, signature=found, reason=payload.reason)
