"""The page of a public day (views.day_detail) and its aggregated report (views_reports.day_report),
as signed-out readers see them, kept between requests (core.cache.PublicPages, as the pages of
public appeals and statements), by
- the day;
- its version (`day:<pk>` for the day's page: the day, its co-callers, its local actions, the
  call's language versions;
  `day_report:<pk>` for the report: the day, its local actions, their reports and photos, the
  approvals), changed in the transaction of every write to what the page shows;
- the language, the script prefix and the reader's time zone, and for the day's page the language
  version asked for (`?lang=`, its tag normalized) and whether the original was (`?original=1`);
and for INTERNATIONALE_DAY_REPORT_CACHE_SECONDS at most (60 by default), the bound for what the
version does not follow (a new name of an organization).

What is kept holds nothing personal: contacts are never shown to a signed-out reader, no person
is named, and it is rendered with no CSRF token and for a reader who may do nothing
(core.cache.page_content). A day the reader may not see raises Http404 before anything is kept.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from internationale.core.cache import Page, PublicPages, page_content
from internationale.statements.public_page import language_asked
from internationale.translation.models import LanguageVersion

from .models import CoCaller, DayOfAction, LocalAction, Report, ReportApproval, ReportPhoto


def _seconds() -> float:
    return float(getattr(settings, "INTERNATIONALE_DAY_REPORT_CACHE_SECONDS", 60))


pages = PublicPages("day_report", size=256, seconds=_seconds)
# The day's own page (views.day_detail): its call, callers and local actions.
days = PublicPages("day", size=256, seconds=_seconds)


def day_page(request: HttpRequest, pk: int, context: Callable[[], dict[str, Any]]) -> HttpResponse:
    """The day's page: rendered for a signed-in reader; for a signed-out one, its content kept
    (rendered as an anonymous visitor sees it: no contact, nothing to do, no CSRF token)."""
    if request.user.is_authenticated:
        return render(request, "actions/day_detail.html", context())

    def make() -> Page:
        found = context()
        day = found["day"]
        return Page(
            title=day.title,
            content=page_content(
                "actions/day_detail.html", {**found, "layout": "actions/_content.html"}, request
            ),
            public=day.visibility == "public",
        )

    page = days.kept(pk, make, language_asked(request), "original" in request.GET)
    return render(request, "actions/day_kept.html", {"page": page})


def _day_of(version: LanguageVersion) -> Any:
    from django.contrib.contenttypes.models import ContentType

    if version.content_type_id != ContentType.objects.get_for_model(DayOfAction).pk:
        return None
    return version.object_id


def connect() -> None:
    """Follow the writes to what the pages show. From the app config's ready()."""
    days.follow(DayOfAction, lambda day: day.pk)
    days.follow(LocalAction, lambda action: action.day_id)
    days.follow(CoCaller, lambda row: row.day_id)
    # The call is read in the reader's language when it has a version (translation/).
    days.follow(LanguageVersion, _day_of)
    pages.follow(DayOfAction, lambda day: day.pk)
    pages.follow(LocalAction, lambda action: action.day_id)
    pages.follow(ReportApproval, lambda approval: approval.day_id)
    pages.follow(
        Report,
        lambda report: (
            LocalAction.objects.filter(pk=report.action_id).values_list("day_id", flat=True).first()
        ),
    )
    pages.follow(
        ReportPhoto,
        lambda photo: (
            Report.objects.filter(pk=photo.report_id)
            .values_list("action__day_id", flat=True)
            .first()
        ),
    )
