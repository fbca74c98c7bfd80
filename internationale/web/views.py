"""Pages of the project as a whole: the home page, the dashboard and an organization's audit log."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from internationale.appeals.selectors import appeals_awaiting_answer, pledges_owed_by_mine
from internationale.core.actors import actor_of
from internationale.core.predicates import SPEAKING_ROLES
from internationale.notifications.selectors import unread_counts
from internationale.organizations.selectors import (
    memberships_of,
    organization_for_member,
    proposals_to_answer,
)

from . import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


AWAITING = 10  # items of each kind the dashboard lists; the pages behind it list them all


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(viewer=actor_of(request)))
    unread = unread_counts(
        viewer=actor_of(request), organizations=[m.organization for m in memberships]
    )
    rows = [(m, unread.get(m.organization_id, 0)) for m in memberships]
    actor = actor_of(request)
    context = {
        "rows": rows,
        "speaks": any(m.role in SPEAKING_ROLES for m in memberships),
        # What awaits the person's organizations: a few of each, the most pressing first.
        "appeals": list(appeals_awaiting_answer(viewer=actor)[:AWAITING]),
        "pledges": list(pledges_owed_by_mine(viewer=actor)[:AWAITING]),
        "proposals": list(proposals_to_answer(viewer=actor)[:AWAITING]),
        "today": timezone.localdate(),
    }
    return render(request, "web/dashboard.html", context)


@require_safe
@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.view_audit"
    )
    page = selectors.audit_page(
        viewer=actor_of(request),
        organization=organization,
        number=request.GET.get("page"),
        size=settings.INTERNATIONALE_PAGE_SIZE,
    )
    return render(request, "web/audit_log.html", {"organization": organization, "page": page})
