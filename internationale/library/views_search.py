"""The library's search page."""

from math import ceil
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from internationale.core.actors import actor_of
from internationale.translation.content import Reading, reading
from internationale.translation.models import LanguageVersion

from .forms_search import SearchForm
from .models import Document
from .search import SearchPage, document_search, reader_of


class _Found(Paginator):
    """The pages of what a search found, counted up to search.COUNTED_AT_MOST: the search read
    the page asked for, and the count."""

    def __init__(self, found: SearchPage, per_page: int) -> None:
        super().__init__([], per_page)
        self.found, self.more = found, found.more

    @cached_property
    def count(self) -> int:
        return self.found.count

    def page(self, number: Any) -> Page:
        return Page(self.found.documents, self.validate_number(number), self)


def _number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _versions(documents: list[Document]) -> dict[int, list[LanguageVersion]]:
    """The language versions of these documents, in one query."""
    found: dict[int, list[LanguageVersion]] = {document.pk: [] for document in documents}
    rows = LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id__in=list(found)
    )
    for version in rows:
        found[version.object_id].append(version)
    return found


def _result(document: Document, shown: Reading, found: SearchPage) -> dict[str, Any]:
    # What the template shows, named: a template reads `shown.language` as `shown["language"]`
    # (Reading's texts) before the attribute.
    return {
        "document": document,
        "title": shown["title"],
        "summary": shown["summary"],
        "language": shown.language,
        "by_machine": shown.by_machine,
        "by_meaning": document.pk in found.by_meaning,
    }


@require_safe
def library_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"form": form, "results": None}
    if form.is_valid():
        viewer, data = actor_of(request), form.cleaned_data
        per_page = settings.INTERNATIONALE_PAGE_SIZE
        reader = reader_of(viewer, request.session.session_key)

        def search(number: int) -> SearchPage:
            return document_search(
                viewer,
                data["q"],
                language=data["language"],
                kind=data["kind"],
                limit=per_page,
                offset=(number - 1) * per_page,
                reader=reader,
            )

        number = _number(request.GET.get("page"))
        found = search(number)
        if number > 1 and not found.documents and found.count:  # past the last page: the last
            number = ceil(found.count / per_page)
            found = search(number)
        page = _Found(found, per_page).page(number if found.count else 1)
        language = get_language()
        versions = _versions(found.documents)
        context["page"] = page
        context["results"] = [
            _result(document, reading(document, language, versions=versions[document.pk]), found)
            for document in found.documents
        ]
    return render(request, "library/search.html", context)
