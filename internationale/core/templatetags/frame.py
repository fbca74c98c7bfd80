"""`{% kept %}`: the parts of the site's frame (templates/base.html) that read the same for every
request of one kind (the language, the script prefix, signed in or not, operator or not), rendered
once per process and kind, then read back as the string they rendered.

    {% load frame %}
    {% kept "nav" LANGUAGE_CODE request.META.SCRIPT_NAME user.is_authenticated %}…{% endkept %}

What it replaces, Django's `{% cache %}` in a local-memory cache, hashed its key and unpickled the
value under a lock at each of the frame's six parts: a fifth of a cheap signed-in page's time. The
parts depend on the code (templates, URLs, translations) and on the values named, nothing else, so
nothing expires them: a new version of the code is a new process (the development server's reload
of a template clears them: `forget`). Every value named must be hashable (strings, booleans), and
the same throughout the page (each is read once per page).
"""

from collections.abc import Hashable

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The kinds are few (languages × prefixes × three kinds of reader): the bound is for a mistake.
SIZE = 1000
_kept: dict[tuple[Hashable, ...], SafeString] = {}
_READ = "internationale.frame.read"  # the values read for one page's kept parts (render context)


def forget() -> None:
    """Drop every kept part (templates changed)."""
    _kept.clear()


class KeptNode(template.Node):
    # What `get_nodes_by_type` walks, as Django's `{% extends %}` does at every page rendered (to
    # find the root template's blocks): not a kept part's nodes, whose output never changes, so
    # that no block can be in one.
    child_nodelists = ()

    def __init__(self, name: str, vary: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        # Each value named is read once per page rendered, for all its kept parts (the frame's
        # six name the same four, 14 readings through the context, the person's lazy object
        # among them, for 4): so name only values that stay the same within one page.
        read = context.render_context.get(_READ)
        if read is None:
            read = context.render_context[_READ] = {}
        for value in self.vary:
            if value.token not in read:
                read[value.token] = value.resolve(context)
        key = (self.name, *(read[value.token] for value in self.vary))
        kept = _kept.get(key)
        if kept is None:
            kept = mark_safe(self.nodelist.render(context))  # noqa: S308 -- the template's output, escaped by it
            if len(_kept) >= SIZE:
                _kept.clear()
            _kept[key] = kept
        return kept


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a quoted name, then the values")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
