"""Rich text: Markdown rendered and then sanitized to a small, safe subset of HTML."""

import hashlib
import html
import re
import threading
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


# Texts rendered, by the digest of their source: an appeal's text is read far more often than it
# is written, and rendering it costs more than the rest of its page. At most this many are kept
# per process; then the lot is dropped and filled again.
RENDERED_KEPT = 2048
_rendered: dict[bytes, SafeString] = {}
_rendered_lock = threading.Lock()


def render_markdown(source: str) -> SafeString:
    """The text as safe HTML, rendered once per content (the same source renders the same)."""
    digest = hashlib.blake2b((source or "").encode(), digest_size=20).digest()
    found = _rendered.get(digest)
    if found is None:
        found = _render(source)
        with _rendered_lock:
            if len(_rendered) >= RENDERED_KEPT:
                _rendered.clear()
            _rendered[digest] = found
    return found


def _render(source: str) -> SafeString:
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


def name_key(text: str) -> str:
    """A name as compared for near-duplicates: "Metalworkers' Union" and "METALWORKERS UNION"
    and "Métalworkers-Union" are one. Case, accents, punctuation and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if c.isalnum())
