"""The REST API of library: docs. Routes are declared here, registered in web/api.py.

Documents of the library: the list of those you may read, reading one, adding one for an
organization you speak for, changing and deleting it, its files (listed for its readers, added as
multipart/form-data and removed by its organization's speakers, with the checks of the pages),
addressing it (as appeals are addressed), and your weekly digest. Statuses and the error format are described in internationale/core/api.py.
A document you may not read answers 404, as if it did not exist; one you read but may not change
answers 403. With an API token, the token's organization acts, and no other of the same person.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn
from internationale.addressing.routing import Reason
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.models import Visibility
from internationale.core.services import require
from internationale.organizations.api import OrganizationRef, organization_for
from internationale.organizations.models import Organization

from . import selectors, selectors_docs, services
from .models import DigestChoice, Document, DocumentAddressee, DocumentFile

router = Router(tags=["library"])
WITH_403 = {403: ErrorOut, **ERRORS}


class FileOut(Schema):
    id: int
    name: str
    size: int = Field(description="In bytes.")
    url: str = Field(description="The file, for those who may read the document.")

    @staticmethod
    def resolve_url(obj: DocumentFile) -> str:
        return absolute_url(f"/library/{obj.document_id}/files/{obj.pk}/")


class LibraryDocumentOut(Schema):
    id: int
    kind: choice_of(Document.Kind)  # type: ignore[valid-type]
    title: str
    summary: str
    body: str = Field(description="Markdown, in the original's language.")
    language: str = Field(description="The original's language, a BCP 47 tag.")
    visibility: choice_of(Visibility)  # type: ignore[valid-type]
    organization: OrganizationRef = Field(description="The author organization.")
    tags: list[str]
    files: list[FileOut]
    url: str = Field(description="Its page on the platform, an absolute link.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_tags(obj: Document) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_files(obj: Document) -> list[DocumentFile]:
        return list(obj.files.all().defer("text"))

    @staticmethod
    def resolve_url(obj: Document) -> str:
        return absolute_url(obj.get_absolute_url())


class DocumentListOut(Schema):
    id: int
    kind: choice_of(Document.Kind)  # type: ignore[valid-type]
    title: str
    summary: str
    language: str
    visibility: choice_of(Visibility)  # type: ignore[valid-type]
    organization: OrganizationRef
    tags: list[str]
    url: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_tags(obj: Document) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: Document) -> str:
        return absolute_url(obj.get_absolute_url())


class DocumentQuery(Schema):
    kind: choice_of(Document.Kind, blank=True) = ""  # type: ignore[valid-type]
    language: str = Field("", max_length=35, description="A BCP 47 tag: pt finds pt-BR too.")
    organization: str = Field("", max_length=80, description="The author organization's slug.")
    tag: str = Field("", max_length=80, description="A tag's slug.")


class LibraryDocumentIn(Schema):
    kind: choice_of(Document.Kind)  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=1000)
    body: str = Field("", max_length=200_000, description="Markdown.")
    language: str = Field(max_length=35, description="The language it is written in, BCP 47.")
    language_confirmed: bool = Field(
        False,
        description="Keep the language given even when the one detected in the text differs "
        "(otherwise 400 with the code language_unconfirmed on `language`).",
    )
    visibility: choice_of(Visibility) = "network"  # type: ignore[valid-type]
    tags: list[str] = Field(default_factory=list, description="At most 20 tag names.")


class DocumentPatch(Schema):
    """The fields to change; those left out keep their value. null is refused."""

    kind: choice_of(Document.Kind) = LEFT_OUT  # type: ignore[valid-type]
    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    summary: str = Field(LEFT_OUT, max_length=1000)
    body: str = Field(LEFT_OUT, max_length=200_000)
    language: str = Field(LEFT_OUT, max_length=35)
    language_confirmed: bool = False
    visibility: choice_of(Visibility) = LEFT_OUT  # type: ignore[valid-type]
    tags: list[str] = LEFT_OUT


class AddresseeOut(Schema):
    organization: OrganizationRef
    country: str
    reasons: list[str] = Field(description="Why it was addressed, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    added_at: datetime.datetime

    @staticmethod
    def resolve_reasons(obj: DocumentAddressee) -> list[str]:
        return [str(Reason.from_json(r)) for r in obj.reasons]

    @staticmethod
    def resolve_codes(obj: DocumentAddressee) -> list[str]:
        return [r[0] for r in obj.reasons]


class DigestIn(Schema):
    weekly: bool
    kinds: list[choice_of(Document.Kind)] = Field(  # type: ignore[valid-type]
        default_factory=list, description="None: every kind."
    )
    languages: list[str] = Field(default_factory=list, description="None: every language.")


class DigestOut(Schema):
    weekly: bool
    kinds: list[str]
    languages: list[str]
    last_sent_at: datetime.datetime | None


def _document(request: ApiRequest, pk: int) -> Document:
    return selectors_docs.document_get(viewer=request.auth, pk=pk)


@router.get(
    "/library/documents", response={200: list[DocumentListOut], **ERRORS}, url_name="document_list"
)
@paginate(Pagination)
def document_list(request: ApiRequest, filters: Query[DocumentQuery]) -> QuerySet[Document]:
    """The documents you may read, the newest first."""
    return selectors_docs.document_list(
        viewer=request.auth, filters=selectors_docs.DocumentFilters(**filters.dict())
    )


@router.post(
    "/organizations/{slug}/documents",
    response={201: LibraryDocumentOut, **ERRORS, **CONFLICT},
    url_name="document_create",
)
def document_create(
    request: ApiRequest,
    slug: str,
    payload: LibraryDocumentIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Document]:
    """Add a document of a verified organization you speak for. An addressed one is then
    addressed with POST /library/documents/{id}/addressees."""
    organization: Organization = organization_for(request, slug, "library.add_document")
    document = services.document_create(
        actor=request.auth,
        organization=organization,
        **payload.dict(),
        submission_key=idempotency_key,
    )
    return Status(201, document)


@router.get(
    "/library/documents/{pk}",
    response={200: LibraryDocumentOut, **ERRORS},
    url_name="document_detail",
)
def document_detail(request: ApiRequest, pk: int) -> Document:
    """A document you may read, in its original language."""
    return _document(request, pk)


@router.patch(
    "/library/documents/{pk}",
    response={200: LibraryDocumentOut, **WITH_403},
    url_name="document_update",
)
def document_update(request: ApiRequest, pk: int, payload: DocumentPatch) -> Document:
    """Change a document: for those who speak for its organization."""
    fields = payload.dict(exclude_unset=True)
    return services.document_update(
        actor=request.auth,
        document=_document(request, pk),
        language_confirmed=fields.pop("language_confirmed", False),
        **fields,
    )


@router.delete(
    "/library/documents/{pk}", response={204: None, **WITH_403}, url_name="document_delete"
)
def document_delete(request: ApiRequest, pk: int) -> Status[None]:
    """Delete a document, its translations and its files: for those who speak for its
    organization."""
    services.document_delete(actor=request.auth, document=_document(request, pk))
    return Status(204, None)


@router.get(
    "/library/documents/{pk}/files",
    response={200: list[FileOut], **ERRORS},
    url_name="document_file_list",
)
@paginate(Pagination)
def document_file_list(request: ApiRequest, pk: int) -> QuerySet[DocumentFile]:
    """The files of a document you may read, in the order they were added (as in its detail)."""
    return selectors.document_files(viewer=request.auth, document=_document(request, pk))


FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, ODT, DOCX or plain text (UTF-8), at most 5 MB, "
                            "with text that can be read: it is kept for search.",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/library/documents/{pk}/files",
    response={201: FileOut, **WITH_403},
    url_name="document_file_add",
    openapi_extra=FILE_BODY,
)
def document_file_add(request: ApiRequest, pk: int) -> Status[DocumentFile]:
    """Add a file to the document (multipart/form-data, in the field `file`): for those who
    speak for its organization. A file of another type, too large, an unsafe archive or one
    whose text cannot be read is refused with 400 on `file`, and nothing is added."""
    document = _document(request, pk)
    require(
        request.auth,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can add files to the document."),
    )
    upload = request.FILES.get("file") if request.content_type == "multipart/form-data" else None
    if upload is None:
        raise ValidationError(
            {"file": _("Send the file as multipart/form-data, in the field “file”.")},
            code="required",
        )
    added = services.document_file_add(actor=request.auth, document=document, upload=upload)
    return Status(201, added)


@router.delete(
    "/library/documents/{pk}/files/{file_pk}",
    response={204: None, **WITH_403},
    url_name="document_file_remove",
)
def document_file_remove(request: ApiRequest, pk: int, file_pk: int) -> Status[None]:
    """Remove a file of the document, and its stored content: for those who speak for its
    organization."""
    document = _document(request, pk)
    found = selectors_docs.document_file_get(viewer=request.auth, document=document, pk=file_pk)
    services.document_file_remove(actor=request.auth, file=found)
    return Status(204, None)


@router.get(
    "/library/documents/{pk}/addressees",
    response={200: list[AddresseeOut], **WITH_403},
    url_name="document_addressee_list",
)
@paginate(Pagination)
def document_addressee_list(request: ApiRequest, pk: int) -> QuerySet[DocumentAddressee]:
    """The organizations an addressed document is addressed to, and why: for its
    organization's speakers."""
    document = _document(request, pk)
    require(request.auth, "library.change_document", document)
    return selectors_docs.document_addressees(document)


