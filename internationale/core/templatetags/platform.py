from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from internationale.core.links import absolute_url
from internationale.core.text import plain_text, render_markdown

register = template.Library()


@register.filter
def markdown(value: str) -> SafeString:
    return render_markdown(value)


@register.filter
def plaintext(value: str) -> str:
    """Markdown reduced to its words, for previews (escaped like any other text)."""
    return plain_text(value)


@register.filter
def absolute(path: str) -> str:
    """A path of this server as an absolute link, on SITE_URL (see core/links.py)."""
    return absolute_url(path) if path else ""


@register.filter
def isotime(value: Any) -> str:
    """A date and time for a `datetime` attribute: ISO 8601 in the reader's zone, to the second
    (HTML allows at most three digits of a fraction; Django's "c" format gives six)."""
    if not value:
        return ""
    return str(timezone.localtime(value).isoformat(timespec="seconds"))


@register.filter
def zoned(value: Any, format_name: str = "DATETIME_FORMAT") -> str:
    """A date and time in the reader's time zone, naming the zone, where the hour matters:
    deadlines, expiry ("Dec. 15, 2026, 2 p.m. (Europe/Berlin)")."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, format_name)} ({timezone.get_current_timezone_name()})"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:  # type: ignore[no-untyped-def]
    """The current query string with some parameters replaced: for pagination links."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()
