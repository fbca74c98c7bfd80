"""HTML pages for joint statements: the list of one's organizations' statements and one
statement's page. Each part of the app (drafting, amendments and versions, positions and
signatures, publication, advice) has its own views module; the statement page gathers their
sections through `detail_context`.

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
from internationale.core.visibility import Access
from internationale.organizations import selectors as org_selectors

from . import selectors
from .models import Statement

PAGE_SIZE = 20

# What each part adds to the statement page's context: functions of (request, access), appended
# by the parts' views modules when imported (urls.py imports them all).
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


@require_safe
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
    return render(request, "statements/statement_detail.html", context)
