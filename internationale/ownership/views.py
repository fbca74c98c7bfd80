"""The pages of an organization's data: its exports, started, followed and downloaded by its
admins; anyone else gets 404, as if the pages did not exist."""

import json
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.organizations.selectors import organization_for_member

from . import person, selectors, services
from .forms import ExportForm
from .models import Export
from .pending import claimants, lookalikes

PERM = "ownership.export_organization"


@require_http_methods(["GET", "POST"])
@login_required
def ownership_exports(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's exports, and the form to start one."""
    organization = organization_for_member(viewer=actor_of(request), slug=slug, perm=PERM)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_start(
                actor=actor_of(request),
                organization=organization,
                include_emails=form.cleaned_data["include_emails"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The export is started. This page shows how far it is."))
            return redirect(export.get_absolute_url())
    context = {
        "organization": organization,
        "form": form,
        "exports": selectors.export_list(viewer=actor_of(request), organization=organization)[:20],
        "pending": [
            (relation, claimants(relation), lookalikes(relation))
            for relation in selectors.pending_relations(
                viewer=actor_of(request), organization=organization
            )
        ],
    }
    return render(request, "ownership/exports.html", context)


@require_safe
@login_required
def ownership_export_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One export: how far it is (the page reloads itself while it is written), and its
    download."""
    organization = organization_for_member(viewer=actor_of(request), slug=slug, perm=PERM)
    export = selectors.export_get(viewer=actor_of(request), organization=organization, pk=pk)
    return render(
        request, "ownership/export_detail.html", {"organization": organization, "export": export}
    )


@require_http_methods(["GET", "POST"])
@login_required
def ownership_export_download(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse | StreamingHttpResponse:
    """GET: what downloading means (once); POST, after the person's password or second factor
    again (allauth's re-authentication, asked only of those who may download): the archive."""
    organization = organization_for_member(viewer=actor_of(request), slug=slug, perm=PERM)
    export = selectors.export_get(viewer=actor_of(request), organization=organization, pk=pk)
    if request.method == "POST":
        return _download(request, export)
    return render(
        request, "ownership/export_download.html", {"organization": organization, "export": export}
    )


@reauthentication_required
def _download(request: HttpRequest, export: Export) -> HttpResponse | StreamingHttpResponse:
    try:
        chunks = services.export_download(actor=actor_of(request), export=export)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(export.get_absolute_url())
    return archive_response(chunks, export)


def archive_response(chunks, export) -> StreamingHttpResponse:  # type: ignore[no-untyped-def]
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    stamp = export.created_at.strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="{export.organization.slug}-{stamp}.zip"'
    )
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "no-store"
    return response


# A person's own data ----------------------------------------------------------------------------


@require_safe
@login_required
def person_data(request: HttpRequest) -> HttpResponse:
    """What the person may take and delete: their data as JSON, their account."""
    return render(request, "ownership/person.html")


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required
def person_data_export(request: HttpRequest) -> HttpResponse:
    """Their data, as a JSON file, after their password again (then allauth brings the person
    back here with a GET, which downloads it too)."""
    return person_json(person.person_data(actor=actor_of(request)))


def person_json(data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(allow_get=True)
def account_delete(request: HttpRequest) -> HttpResponse:
    """GET: what deleting means; POST, after the password again: the account is deleted."""
    if request.method == "POST":
        try:
            person.account_delete(actor=actor_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("person_data")
        logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("/")
    return render(request, "ownership/account_delete.html")
