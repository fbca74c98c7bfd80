"""The organizer's delivery page: every message sent to the targets, with its signatures, and the
letter with its signatures as CSV or PDF for a hand delivery. For those who speak for the
organizer; others who see the campaign are refused (403), the rest answered 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from internationale.core.actors import actor_of
from internationale.core.services import require

from . import exports, selectors
from .models import Delivery


@require_safe
@login_required
def campaign_deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    campaign = selectors.campaign_get(viewer=actor, pk=pk)
    require(actor, "campaigns.view_deliveries", campaign)
    rows = Delivery.objects.filter(campaign=campaign).select_related("target").order_by("-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/campaign_deliveries.html",
        {
            "campaign": campaign,
            "page": page,
            "targets": list(campaign.targets.all()),
        },
    )


@require_safe
@login_required
def campaign_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("csv", "pdf"):
        raise Http404
    actor = actor_of(request)
    campaign = selectors.campaign_get(viewer=actor, pk=pk)
    content, content_type = exports.organizer_download(actor=actor, campaign=campaign, kind=kind)
    response = HttpResponse(content, content_type=content_type)
    name = f"{slugify(campaign.title)[:50] or 'campaign'}-{timezone.localdate():%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
