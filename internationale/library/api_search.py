"""The REST API of library: search. Routes are declared here, registered in web/api.py.

Open to anyone: without a token or session, the public documents alone are searched; with one,
those the caller may read. The same selector as the page (search.py), so that the API finds,
ranks and counts exactly what the page does.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from internationale.accounts.api import SessionAuth, TokenAuth
from internationale.core.actors import ViewerLike
from internationale.core.api import ERRORS, MAX_PAGE_SIZE, choice_of
from internationale.core.links import absolute_url
from internationale.core.search import words
from internationale.organizations.api import OrganizationRef

from .models import Document
from .search import COUNTED_AT_MOST, MAX_QUERY_LENGTH, SearchPage, document_search, reader_of
from .selectors_docs import Shown, shown_in

router = Router(tags=["library"])


def anyone(request: HttpRequest) -> Any:
    """Searching without a token or session: the caller reads as the public does. A request that
    brings a token or a session is judged by those (a wrong token answers 401)."""
    if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
        return None
    return AnonymousUser()


ANYONE = [TokenAuth(), SessionAuth(), anyone]


class ReaderRequest(HttpRequest):
    auth: ViewerLike


class SearchQuery(Schema):
    q: str = Field(
        ..., max_length=MAX_QUERY_LENGTH, description="The words, in any language (200 at most)."
    )
    language: str = Field(
        "", max_length=35, description="Only documents written in this language (`pt` or `pt-BR`)."
    )
    kind: choice_of(Document.Kind, blank=True) = Field(  # type: ignore[valid-type]
        "", description="Only documents of this kind."
    )
    limit: int = Field(
        settings.INTERNATIONALE_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="At most 100."
    )
    offset: int = Field(
        0,
        ge=0,
        le=COUNTED_AT_MOST,
        description="How many to skip, at most 1,000: what a search finds is listed that far.",
    )


class SearchHit(Schema):
    id: int
    kind: str
    title: str = Field(description="In the reader's language when a version exists.")
    summary: str
    language: str = Field(description="The language of `title` and `summary`.")
    original_language: str
    machine_translation: bool
    found_by_meaning: bool = Field(
        description="Found by its meaning (in another language), not by the query's words."
    )
    organization: OrganizationRef
    created_at: datetime.datetime
    url: str


class SearchAnswer(Schema):
    items: list[SearchHit]
    count: int = Field(description="How many documents you may read were found, up to 1,000.")
    count_capped: bool = Field(description="True when more than `count` (1,000) were found.")


def _hit(document: Document, found: SearchPage) -> dict[str, Any]:
    shown: Shown = document.shown  # type: ignore[attr-defined]
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": shown.title,
        "summary": shown.summary,
        "language": shown.language,
        "original_language": document.language,
        "machine_translation": shown.by_machine,
        "found_by_meaning": document.pk in found.by_meaning,
        "organization": document.organization,
        "created_at": document.created_at,
        "url": absolute_url(document.get_absolute_url()),
    }


@router.get(
    "/library/search",
    response={200: SearchAnswer, **ERRORS},
    auth=ANYONE,
    url_name="library_search",
)
def library_search(request: ReaderRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """Search the documents you may read, by their words in any language they exist in and, across
    languages, by meaning; best first. Without a token, the public documents alone."""
    if not words(params.q):
        message = _("Type at least one word: letters or digits.")
        raise ValidationError({"q": [message]}, code="invalid")
    found = document_search(
        request.auth,
        params.q,
        language=params.language.strip(),
        kind=params.kind,
        limit=params.limit,
        offset=params.offset,
        reader=reader_of(request.auth, request.session.session_key),
    )
    # Every hit's versions in one query, as the list of documents reads them.
    items = [_hit(document, found) for document in shown_in(found.documents, get_language())]
    return {"items": items, "count": found.count, "count_capped": found.more}
