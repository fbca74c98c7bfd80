"""The Atom feed of public adopted statements. Read as an anonymous visitor: a statement kept for
its participants or for the network never appears. Ids and links are absolute, built from
SITE_URL; each entry says the language of its original."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from internationale.core.feeds import AtomWithLanguages
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown

from .models import Statement
from .publication import public_list

FEED_LENGTH = 50


class PublicStatementsFeed(Feed):
    feed_type = AtomWithLanguages

    def title(self) -> str:
        return _("Public joint statements")

    def subtitle(self) -> str:
        return _("Joint statements adopted by workers' organizations, for anyone to read.")

    def link(self) -> str:
        return absolute_url(reverse("statement_published"))

    def feed_url(self) -> str:
        return absolute_url(reverse("statement_feed"))

    def feed_guid(self) -> str:
        return self.feed_url()

    def items(self) -> list[Statement]:
        return list(public_list()[:FEED_LENGTH])

    def item_title(self, item: Statement) -> str:
        return item.current_version.title if item.current_version else item.title

    def item_description(self, item: Statement) -> str:
        paragraphs = item.current_version.paragraphs if item.current_version else []
        return str(
            format_html_join(
                "", "<section>{}</section>", ((render_markdown(p),) for p in paragraphs)
            )
        )

    def item_link(self, item: Statement) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Statement) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Statement) -> Any:
        return item.adopted_at

    def item_updateddate(self, item: Statement) -> Any:
        return item.updated_at

    def item_author_name(self, item: Statement) -> str:
        return item.organization.name

    def item_extra_kwargs(self, item: Statement) -> dict[str, Any]:
        return {"language": item.language}
