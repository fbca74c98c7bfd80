from typing import Any

from django import template

from internationale.organizations.reference import language_name as _language_name

from ..people import content_label as _content_label

register = template.Library()


@register.filter
def content_label(obj: Any) -> str:
    """ "<app_label>.<model>" of translatable content, as the form asking for a translation names it."""
    return _content_label(obj)


@register.filter
def language_name(tag: str) -> str:
    """The name of a language in the reader's language: "pt-BR" is "Portuguese (Brazil)"."""
    return _language_name(tag) if tag else ""
