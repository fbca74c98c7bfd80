from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from internationale.notifications.selectors import unread_counts
from internationale.organizations.selectors import memberships_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(viewer=request.user))
    unread = unread_counts(viewer=request.user, organizations=[m.organization for m in memberships])
    rows = [(m, unread.get(m.organization_id, 0)) for m in memberships]
    return render(request, "core/dashboard.html", {"rows": rows})
