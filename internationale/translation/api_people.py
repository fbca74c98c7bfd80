"""The REST API of translation: people. Routes are declared here, registered in web/api.py.

The pairs one volunteers for, and the requests for a person's translation or review: those open
to one, one's own, and taking, giving back, submitting and withdrawing one. A request whose
content the caller may not read answers 404; one the caller sees but may not act on, 403 with
the reason; a request in the wrong state (already taken, done, withdrawn) or refused texts, 400.
"""

import datetime
from typing import Any, Literal

from django.db.models import QuerySet
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

from . import people
from .models import LanguageVersion, TranslationRequest, Volunteer

router = Router(tags=["translation"])
WITH_403 = {403: ErrorOut, **ERRORS}


class TranslationPairOut(Schema):
    id: int
    source_language: str
    target_language: str
    created_at: datetime.datetime


class PairIn(Schema):
    source_language: str = Field(max_length=35, description='A BCP 47 tag: "pt", "pt-BR".')
    target_language: str = Field(max_length=35, description="A BCP 47 tag, another language.")


class RequestOut(Schema):
    id: int
    content: str = Field(description='The content\'s kind, "<app>.<model>": "library.document".')
    content_id: int
    title: str = Field(description="The original's title, in its language.")
    source_language: str
    target_language: str
    kind: choice_of(TranslationRequest.Kind)  # type: ignore[valid-type]
    status: choice_of(TranslationRequest.Status)  # type: ignore[valid-type]
    asked_by_me: bool
    taken_by_me: bool
    created_at: datetime.datetime
    taken_at: datetime.datetime | None
    done_at: datetime.datetime | None
    url: str
    content_url: str

    @staticmethod
    def resolve_content(obj: TranslationRequest) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_content_id(obj: TranslationRequest) -> int:
        return obj.object_id

    @staticmethod
    def resolve_title(obj: TranslationRequest) -> str:
        return str(obj.original) if obj.original is not None else ""

    @staticmethod
    def resolve_asked_by_me(obj: TranslationRequest, context: Any) -> bool:
        return obj.requested_by_id == context["request"].auth.pk

    @staticmethod
    def resolve_taken_by_me(obj: TranslationRequest, context: Any) -> bool:
        return obj.taken_by_id is not None and obj.taken_by_id == context["request"].auth.pk

    @staticmethod
    def resolve_url(obj: TranslationRequest) -> str:
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_content_url(obj: TranslationRequest) -> str:
        original = obj.original
        return absolute_url(original.get_absolute_url()) if original is not None else ""


class WorkOut(Schema):
    texts: dict[str, str] = Field(description="The original's texts by name, in reading order.")
    source_hash: str = Field(description="Send it back with the translation: see submit.")
    draft: dict[str, str] = Field(
        description="The current version in the request's language (the machine's, to review), "
        "by name; empty texts when there is none."
    )
    markdown: list[str] = Field(description="The names of the texts that are Markdown.")


class RequestDetailOut(RequestOut):
    work: WorkOut | None = Field(
        description="What to translate: for the volunteer who took the request, while it is taken."
    )

    @staticmethod
    def resolve_work(obj: TranslationRequest, context: Any) -> dict[str, Any] | None:
        if obj.status != TranslationRequest.Status.TAKEN:
            return None
        if obj.taken_by_id != context["request"].auth.pk:
            return None
        work = people.request_work(obj)
        return {
            "texts": work.texts,
            "source_hash": work.source_hash,
            "draft": work.draft,
            "markdown": sorted(work.markdown),
        }


class TranslationSubmitIn(Schema):
    texts: dict[str, str] = Field(
        description="The translation of each of the original's texts, by the names `work` gives."
    )
    source_hash: str = Field(
        "",
        max_length=64,
        description="The `source_hash` of the work translated: when the original changed since, "
        "the submission is refused (400).",
    )


class TranslationVersionOut(Schema):
    language: str
    status: choice_of(LanguageVersion.Status)  # type: ignore[valid-type]
    texts: dict[str, str]
    source_hash: str


class RequestsQuery(Schema):
    show: Literal["open", "mine"] = Field(
        "open",
        description="open: the open requests of your pairs, about content you may read; mine: "
        "those you asked for or took.",
    )


# Volunteer pairs ---------------------------------------------------------------------------------


@router.get(
    "/translation/volunteer/pairs",
    response={200: list[TranslationPairOut], **ERRORS},
    url_name="translation_pair_list",
)
@paginate(Pagination)
def translation_pair_list(request: ApiRequest) -> QuerySet[Volunteer]:
    """The language pairs you volunteer to translate."""
    return people.volunteer_pairs(viewer=request.auth)


@router.post(
    "/translation/volunteer/pairs",
    response={201: TranslationPairOut, **ERRORS, **CONFLICT},
    url_name="translation_pair_create",
)
def translation_pair_create(
    request: ApiRequest, payload: PairIn, idempotency_key: str | None = idempotency_header()
) -> Status[Volunteer]:
    """Volunteer to translate from one language into another: you are told of the requests of
    this pair about content you may read, and may take them."""
    pair = people.volunteer_add(
        actor=request.auth, **payload.dict(), submission_key=idempotency_key
    )
    return Status(201, pair)


