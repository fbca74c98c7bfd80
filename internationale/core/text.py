"""Rich text: Markdown rendered and then sanitized to a small, safe subset of HTML."""

import html
import re
import unicodedata

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(source: str) -> SafeString:
    html = markdown.markdown(
        source or "", extensions=["tables", "sane_lists"], output_format="html"
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitized by nh3 just above


def plain_text(source: str) -> str:
    """The words of a Markdown text without its markup, for previews: "**Strike** at [Corvina]
    (https://...)" reads "Strike at Corvina"."""
    rendered = markdown.markdown(source or "", extensions=["tables", "sane_lists"])
    text = nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"})
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def sort_key(text: str) -> str:
    """Sorts names as a reader expects: "África" beside "Asia", not after "Z"."""
    return unicodedata.normalize("NFKD", text).casefold()
