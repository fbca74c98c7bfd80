from django import template
from django.utils.safestring import SafeString

from internationale.core.text import plain_text, render_markdown

register = template.Library()


@register.filter
def markdown(value: str) -> SafeString:
    return render_markdown(value)


@register.filter
def plaintext(value: str) -> str:
    """Markdown reduced to its words, for previews (escaped like any other text)."""
    return plain_text(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:  # type: ignore[no-untyped-def]
    """The current query string with some parameters replaced: for pagination links."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()
