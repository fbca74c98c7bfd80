"""The library's pages for documents: the list, adding, changing and deleting a document,
addressing it (as appeals are addressed), its files, and one's weekly digest.

As elsewhere: a document the viewer may not read answers 404, as if missing; a readable one, with
an action reserved to its organization's speakers, 403; an anonymous visitor on a page that needs
an account is sent to sign in. Refused input re-renders the form with its errors and changes
nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.addressing.preview import route_kept
from internationale.addressing.routing import SEND_FIELDS
from internationale.addressing.views import InviteStep
from internationale.core.actors import actor_of
from internationale.core.services import require
from internationale.core.uploads import attachment
from internationale.core.visibility import Access
from internationale.organizations import selectors as org_selectors

from . import digest, forms_docs, selectors_docs, services
from .models import Document
from .selectors import document_files as document_files_of
from .views import DETAIL_PARTS

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _show_errors(form: forms_docs.DocumentFields, error: ValidationError) -> None:
    """The service's errors on the form; a language that detection contradicts offers the box
    that confirms it."""
    language_errors = getattr(error, "error_dict", {}).get("language", [])
    if any(e.code == "language_unconfirmed" for e in language_errors):
        form.ask_to_confirm_language()
    forms_docs.add_service_errors(form, error)


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    viewer = actor_of(request)
    tags, organizations = selectors_docs.filter_choices(viewer=viewer)
    form = forms_docs.ListFilterForm(request.GET, tags=tags, organizations=organizations)
    form.is_valid()  # a filter that names nothing known is said, and left out
    filters = selectors_docs.DocumentFilters(**form.cleaned_data)
    documents = selectors_docs.document_list(viewer=viewer, filters=filters)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors_docs.shown_in(list(page.object_list), get_language())
    may_add = request.user.is_authenticated and bool(
        org_selectors.verified_spoken_for(viewer=viewer)
    )
    context = {"page": page, "form": form, "filtered": any(vars(filters).values())}
    context |= {"may_add": may_add, "feeds": _feeds(filters)}
    return render(request, "library/document_list.html", context)


def _feeds(filters: selectors_docs.DocumentFilters) -> list[tuple[str, str]]:
    from . import feeds_docs

    return feeds_docs.alternates(filters)


@GET_POST
@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    authors = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not authors:
        require(
            actor_of(request),
            "library.add_document",
            message=_("Only an admin or secretary of a verified organization can add a document."),
        )
    form = forms_docs.DocumentForm(_data(request), organizations=authors)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                actor=actor_of(request),
                organization=form.cleaned_data["organization"],
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The document is in the library."))
            if document.visibility == "addressed":
                return redirect("document_address", document.pk)
            return redirect("document_detail", document.pk)
    return render(request, "library/document_form.html", {"form": form})


def _changeable(request: HttpRequest, pk: int) -> Document:
    document = selectors_docs.document_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "library.change_document", document)
    return document


@GET_POST
@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _changeable(request, pk)
    form = forms_docs.DocumentEditForm(_data(request), document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=actor_of(request), document=document, **form.service_fields()
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The document is changed."))
            return redirect("document_detail", document.pk)
    return render(request, "library/document_edit.html", {"form": form, "document": document})


@GET_POST
@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first; deletes on the confirmation's POST."""
    document = _changeable(request, pk)
    if request.method == "POST":
        services.document_delete(actor=actor_of(request), document=document)
        messages.success(request, _("The document is deleted."))
        return redirect("document_list")
    return render(request, "library/document_delete.html", {"document": document})


ADDRESS = InviteStep(
    template="library/document_address.html",
    name="document",
    first_criteria=lambda document: forms_docs.CriteriaForm.defaults(document.routing_origin()),
    preview=lambda actor, document, criteria: (
        route_kept(document.routing_origin(), criteria.clean(), fields=SEND_FIELDS).candidates
    ),
    invite=lambda actor, document, criteria: services.document_address(
        actor=actor, document=document, criteria=criteria
    ),
    invited_ids=selectors_docs.addressed_ids,
    done=lambda count: (
        ngettext(
            "The document is addressed to %(count)s more organization.",
            "The document is addressed to %(count)s more organizations.",
            count,
        )
        % {"count": count}
    ),
    then="document_detail",
    more_context=lambda document: {
        "addressees": selectors_docs.document_addressees(document)[:200]
    },
)


@GET_POST
@login_required
def document_address(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose criteria, see who would be addressed and why, then address."""
    document = _changeable(request, pk)
    return ADDRESS.respond(request, document)


@GET_POST
@login_required
def document_files(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's files, and a form to add one."""
    document = _changeable(request, pk)
    form = forms_docs.FileForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_file_add(
                actor=actor_of(request), document=document, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            forms_docs.add_service_errors(form, error)
        else:
            messages.success(request, _("The file is added."))
            return redirect("document_files", document.pk)
    files = document_files_of(viewer=actor_of(request), document=document)
    return render(
        request, "library/document_files.html", {"document": document, "form": form, "files": files}
    )


@require_safe
def document_file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of a document, for whoever may read the document."""
    document = selectors_docs.document_get(viewer=actor_of(request), pk=pk)
    found = selectors_docs.document_file_get(
        viewer=actor_of(request), document=document, pk=file_pk
    )
    return attachment(found.file, found.name)


@require_POST
@login_required
def document_file_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    document = _changeable(request, pk)
    found = selectors_docs.document_file_get(
        viewer=actor_of(request), document=document, pk=file_pk
    )
    services.document_file_remove(actor=actor_of(request), file=found)
    messages.success(request, _("The file is removed."))
    return redirect("document_files", document.pk)


@GET_POST
@login_required
def digest_choice(request: HttpRequest) -> HttpResponse:
    """One's weekly e-mail of the documents added: on or off, which kinds, which languages."""
    choice = selectors_docs.digest_choice_of(request.user)
    initial = {"weekly": choice.weekly, "kinds": choice.kinds, "languages": choice.languages}
    form = forms_docs.DigestForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_choose(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            forms_docs.add_service_errors(form, error)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("library_digest")
    return render(request, "library/digest_choice.html", {"form": form})


@csrf_exempt  # the signed link is the authority: mail clients post to it without a session
@GET_POST
def digest_off(request: HttpRequest, token: str) -> HttpResponse:
    """The link of each digest: asks first on GET (a link checker must not turn it off), turns
    the digest off on POST (RFC 8058 one-click)."""
    try:
        person_id = digest.unsubscribe_read(token)
    except signing.BadSignature:
        raise Http404 from None
    done = False
    if request.method == "POST":
        digest.digest_turn_off(person_id)
        done = True
    return render(request, "library/digest_off.html", {"done": done})


def _detail_part(request: HttpRequest, access: Access[Document]) -> dict[str, Any]:
    """What the document page shows of this part: the actions of its organization's speakers."""
    return {"may_change": actor_of(request).has_perm("library.change_document", access.obj)}


DETAIL_PARTS.append(_detail_part)
