"""HTML pages for joint statements: the list of one's organizations' statements and one
statement's page. Each part of the app (drafting, amendments and versions, positions and
signatures, publication, advice) has its own views module; the statement page gathers their
sections through `DETAIL_PARTS`. Signed-out readers of an adopted public statement all see the
same page: it is kept for them (public_page.py).

As on the appeal pages: a statement the viewer may not see answers 404, as if missing; a visible
one, with an action reserved to other roles, 403; an anonymous visitor on a page that needs an
account is sent to sign in. Refused input re-renders the form with its errors and changes nothing.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from internationale.core.actors import actor_of
from internationale.core.cache import Page, page_content
from internationale.core.models import Visibility
from internationale.core.visibility import Access
from internationale.organizations import selectors as org_selectors

from . import public_page, selectors
from .models import Statement

PAGE_SIZE = 20

# What each part adds to the statement page's context: functions of (request, access), appended
# by the parts' views modules when imported (urls.py imports them all). For signed-out readers the
# page is kept (public_page.py): of the request, a part may read only what the kept page's key
# holds (the language, the time zone, `?lang=`, `?original=`); anything else it reads goes into that key.
DETAIL_PARTS: list[Callable[[HttpRequest, Access[Statement]], dict[str, Any]]] = []


@require_safe
@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    statements = selectors.statement_list(viewer=actor_of(request))
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    initiators = org_selectors.verified_spoken_for(viewer=actor_of(request))
    return render(
        request,
        "statements/statement_list.html",
        {"page": page, "may_initiate": bool(initiators)},
    )


def _detail_page(request: HttpRequest, pk: int) -> Page:
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    statement = access.obj
    context: dict[str, Any] = {
        "statement": statement,
        "access": access,
        "participating": selectors.is_participant_view(access),
        "speaking_for": selectors.speaking_participants(access),
    }
    for part in DETAIL_PARTS:
        context |= part(request, access)
    return Page(
        title=statement.title,
        # Kept for every signed-out reader: nothing in it may depend on the person.
        content=page_content("statements/_statement_detail.html", context, request),
        public=statement.visibility == Visibility.PUBLIC,
    )


@require_safe
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = public_page.pages.serve(
        request,
        pk,
        lambda: _detail_page(request, pk),
        "detail",
        public_page.language_asked(request),
        public_page.original_asked(request),
    )
    return render(request, "statements/statement_detail.html", {"page": page})