@router.post(
    "/library/documents/{pk}/addressees",
    response={201: list[AddresseeOut], **WITH_403},
    url_name="document_address",
)
def document_address(request: ApiRequest, pk: int, payload: CriteriaIn) -> Status[Any]:
    """Address the document to the organizations the criteria choose (as appeals are
    addressed), and tell them. Those addressed already stay so; answers the new addressees, or
    400 when there is none."""
    document = _document(request, pk)
    ids = services.document_address(
        actor=request.auth, document=document, criteria=payload.criteria()
    )
    rows = selectors_docs.document_addressees(document).filter(organization_id__in=ids)
    return Status(201, list(rows.order_by("organization__name")))


@router.get("/library/digest", response={200: DigestOut, **ERRORS}, url_name="library_digest")
def library_digest(request: ApiRequest) -> DigestChoice:
    """Your weekly e-mail of the documents added that you may read."""
    return selectors_docs.digest_choice_of(request.auth.user)


@router.put("/library/digest", response={200: DigestOut, **ERRORS}, url_name="library_digest_set")
def library_digest_set(request: ApiRequest, payload: DigestIn) -> DigestChoice:
    """Choose your weekly digest: on or off, of which kinds and languages."""
    return services.digest_choose(actor=request.auth, **payload.dict())
