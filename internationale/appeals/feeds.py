"""Atom feeds of public appeals: all of them, per country, per sector (of the issuing
organization). Read as an anonymous visitor: only public appeals, once sent.

Ids and links are absolute and built from SITE_URL, never from the request's Host: a feed's id is
its own address (with the code in capitals, however it was asked for), an entry's id the appeal's
page. Each entry says the language the appeal is written in. Readers that ask again with the
ETag or Last-Modified they were given get 304 Not Modified, decided by one small query instead of
the whole feed."""

import hashlib
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from django_countries import countries
from django_countries.fields import Country

from internationale.core.feeds import AtomWithLanguages
from internationale.core.links import absolute_url
from internationale.organizations.reference import sector_name, sectors

from . import selectors
from .models import Appeal

FEED_LENGTH = 50


def alternates(filters: selectors.AppealFilters) -> list[tuple[str, str]]:
    """The feeds (title, path) of an appeal list filtered so: the country's and the sector's if
    it is filtered by them, otherwise the feed of all public appeals."""
    found = [
        (feed.title(code), reverse(feed.url_name, args=[code]))
        for feed, code in [
            (CountryAppealsFeed(), filters.country.upper()),
            (SectorAppealsFeed(), filters.sector.upper()),
        ]
        if code
    ]
    return found or [(PublicAppealsFeed().title(""), reverse(PublicAppealsFeed.url_name))]


class PublicAppealsFeed(Feed):
    feed_type = AtomWithLanguages
    url_name = "appeal_feed"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        etag, last_modified = self.validators(self.get_object(request, *args, **kwargs))
        conditional = condition(
            etag_func=lambda *a, **k: etag, last_modified_func=lambda *a, **k: last_modified
        )
        return cast(HttpResponse, conditional(super().__call__)(request, *args, **kwargs))

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return ""

    def validators(self, obj: str) -> tuple[str, Any]:
        """The ETag and Last-Modified of the feed, from one query on the entries it shows: which
        feed, which appeals, when each (and its organization) last changed, and the language of
        the words around them. An appeal leaving the feed changes the ETag even if nothing else
        changed."""
        shown = list(self.shown(obj).values_list("pk", "updated_at", "organization__updated_at"))
        state = (self.feed_url(obj), get_language(), shown)
        digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
        return f'W/"{digest}"', max((row[1] for row in shown), default=None)

    def shown(self, obj: str) -> QuerySet[Appeal]:
        return self.appeals(obj).order_by("-sent_at", "-pk")[:FEED_LENGTH]

    def list_query(self, obj: str) -> dict[str, str]:
        """The filter of the appeal list page that shows what this feed shows."""
        return {}

    def title(self, obj: str) -> str:
        return _("Public solidarity appeals")

    def subtitle(self, obj: str) -> str:
        return _("Appeals of workers' organizations that anyone may read and share.")

    def feed_url(self, obj: str) -> str:
        return absolute_url(reverse(self.url_name, args=[obj] if obj else []))

    def feed_guid(self, obj: str) -> str:
        return self.feed_url(obj)

    def link(self, obj: str) -> str:
        query = self.list_query(obj)
        return absolute_url(reverse("appeal_list") + (f"?{urlencode(query)}" if query else ""))

    def appeals(self, obj: str) -> QuerySet[Appeal]:
        query = self.list_query(obj)
        filters = selectors.AppealFilters(
            country=query.get("country", ""), sector=query.get("sector", "")
        )
        return selectors.appeal_list(viewer=AnonymousUser(), filters=filters)

    def items(self, obj: str) -> list[Appeal]:
        return list(self.shown(obj))

    def item_title(self, item: Appeal) -> str:
        return item.title

    def item_description(self, item: Appeal) -> str:
        return str(item.text_html)

    def item_link(self, item: Appeal) -> str:
        return absolute_url(item.url)

    def item_guid(self, item: Appeal) -> str:
        return absolute_url(item.url)

    def item_pubdate(self, item: Appeal) -> Any:
        return item.sent_at

    def item_updateddate(self, item: Appeal) -> Any:
        return item.updated_at

    def item_author_name(self, item: Appeal) -> str:
        return item.organization.name

    def item_categories(self, item: Appeal) -> list[str]:
        return [item.get_situation_display(), str(cast(Country, item.country).name)]

    def item_extra_kwargs(self, item: Appeal) -> dict[str, Any]:
        return {"language": item.language}


class CountryAppealsFeed(PublicAppealsFeed):
    url_name = "appeal_feed_country"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        code = str(kwargs["country"]).upper()
        if len(code) != 2 or not countries.alpha2(code):
            raise Http404
        return code

    def title(self, obj: str) -> str:
        return _("Public solidarity appeals from %(country)s") % {"country": countries.name(obj)}

    def list_query(self, obj: str) -> dict[str, str]:
        return {"country": obj}


class SectorAppealsFeed(PublicAppealsFeed):
    url_name = "appeal_feed_sector"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        code = str(kwargs["sector"]).upper()
        if code not in sectors():
            raise Http404
        return code

    def title(self, obj: str) -> str:
        return _("Public solidarity appeals in %(sector)s") % {"sector": sector_name(obj)}

    def list_query(self, obj: str) -> dict[str, str]:
        return {"sector": obj}
