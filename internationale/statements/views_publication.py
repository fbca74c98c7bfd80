"""Publication: what an adopted statement's page shows its readers (the adopted text in their
language when it has a version in it, marked as a machine's or a person's, the original one click
away; its language versions; the link to print it), the list of adopted statements readable
without signing in, the printable page, and the pages where the initiator's speakers enter and
correct versions in other languages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.cache import Page, page_content
from internationale.core.forms import add_service_errors
from internationale.core.services import require
from internationale.core.visibility import Access
from internationale.translation.models import LanguageVersion

from . import consensus, public_page, publication, selectors, translations, views
from .forms_publication import TranslationForm
from .models import Signature, Statement

GET_POST = require_http_methods(["GET", "POST"])


def _readings(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    # What is read of the request is in the kept page's key (public_page.py).
    versions = publication.translation_list(statement)
    found = publication.readings(statement, versions)
    shown = publication.reading_shown(
        statement,
        versions,
        asked=request.GET.get("lang"),
        original=public_page.original_asked(request),
        anonymous=not request.user.is_authenticated,
    )
    return {
        "readings": found,
        "original": next((r for r in found if r.original), None),
        "shown": shown,
        "reading": publication.mark_of(shown.shown) if shown and shown.shown else None,
    }


def publication_context(request: HttpRequest, access: Access[Statement]) -> dict[str, Any]:
    statement = access.obj
    return {
        **_readings(request, statement),
        "may_translate": statement.status == Statement.Status.ADOPTED
        and actor_of(request).has_perm("statements.translate_statement", statement),
    }


views.DETAIL_PARTS.append(publication_context)


@require_safe
def statement_published(request: HttpRequest) -> HttpResponse:
    statements = publication.published_list(viewer=actor_of(request))
    page = Paginator(statements, views.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "statements/statement_published.html", {"page": page})


def _print_page(request: HttpRequest, pk: int) -> Page:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    context = _readings(request, statement)
    if not context["readings"]:
        raise Http404
    signatures = (
        Signature.objects.visible_to(actor_of(request))
        .filter(statement=statement, status=Signature.Status.SIGNED)
        .select_related("organization")
        .order_by("country", "organization__name")
    )
    context |= {
        "statement": statement,
        "by_country": consensus.by_country(list(signatures)),
    }
    return Page(
        title=context["shown"].title,
        content=page_content("statements/_statement_print.html", context, request),
    )


@require_safe
def statement_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The adopted text in the language chosen, its signatories by country and the reservations
    they published, laid out for paper; kept for signed-out readers (public_page.py)."""
    page = public_page.pages.serve(
        request,
        pk,
        lambda: _print_page(request, pk),
        "print",
        public_page.language_asked(request),
        public_page.original_asked(request),
    )
    return render(request, "statements/statement_print.html", {"page": page})


def _statement_to_translate(request: HttpRequest, pk: int) -> Statement:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.translate_statement", statement)
    return statement


def _translation(request: HttpRequest, statement: Statement, language: str) -> LanguageVersion:
    # The statement was read through its selector: its versions follow it.
    found = translations.language_versions(statement).filter(language__iexact=language).first()
    if found is None:
        raise Http404
    return found


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@GET_POST
@login_required
def translation_add(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_to_translate(request, pk)
    form = TranslationForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            added = translations.translation_add(
                actor=actor_of(request), statement=statement, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version in this language is attached."))
            return redirect(f"{statement.get_absolute_url()}?lang={added.language}")
    return render(
        request,
        "statements/translation_form.html",
        {"form": form, "statement": statement, "translation": None},
    )


@GET_POST
@login_required
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    statement = _statement_to_translate(request, pk)
    translation = _translation(request, statement, language)
    initial = {
        "title": translation.texts.get("title", ""),
        "text": "\n\n".join(translations.paragraphs_of(translation)),
    }
    form = TranslationForm(_data(request), initial=initial, changing=True)
    if request.method == "POST" and form.is_valid():
        try:
            translations.translation_change(
                actor=actor_of(request), translation=translation, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version in this language is changed."))
            return redirect(f"{statement.get_absolute_url()}?lang={translation.language}")
    return render(
        request,
        "statements/translation_form.html",
        {"form": form, "statement": statement, "translation": translation},
    )


@GET_POST
@login_required
def translation_remove(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    statement = _statement_to_translate(request, pk)
    translation = _translation(request, statement, language)
    if request.method == "POST":
        translations.translation_remove(actor=actor_of(request), translation=translation)
        messages.success(request, _("The version in this language is removed."))
        return redirect("statement_detail", statement.pk)
    return render(
        request,
        "statements/translation_remove.html",
        {"statement": statement, "translation": translation},
    )
