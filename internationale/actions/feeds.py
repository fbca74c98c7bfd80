"""The Atom feed of a public day's reports back (core/feeds.py, as the feeds of appeals and
statements). Read as an anonymous visitor: a day kept for the network has no feed (404), since a
feed reader signs in nowhere. Ids and links are absolute, built from SITE_URL; each entry says the
language of its report. Contacts are never in it."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from internationale.core.actors import ANONYMOUS
from internationale.core.feeds import AtomWithLanguages
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown

from . import selectors
from .models import DayOfAction, Report

FEED_LENGTH = 100


class DayReportsFeed(Feed):
    feed_type = AtomWithLanguages

    def get_object(self, request: HttpRequest, pk: int) -> DayOfAction:  # type: ignore[override]
        day = selectors.day_get(viewer=ANONYMOUS, pk=pk)
        if day.is_draft:
            raise Http404
        return day

    def title(self, obj: DayOfAction) -> str:
        return _("Reports back: %(title)s") % {"title": obj.title}

    def subtitle(self, obj: DayOfAction) -> str:
        return _("What happened at the actions of the day, as their organizations report it.")

    def link(self, obj: DayOfAction) -> str:
        return absolute_url(reverse("day_report", args=[obj.pk]))

    def feed_url(self, obj: DayOfAction) -> str:
        return absolute_url(reverse("day_reports_feed", args=[obj.pk]))

    def feed_guid(self, obj: DayOfAction) -> str:
        return self.feed_url(obj)

    def items(self, obj: DayOfAction) -> list[Report]:
        return list(
            Report.objects.filter(action__day=obj, action__cancelled_at__isnull=True)
            .select_related("action", "action__organization")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Report) -> str:
        action = item.action
        return f"{action.get_kind_display()}, {action.city} ({action.organization.name})"

    def item_description(self, item: Report) -> str:
        return str(render_markdown(item.text))

    def item_link(self, item: Report) -> str:
        return absolute_url(reverse("report_detail", args=[item.action.day_id, item.action_id]))

    def item_guid(self, item: Report) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Report) -> Any:
        return item.created_at

    def item_updateddate(self, item: Report) -> Any:
        return item.updated_at

    def item_author_name(self, item: Report) -> str:
        return item.action.organization.name

    def item_extra_kwargs(self, item: Report) -> dict[str, Any]:
        return {"language": item.language} if item.language else {}
