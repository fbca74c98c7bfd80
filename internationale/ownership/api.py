"""The REST API of ownership. Statuses and the error format are described in internationale/core/api.py.

An organization's exports: its admins start one, follow it and download it once, giving their
password (or second-factor code) again in the body of the download. Anyone else: 404, as if the
organization had no exports.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.accounts.forms import ConfirmIdentityForm
from internationale.core.actors import user_of
from internationale.core.api import CONFLICT, ERRORS, Pagination, choice_of, idempotency_header
from internationale.organizations.api import organization_for

from . import person, selectors, services
from .models import Export
from .views import PERM, archive_response

router = Router(tags=["ownership"])


class ExportOut(Schema):
    id: int
    status: choice_of(Export.Status)  # type: ignore[valid-type]
    progress: int = Field(description="How far the writing is, in percent.")
    include_emails: bool
    created_at: datetime.datetime
    expires_at: datetime.datetime = Field(description="After this, it cannot be downloaded.")
    finished_at: datetime.datetime | None
    downloaded_at: datetime.datetime | None
    size: int = Field(description="Bytes of the archive, once ready.")
    sha256: str = Field(description="SHA-256 of the archive, once ready.")


class ExportIn(Schema):
    include_emails: bool = Field(
        False,
        description=(
            "Put e-mail addresses in: the members', and those of the campaign signers who "
            "consented to the organization."
        ),
    )
    confirm_emails: bool = Field(
        False, description="Required true with include_emails: the addresses go into the archive."
    )


class IdentityIn(Schema):
    password: str = Field("", max_length=4096, description="Your password, again.")
    code: str = Field(
        "", max_length=100, description="With two-factor authentication: a code or recovery code."
    )


def _exports(request: ApiRequest, slug: str) -> QuerySet[Export]:
    organization = organization_for(request, slug, PERM)
    return selectors.export_list(viewer=request.auth, organization=organization)


@router.get(
    "/organizations/{slug}/exports",
    response={200: list[ExportOut], **ERRORS},
    url_name="ownership_export_list",
)
@paginate(Pagination)
def ownership_export_list(request: ApiRequest, slug: str) -> QuerySet[Export]:
    """The organization's exports, the latest first: for its admins."""
    return _exports(request, slug)


@router.post(
    "/organizations/{slug}/exports",
    response={201: ExportOut, **ERRORS, **CONFLICT},
    url_name="ownership_export_start",
)
def ownership_export_start(
    request: ApiRequest,
    slug: str,
    payload: ExportIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Export]:
    """Start writing an archive of everything the organization owns, in the background. Follow
    it with the export's own address; one export at a time."""
    organization = organization_for(request, slug, PERM)
    if payload.include_emails and not payload.confirm_emails:
        raise ValidationError(
            {"confirm_emails": [_("Confirm that the e-mail addresses go into the archive.")]},
            code="emails_not_confirmed",
        )
    export = services.export_start(
        actor=request.auth,
        organization=organization,
        include_emails=payload.include_emails,
        submission_key=idempotency_key,
    )
    return Status(201, export)


@router.get(
    "/organizations/{slug}/exports/{pk}",
    response={200: ExportOut, **ERRORS},
    url_name="ownership_export_detail",
)
def ownership_export_detail(request: ApiRequest, slug: str, pk: int) -> Export:
    """One export: its status and progress."""
    return selectors.export_get(
        viewer=request.auth, organization=organization_for(request, slug, PERM), pk=pk
    )


@router.post(
    "/organizations/{slug}/exports/{pk}/download",
    response={200: None, **ERRORS},
    url_name="ownership_export_download",
    openapi_extra={
        "responses": {"200": {"description": "The archive (application/zip), sent once."}}
    },
)
def ownership_export_download(
    request: ApiRequest, slug: str, pk: int, payload: IdentityIn
) -> StreamingHttpResponse:
    """The archive, once: after that, or after 24 hours, it is gone. Give your password (or,
    with two-factor authentication, a code) again: a token alone does not take the data away."""
    export = selectors.export_get(
        viewer=request.auth, organization=organization_for(request, slug, PERM), pk=pk
    )
    _confirm_identity(request, payload)
    return archive_response(services.export_download(actor=request.auth, export=export), export)


# A person's own data ----------------------------------------------------------------------------


class AccountDeleteIn(IdentityIn):
    confirm: bool = Field(False, description="Required true: the account is deleted for good.")


def _confirm_identity(request: ApiRequest, payload: IdentityIn) -> None:
    identity = ConfirmIdentityForm(
        {"password": payload.password, "code": payload.code}, user=user_of(request.auth)
    )
    if not identity.is_valid():
        raise ValidationError({field: list(errors) for field, errors in identity.errors.items()})


@router.post("/me/data", response={200: dict, **ERRORS}, url_name="person_data_export")
def person_data_export(request: ApiRequest, payload: IdentityIn) -> dict:  # type: ignore[type-arg]
    """Your own data as JSON: profile, memberships, what you wrote in the organizations you
    belong to, the audit entries about you. Give your password (or a code) again."""
    _confirm_identity(request, payload)
    return person.person_data(actor=request.auth)


@router.post("/me/delete", response={204: None, **ERRORS}, url_name="account_delete")
def account_delete(request: ApiRequest, payload: AccountDeleteIn) -> Status[None]:
    """Delete your account for good: you leave every organization (refused while you are the
    last admin of one), and what you wrote stays with them, attributed to "a former member"."""
    if not payload.confirm:
        raise ValidationError(
            {"confirm": [_("Confirm that the account is deleted for good.")]}, code="unconfirmed"
        )
    _confirm_identity(request, payload)
    person.account_delete(actor=request.auth)
    return Status(204, None)


from .api_erase import router as _erase  # noqa: E402 - each part of the app adds its router
from .api_pending import router as _pending  # noqa: E402

router.add_router("", _erase)
router.add_router("", _pending)