@router.delete(
    "/translation/volunteer/pairs/{pk}",
    response={204: None, **ERRORS},
    url_name="translation_pair_delete",
)
def translation_pair_delete(request: ApiRequest, pk: int) -> Status[None]:
    """Stop volunteering for a pair. The requests of the pair you took and did not submit go back
    to the other volunteers."""
    people.volunteer_remove(actor=request.auth, pk=pk)
    return Status(204, None)


# Requests ----------------------------------------------------------------------------------------


@router.get(
    "/translation/requests",
    response={200: list[RequestOut], **ERRORS},
    url_name="translation_request_list",
)
@paginate(Pagination)
def translation_request_list(
    request: ApiRequest, filters: Query[RequestsQuery]
) -> QuerySet[TranslationRequest]:
    """Requests for a person's translation or review, newest first."""
    if filters.show == "mine":
        found = people.requests_mine(viewer=request.auth)
    else:
        found = people.requests_open_for(viewer=request.auth)
    return found.prefetch_related("original")


class AskIn(Schema):
    content: str = Field(
        max_length=100, description='The content\'s kind, "<app>.<model>": "library.document".'
    )
    content_id: int
    language: str = Field(max_length=35, description='The language wanted, a BCP 47 tag: "en".')


class AskOut(Schema):
    asked: Literal["translate", "review", "nothing"] = Field(
        description="What was asked of the pair's volunteers: a translation, the review of the "
        "machine's version, or nothing (a person already wrote or reviewed one; or only the "
        "content's authors write its versions, and a machine version is made when the server can)."
    )
    detail: str = Field(description="The same, in a sentence.")
    request: RequestOut | None = Field(
        description="The request asked for, or joined when one was already open; null for nothing."
    )


@router.post(
    "/translation/requests",
    response={200: AskOut, **ERRORS, **CONFLICT},
    url_name="translation_request_ask",
)
def translation_request_ask(
    request: ApiRequest, payload: AskIn, idempotency_key: str | None = idempotency_header()
) -> dict[str, Any]:
    """Ask for content you may read in another language, as its page does: a machine version is
    made in the background when the server can, and the volunteers of the pair are asked for a
    translation, or the review of the machine's. Asking while a request is open joins it. Content
    you may not read answers 404; the original's language, content with no text yet, or too many
    asks in a short time (the same limit as the page) answer 400, and nothing is asked."""
    obj = people.content_get(viewer=request.auth, label=payload.content, pk=payload.content_id)
    asked = people.translation_ask(
        actor=request.auth, obj=obj, language=payload.language, submission_key=idempotency_key
    )
    _level, detail = people.ask_outcome(obj, asked)
    return {"asked": asked.kind if asked else "nothing", "detail": detail, "request": asked}


def _request(request: ApiRequest, pk: int) -> TranslationRequest:
    return people.request_get(viewer=request.auth, pk=pk)


@router.get(
    "/translation/requests/{pk}",
    response={200: RequestDetailOut, **ERRORS},
    url_name="translation_request_detail",
)
def translation_request_detail(request: ApiRequest, pk: int) -> TranslationRequest:
    """A request about content you may read; with the work to translate, if you took it."""
    return _request(request, pk)


@router.post(
    "/translation/requests/{pk}/take",
    response={200: RequestDetailOut, **WITH_403},
    url_name="translation_request_take",
)
def translation_request_take(request: ApiRequest, pk: int) -> TranslationRequest:
    """Take an open request of a pair you volunteer for; no one else may until you give it back.
    A request already taken answers 400."""
    return people.request_take(actor=request.auth, request=_request(request, pk))


@router.post(
    "/translation/requests/{pk}/release",
    response={200: RequestDetailOut, **WITH_403},
    url_name="translation_request_release",
)
def translation_request_release(request: ApiRequest, pk: int) -> TranslationRequest:
    """Give back a request you took: open to the pair's volunteers again."""
    return people.request_release(actor=request.auth, request=_request(request, pk))


@router.post(
    "/translation/requests/{pk}/withdraw",
    response={200: RequestDetailOut, **WITH_403},
    url_name="translation_request_withdraw",
)
def translation_request_withdraw(request: ApiRequest, pk: int) -> TranslationRequest:
    """Withdraw a request you asked for, while it is open or taken."""
    return people.request_withdraw(actor=request.auth, request=_request(request, pk))


@router.post(
    "/translation/requests/{pk}/submit",
    response={200: TranslationVersionOut, **WITH_403},
    url_name="translation_request_submit",
)
def translation_request_submit(
    request: ApiRequest, pk: int, payload: TranslationSubmitIn
) -> LanguageVersion:
    """Submit the translation of a request you took: it becomes the version readers of that
    language see (reviewed, for a machine's; else by a person), credited to you, and the one who
    asked is told. Every text of the original that is not empty needs its translation."""
    return people.request_submit(
        actor=request.auth,
        request=_request(request, pk),
        texts=payload.texts,
        source_hash=payload.source_hash,
    )
