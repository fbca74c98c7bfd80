"""Atom feeds of public appeals: all of them, per country, per sector (of the issuing
organization). Read as an anonymous visitor: only public appeals, once sent. Every link and id is
absolute on SITE_URL: Django would otherwise build them from the request's Host."""

from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

from internationale.core.links import absolute_url
from internationale.organizations.reference import sector_name, sectors

from . import selectors
from .models import Appeal

FEED_LENGTH = 50


class PublicAppealsFeed(Feed):
    feed_type = Atom1Feed

    def link(self, obj: Any = None) -> str:
        return absolute_url(reverse("appeal_list"))

    def feed_url(self, obj: Any = None) -> str:
        return absolute_url(reverse("appeal_feed"))

    def title(self, obj: Any = None) -> str:
        return _("Public solidarity appeals")

    def subtitle(self, obj: Any = None) -> str:
        return _("Appeals of workers' organizations that anyone may read and share.")

    def appeals(self, obj: Any = None) -> QuerySet[Appeal]:
        return selectors.appeal_list(viewer=AnonymousUser())

    def items(self, obj: Any = None) -> list[Appeal]:
        return list(self.appeals(obj).order_by("-sent_at", "-pk")[:FEED_LENGTH])

    def item_title(self, item: Appeal) -> str:
        return item.title

    def item_description(self, item: Appeal) -> str:
        return str(item.text_html)

    def item_link(self, item: Appeal) -> str:
        return absolute_url(item.url)

    def item_pubdate(self, item: Appeal) -> Any:
        return item.sent_at

    def item_updateddate(self, item: Appeal) -> Any:
        return item.updated_at

    def item_author_name(self, item: Appeal) -> str:
        return item.organization.name

    def item_categories(self, item: Appeal) -> list[str]:
        return [item.get_situation_display(), str(cast(Country, item.country).name)]


class CountryAppealsFeed(PublicAppealsFeed):
    def get_object(self, request: HttpRequest, country: str) -> str:  # type: ignore[override]
        code = country.upper()
        if not countries.alpha2(code):
            raise Http404
        return code

    def title(self, obj: Any = None) -> str:
        return _("Public solidarity appeals from %(country)s") % {"country": countries.name(obj)}

    def link(self, obj: Any = None) -> str:  # type: ignore[override]
        return absolute_url(f"{reverse('appeal_list')}?country={obj}")

    def feed_url(self, obj: Any = None) -> str:
        return absolute_url(reverse("appeal_feed_country", args=[obj]))

    def appeals(self, obj: Any = None) -> QuerySet[Appeal]:
        return selectors.appeal_list(
            viewer=AnonymousUser(), filters=selectors.AppealFilters(country=obj)
        )


class SectorAppealsFeed(PublicAppealsFeed):
    def get_object(self, request: HttpRequest, sector: str) -> str:  # type: ignore[override]
        code = sector.upper()
        if code not in sectors():
            raise Http404
        return code

    def title(self, obj: Any = None) -> str:
        return _("Public solidarity appeals in %(sector)s") % {"sector": sector_name(obj)}

    def feed_url(self, obj: Any = None) -> str:
        return absolute_url(reverse("appeal_feed_sector", args=[obj]))

    def appeals(self, obj: Any = None) -> QuerySet[Appeal]:
        return (
            selectors.appeal_list(viewer=AnonymousUser())
            .filter(organization__sectors__code=obj)
            .distinct()
        )
