from typing import Any

from django import template

from ..people import content_label as _content_label

register = template.Library()


@register.filter
def content_label(obj: Any) -> str:
    """ "<app_label>.<model>" of translatable content, as the form asking for a translation names it."""
    return _content_label(obj)
