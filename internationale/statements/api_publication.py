"""The REST API on published statements: the adopted statements a caller may read (anyone, without
a token, reads the public ones), one adopted statement with its text and its versions in other
languages (the shared language versions: each says whether a machine or a person made it), and
those versions added, corrected and removed by those who speak for the initiator.

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
from internationale.core.actors import ViewerLike, person
from internationale.core.api import ERRORS, ErrorOut, Pagination
from internationale.core.links import absolute_url
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion

from . import publication, selectors, translations
from .models import Statement

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


class StatementsOrganizationRef(Schema):
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
    initiator: StatementsOrganizationRef
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
        return [obj.language, *sorted(v.language for v in _versions(obj))]

    @staticmethod
    def resolve_url(obj: Statement) -> str:
        return absolute_url(obj.get_absolute_url())


def _versions(obj: Statement) -> list[LanguageVersion]:
    """The statement's language versions (prefetched: one query for a whole list; the relation
    comes with its Translatable declaration)."""
    versions = obj.language_versions.all()  # type: ignore[attr-defined]
    return sorted(versions, key=lambda version: version.language)


def _credit(version: LanguageVersion, signed_in: bool) -> str | None:
    # The name of whoever wrote or reviewed it, for callers who sign in only, as on the page.
    if not signed_in or version.translated_by is None:
        return None
    return version.translated_by.name or None


class TextOut(Schema):
    language: str
    title: str
    paragraphs: list[str] = Field(description="Markdown, in order.")
    authoritative: bool = Field(description="True for the original only.")
    direction: str = Field(description="ltr or rtl.")
    status: str = Field(
        description="original; machine (a machine translation); reviewed (a machine translation "
        "a person corrected); human (written by a person)."
    )
    translated_by: str | None = Field(
        description="The name of the person who wrote or reviewed it, for callers who sign in "
        "(null otherwise, and for the original and machine translations)."
    )
    outdated: bool = Field(description="Made from a text other than the adopted one.")


class PublishedDetailOut(PublishedOut):
    texts: list[TextOut] = Field(description="The original first, then the other languages.")
    print_url: str

    @staticmethod
    def resolve_texts(obj: Statement, context: Any) -> list[dict[str, Any]]:
        signed_in = person(context["request"].auth) is not None
        original = obj.translatable_texts()
        digest = source_hash(original)
        count = len(original) - 1
        found = [
            {
                "language": obj.language,
                "title": original.get("title", obj.title),
                "paragraphs": [original[f"paragraph.{n}"] for n in range(1, count + 1)],
                "authoritative": True,
                "status": "original",
                "translated_by": None,
                "outdated": False,
            }
        ]
        found += [
            {
                "language": v.language,
                "title": v.texts.get("title", ""),
                "paragraphs": translations.paragraphs_of(v),
                "authoritative": False,
                "status": v.status,
                "translated_by": _credit(v, signed_in),
                "outdated": v.source_hash != digest,
            }
            for v in _versions(obj)
        ]
        return [text | {"direction": publication.direction(text["language"])} for text in found]

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


class StatementsTranslationOut(Schema):
    statement: int
    language: str
    title: str
    paragraphs: list[str]
    status: str = Field(description="human (written by a person) or reviewed (corrected).")
    translated_by: str | None = Field(description="The name of whoever wrote or corrected it.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_statement(obj: LanguageVersion) -> int:
        return obj.object_id

    @staticmethod
    def resolve_title(obj: LanguageVersion) -> str:
        return str(obj.texts.get("title", ""))

    @staticmethod
    def resolve_paragraphs(obj: LanguageVersion) -> list[str]:
        return translations.paragraphs_of(obj)

    @staticmethod
    def resolve_translated_by(obj: LanguageVersion) -> str | None:
        return _credit(obj, signed_in=True)


def _published(request: ReaderRequest, pk: int) -> Statement:
    """The adopted statement, if the caller may read it; 404 otherwise (a draft included)."""
    found = (
        publication.published_list(viewer=request.auth)
        .prefetch_related("language_versions__translated_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _to_translate(request: ApiRequest, pk: int) -> Statement:
    return selectors.statement_get(viewer=request.auth, pk=pk)


def _translation(request: ApiRequest, statement: Statement, language: str) -> LanguageVersion:
    # The statement was read through its selector: its versions follow it.
    found = translations.language_versions(statement).filter(language__iexact=language).first()
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
    return publication.published_list(viewer=request.auth).prefetch_related("language_versions")


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
    response={201: StatementsTranslationOut, **WITH_403},
    url_name="statement_translation_add",
)
def statement_translation_add(
    request: ApiRequest, pk: int, payload: TranslationIn
) -> Status[LanguageVersion]:
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
    response={200: StatementsTranslationOut, **WITH_403},
    url_name="statement_translation_change",
)
def statement_translation_change(
    request: ApiRequest, pk: int, language: str, payload: TranslationChangeIn
) -> LanguageVersion:
    """New wording for the version in `language` (its language stays), credited to you: a machine
    translation corrected becomes reviewed."""
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
