"""The kinds of notice under their headings, one heading per app ("Appeals", "Material aid"), as
the settings pages offer them: one page of e-mail choices per heading, its address named after
the heading in English (`/settings/emails/kinds/appeals/`), so that it is the same in every
language."""

from dataclasses import dataclass

from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from internationale.core.notices import registered_kinds

OTHER = _("Other notices")


@dataclass(frozen=True)
class KindGroup:
    slug: str
    label: str  # in the active language
    kinds: tuple[str, ...]  # the kinds' names, in the order the apps declared them


def kind_groups() -> list[KindGroup]:
    """Every heading with its kinds: the headings of most kinds first, then in the order the apps
    declared them."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for name, kind in registered_kinds().items():
        group = kind.group or OTHER
        with translation.override("en"):
            slug = slugify(str(group))
        groups.setdefault(slug, (str(group), []))[1].append(name)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1][1]))
    return [KindGroup(slug, label, tuple(kinds)) for slug, (label, kinds) in ordered]


def kind_group(slug: str) -> KindGroup:
    """The heading at `slug`; Http404 when there is none."""
    found = next((group for group in kind_groups() if group.slug == slug), None)
    if found is None:
        raise Http404
    return found
