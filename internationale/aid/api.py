"""The REST API on material aid: aid declared sent against a pledge, and its receipt confirmed by
the issuing organization. Under the same paths as the appeals it belongs to (docs/api.md).

Statuses and the error format are described in internationale/core/api.py. A pledge or
contribution the caller may not see answers 404, as if it did not exist; one the caller sees but
may not act on answers 403. A pledge's `receipts` (appeals/api.py) come from here too: see
apps.py.
"""

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from internationale.accounts.api import ApiRequest
from internationale.appeals.api import WITH_403, OrganizationRef
from internationale.appeals.selectors import appeal_get, pledge_get
from internationale.core.api import CONFLICT, ERRORS, Amount, Pagination, idempotency_header

from . import selectors, services
from .models import Contribution

router = Router(tags=["appeals"])


def _require_object(data: Any) -> None:
    """A body read by hand is a JSON object, as ninja requires of the rest."""
    if not isinstance(data, dict):
        raise ValidationError(_("The request body must be a JSON object."), code="invalid")


class ContributionOut(Schema):
    id: int
    pledge: int
    organization: OrganizationRef
    amount: Amount | None
    currency: str
    goods: str
    reference: str
    confirmed_at: datetime.datetime | None
    fulfilled_pledge: bool = Field(description="Confirming it fulfilled its pledge.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_pledge(obj: Contribution) -> int:
        return obj.pledge_id


class ConfirmIn(Schema):
    completes_pledge: bool | None = Field(
        None,
        description="true: this completes the pledge, which becomes fulfilled; false: the pledge "
        "stays pledged. Left out or null: fulfilled when the confirmed money in the pledge's "
        "currency reaches the amount pledged (never for goods, nor across currencies).",
    )


class ContributionIn(Schema):
    amount: Amount | None = None
    currency: str = Field("", max_length=3, description="ISO 4217 code.")
    goods: str = Field("", max_length=5000)
    reference: str = Field("", max_length=200)


@router.get(
    "/appeals/{pk}/contributions",
    response={200: list[ContributionOut], **ERRORS},
    url_name="contribution_list",
)
@paginate(Pagination)
def contribution_list(request: ApiRequest, pk: int) -> QuerySet[Contribution]:
    """Aid sent against the appeal's pledges: all of it for the issuer, your own for a giver."""
    return selectors.contribution_list(
        viewer=request.auth, appeal=appeal_get(viewer=request.auth, pk=pk)
    )


@router.post(
    "/pledges/{pk}/contributions",
    response={201: ContributionOut, **WITH_403, **CONFLICT},
    url_name="contribution_declare",
)
def contribution_declare(
    request: ApiRequest,
    pk: int,
    payload: ContributionIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Contribution]:
    """Declare material aid sent against a pledge. It counts as received once the issuer
    confirms it."""
    pledge = pledge_get(viewer=request.auth, pk=pk)
    contribution = services.contribution_declare(
        actor=request.auth, pledge=pledge, **payload.dict(), submission_key=idempotency_key
    )
    return Status(201, contribution)


def _confirm_in(request: ApiRequest) -> ConfirmIn:
    """The optional body of a confirmation, as JSON or form data: none at all is `{}`."""
    if request.content_type != "application/json":
        data: Any = {k: v for k, v in request.POST.items() if k == "completes_pledge"}
    elif not request.body.strip():
        data = {}
    else:
        try:
            data = json.loads(request.body)
        except ValueError:
            raise ValidationError(
                _("The request body is not valid JSON."), code="invalid"
            ) from None
    _require_object(data)
    try:
        return ConfirmIn.model_validate(data)
    except PydanticValidationError as error:
        raise SchemaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors()]
        ) from None


@router.post(
    "/contributions/{pk}/confirm",
    response={200: ContributionOut, **WITH_403},
    url_name="contribution_confirm",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": ConfirmIn.model_json_schema()}},
        }
    },
)
def contribution_confirm(request: ApiRequest, pk: int) -> Contribution:
    """Confirm receipt of aid: for those who speak for the issuing organization. The body may be
    left out. Say whether this completes the pledge with `completes_pledge`; by default, the
    pledge is fulfilled once the confirmed money in its currency covers the amount pledged. A
    pledge already fulfilled or withdrawn stays as it is."""
    contribution = selectors.contribution_get(viewer=request.auth, pk=pk)
    payload = _confirm_in(request)
    return services.contribution_confirm(
        actor=request.auth, contribution=contribution, completes_pledge=payload.completes_pledge
    )
