"""The library's pages. The document page is made of parts (`DETAIL_PARTS`): each part of the app
adds the context its section of the page needs."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from internationale.core.actors import actor_of
from internationale.core.visibility import Access
from internationale.translation.content import reading

from . import selectors
from .models import Document

PAGE_SIZE = 20
DETAIL_PARTS: list[Callable[[HttpRequest, Access[Document]], dict[str, Any]]] = []


@require_safe
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = actor_of(request)
    access = selectors.document_access(viewer=viewer, pk=pk)
    document = access.obj
    context: dict[str, Any] = {
        "document": document,
        "access": access,
        "reading": reading(
            document, request.GET.get("lang") or get_language(), original="original" in request.GET
        ),
        "files": selectors.document_files(viewer=viewer, document=document),
    }
    for part in DETAIL_PARTS:
        context |= part(request, access)
    return render(request, "library/document_detail.html", context)
