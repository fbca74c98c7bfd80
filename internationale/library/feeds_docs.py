"""Atom feeds of the library's public documents: all of them, per author organization, per kind,
per language. Read as an anonymous visitor: a document kept for the network, for the
organizations it is addressed to or for its organization never appears, whoever asks.

Ids and links are absolute and built from SITE_URL; each entry says the language its original is
written in."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from internationale.core.feeds import AtomWithLanguages
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown
from internationale.organizations.models import Organization
from internationale.organizations.reference import language_name, normalize_language

from .models import Document
from .selectors_docs import DocumentFilters, document_list

FEED_LENGTH = 50


def alternates(filters: DocumentFilters) -> list[tuple[str, str]]:
    """The feeds (title, path) that match a list so filtered: the organization's, the kind's and
    the language's when it is filtered by them, otherwise the feed of all public documents."""
    found: list[tuple[str, str]] = []
    if filters.organization:
        organization = Organization.objects.filter(slug=filters.organization).first()
        if organization is not None:
            feed = OrganizationDocumentsFeed()
            found.append(
                (feed.title(organization), reverse(feed.url_name, args=[organization.slug]))
            )
    if filters.kind in Document.Kind.values:
        feed_kind = KindDocumentsFeed()
        found.append(
            (feed_kind.title(filters.kind), reverse(feed_kind.url_name, args=[filters.kind]))
        )
    if filters.language:
        feed_language = LanguageDocumentsFeed()
        found.append(
            (
                feed_language.title(filters.language),
                reverse(feed_language.url_name, args=[filters.language]),
            )
        )
    return found or [(PublicDocumentsFeed().title(None), reverse(PublicDocumentsFeed.url_name))]


class PublicDocumentsFeed(Feed):
    feed_type = AtomWithLanguages
    url_name = "document_feed"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def list_query(self, obj: Any) -> dict[str, str]:
        """The filter of the library's list that shows what this feed shows."""
        return {}

    def documents(self, obj: Any) -> QuerySet[Document]:
        return document_list(
            viewer=AnonymousUser(), filters=DocumentFilters(**self.list_query(obj))
        )

    def title(self, obj: Any) -> str:
        return _("Public documents of the library")

    def subtitle(self, obj: Any) -> str:
        return _("Documents workers' organizations share, for anyone to read.")

    def feed_url(self, obj: Any) -> str:
        return absolute_url(reverse(self.url_name, args=list(self.list_query(obj).values())))

    def feed_guid(self, obj: Any) -> str:
        return self.feed_url(obj)

    def link(self, obj: Any) -> str:
        query = self.list_query(obj)
        return absolute_url(reverse("document_list") + (f"?{urlencode(query)}" if query else ""))

    def items(self, obj: Any) -> list[Document]:
        return list(self.documents(obj).defer(None).prefetch_related("tags")[:FEED_LENGTH])

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        summary = format_html("<p>{}</p>", item.summary) if item.summary else ""
        return summary + str(render_markdown(item.body))

    def item_link(self, item: Document) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Document) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Document) -> Any:
        return item.created_at

    def item_updateddate(self, item: Document) -> Any:
        return item.updated_at

    def item_author_name(self, item: Document) -> str:
        return item.organization.name

    def item_categories(self, item: Document) -> list[str]:
        return [str(item.get_kind_display()), *(tag.name for tag in item.tags.all())]

    def item_extra_kwargs(self, item: Document) -> dict[str, Any]:
        return {"language": item.language}


class OrganizationDocumentsFeed(PublicDocumentsFeed):
    url_name = "document_feed_organization"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Organization:
        organization = Organization.objects.filter(slug=kwargs["slug"]).first()
        if organization is None:
            raise Http404
        return organization

    def title(self, obj: Organization) -> str:
        return _("Public documents of %(organization)s") % {"organization": obj.name}

    def list_query(self, obj: Organization) -> dict[str, str]:
        return {"organization": obj.slug}


class KindDocumentsFeed(PublicDocumentsFeed):
    url_name = "document_feed_kind"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        if kwargs["kind"] not in Document.Kind.values:
            raise Http404
        return str(kwargs["kind"])

    def title(self, obj: str) -> str:
        return _("Public documents of the library: %(kind)s") % {"kind": Document.Kind(obj).label}

    def list_query(self, obj: str) -> dict[str, str]:
        return {"kind": obj}


class LanguageDocumentsFeed(PublicDocumentsFeed):
    url_name = "document_feed_language"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        try:
            return normalize_language(str(kwargs["language"]))
        except ValueError:
            raise Http404 from None

    def title(self, obj: str) -> str:
        return _("Public documents of the library in %(language)s") % {
            "language": language_name(obj)
        }

    def list_query(self, obj: str) -> dict[str, str]:
        return {"language": obj}
