"""Pages of the project as a whole: the home page, the dashboard and an organization's audit log."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from internationale.core.actors import actor_of
from internationale.notifications.selectors import unread_counts
from internationale.organizations.selectors import memberships_of, organization_for_member

from . import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(viewer=actor_of(request)))
    unread = unread_counts(
        viewer=actor_of(request), organizations=[m.organization for m in memberships]
    )
    rows = [(m, unread.get(m.organization_id, 0)) for m in memberships]
    return render(request, "web/dashboard.html", {"rows": rows})


@require_GET
@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.view_audit"
    )
    entries = selectors.audit_list(viewer=actor_of(request), organization=organization)
    page = Paginator(entries, settings.INTERNATIONALE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"organization": organization, "page": page})
