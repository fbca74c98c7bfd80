"""The REST API on published statements: the adopted statements a caller may read (anyone, without
a token, reads the public ones), one adopted statement with its text and its versions in other
languages, and those versions added, changed and removed by those who speak for the initiator.

As on the pages: what the caller may not see answers 404; what it sees but may not do, 403;
refused input, 400 with the errors by field."""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest, SessionAuth, TokenAuth
from internationale.core.actors import ViewerLike
from internationale.core.api import ERRORS, ErrorOut, Pagination
from internationale.core.links import absolute_url

from . import publication, selectors, translations
from .models import Statement, Translation

router = Router(tags=["statements"])
WITH_403 = {403: ErrorOut, **ERRORS}


def anyone(request: HttpRequest) -> Any:
    """Reading without a token or session: the caller reads as the public does. A request that
    brings a token or a session is judged by those (a wrong token answers 401)."""
    if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
        return None
    return AnonymousUser()


# For the reads open to anyone: a token, the session, or nothing.
ANYONE = [TokenAuth(), SessionAuth(), anyone]


class ReaderRequest(HttpRequest):
    """A request to a read open to anyone: `auth` is the person, or the anonymous visitor."""

    auth: ViewerLike


class OrganizationRef(Schema):
    slug: str
    name: str
    country: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class PublishedOut(Schema):
    id: int
    title: str
    language: str = Field(description="The original's language (BCP 47), which is authoritative.")
    initiator: OrganizationRef
    visibility: str = Field(description="public, network or addressed (the participants).")
    adopted_at: datetime.datetime | None
    languages: list[str] = Field(description="The languages it reads in, the original first.")
    url: str

    @staticmethod
    def resolve_initiator(obj: Statement) -> Any:
        return obj.organization

    @staticmethod
    def resolve_title(obj: Statement) -> str:
        return obj.current_version.title if obj.current_version else obj.title

    @staticmethod
    def resolve_languages(obj: Statement) -> list[str]:
        return [obj.language, *sorted(t.language for t in obj.translations.all())]

    @staticmethod
    def resolve_url(obj: Statement) -> str:
        return absolute_url(obj.get_absolute_url())


class TextOut(Schema):
    language: str
    title: str
    paragraphs: list[str] = Field(description="Markdown, in order.")
    authoritative: bool = Field(description="True for the original only.")
    direction: str = Field(description="ltr or rtl.")


class PublishedDetailOut(PublishedOut):
    texts: list[TextOut] = Field(description="The original first, then the other languages.")
    print_url: str

    @staticmethod
    def resolve_texts(obj: Statement) -> list[dict[str, Any]]:
        version = obj.current_version
        found = [
            (
                obj.language,
                version.title if version else obj.title,
                list(version.paragraphs) if version else [],
                True,
            )
        ]
        found += [(t.language, t.title, list(t.paragraphs), False) for t in obj.translations.all()]
        return [
            {
                "language": language,
                "title": title,
                "paragraphs": paragraphs,
                "authoritative": original,
                "direction": publication.direction(language),
            }
            for language, title, paragraphs, original in found
        ]

    @staticmethod
    def resolve_print_url(obj: Statement) -> str:
        return absolute_url(reverse("statement_print", args=[obj.pk]))


class TranslationIn(Schema):
    language: str = Field(max_length=35, description="A BCP 47 tag other than the original's.")
    title: str = Field(max_length=200)
    paragraphs: list[str] = Field(
        max_length=400, description="As many as the adopted text has, in the same order."
    )


class TranslationChangeIn(Schema):
    title: str = Field(max_length=200)
    paragraphs: list[str] = Field(max_length=400)


class TranslationOut(Schema):
    statement: int
    language: str
    title: str
    paragraphs: list[str]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_statement(obj: Translation) -> int:
        return obj.statement_id


def _published(request: ReaderRequest, pk: int) -> Statement:
    """The adopted statement, if the caller may read it; 404 otherwise (a draft included)."""
    found = publication.published_list(viewer=request.auth).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _to_translate(request: ApiRequest, pk: int) -> Statement:
    return selectors.statement_get(viewer=request.auth, pk=pk)


def _translation(request: ApiRequest, statement: Statement, language: str) -> Translation:
    found = (
        Translation.objects.visible_to(request.auth)
        .filter(statement=statement, language__iexact=language)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/statements/published",
    response={200: list[PublishedOut], **ERRORS},
    auth=ANYONE,
    url_name="statement_published_list",
)
@paginate(Pagination)
def statement_published_list(request: ReaderRequest) -> QuerySet[Statement]:
    """The adopted statements you may read, the latest adopted first: without a token, the public
    ones; with one, those of the network and those your organization took part in too."""
    return publication.published_list(viewer=request.auth).prefetch_related("translations")


@router.get(
    "/statements/published/{pk}",
    response={200: PublishedDetailOut, **ERRORS},
    auth=ANYONE,
    url_name="statement_published_detail",
)
def statement_published_detail(request: ReaderRequest, pk: int) -> Statement:
    """An adopted statement you may read, its text in the original and in every other language
    it has. A statement still drafted answers 404 here."""
    return _published(request, pk)


@router.post(
    "/statements/{pk}/translations",
    response={201: TranslationOut, **WITH_403},
    url_name="statement_translation_add",
)
def statement_translation_add(
    request: ApiRequest, pk: int, payload: TranslationIn
) -> Status[Translation]:
    """Attach a version of the adopted statement in another language: for those who speak for
    the initiator. One per language; as many paragraphs as the adopted text."""
    statement = _to_translate(request, pk)
    added = translations.translation_add(
        actor=request.auth,
        statement=statement,
        language=payload.language,
        title=payload.title,
        paragraphs=payload.paragraphs,
    )
    return Status(201, added)


@router.put(
    "/statements/{pk}/translations/{language}",
    response={200: TranslationOut, **WITH_403},
    url_name="statement_translation_change",
)
def statement_translation_change(
    request: ApiRequest, pk: int, language: str, payload: TranslationChangeIn
) -> Translation:
    """New wording for the version in `language` (its language stays)."""
    statement = _to_translate(request, pk)
    translation = _translation(request, statement, language)
    return translations.translation_change(
        actor=request.auth,
        translation=translation,
        title=payload.title,
        paragraphs=payload.paragraphs,
    )


@router.delete(
    "/statements/{pk}/translations/{language}",
    response={204: None, **WITH_403},
    url_name="statement_translation_remove",
)
def statement_translation_remove(request: ApiRequest, pk: int, language: str) -> Status[None]:
    """Remove the version in `language`: readers find the original only."""
    statement = _to_translate(request, pk)
    translation = _translation(request, statement, language)
    translations.translation_remove(actor=request.auth, translation=translation)
    return Status(204, None)
