"""The aggregated report of a public day, as signed-out readers see it, kept between requests
(core.cache.PublicPages, as the pages of public appeals and statements), by
- the day;
- its version (`day_report:<pk>`, core/versions.py), changed in the transaction of every write to
  what the page shows: the day, its local actions, their reports and photos, the approvals;
- the language, the script prefix and the reader's time zone;
and for INTERNATIONALE_DAY_REPORT_CACHE_SECONDS at most (60 by default), the bound for what the
version does not follow (a new name of an organization).

What is kept holds nothing personal: contacts are never read for it, no person is named, and it
is rendered with no CSRF token and for a reader who may do nothing (core.cache.page_content). A
day the reader may not see raises Http404 before anything is kept.
"""

from django.conf import settings

from internationale.core.cache import PublicPages

from .models import DayOfAction, LocalAction, Report, ReportApproval, ReportPhoto


def _seconds() -> float:
    return float(getattr(settings, "INTERNATIONALE_DAY_REPORT_CACHE_SECONDS", 60))


pages = PublicPages("day_report", size=256, seconds=_seconds)


def connect() -> None:
    """Follow the writes to what the page shows. From the app config's ready()."""
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
