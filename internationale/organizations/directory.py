"""The directory's answers, kept between requests.

The directory (page and API) answers the same to everyone who may see the same organizations, and
its queries (a count, the filters, the page, its languages and sectors) cost most of its time.
Its answers are kept per process (see core/cache.py), by everything they depend on: the
directory's version, shared by every process through the database, which every write to what it
shows (organizations, their languages and sectors, presences, employers) moves on; what the
viewer may see (`directory_viewer`); the language, the script prefix and the query; and for
INTERNATIONALE_DIRECTORY_CACHE_SECONDS at most.

Its cards and filter form are kept as rendered HTML too (`RenderCache`), by all that they show.
Nothing here is connected to signals until the app is ready (`connect`, from apps.py).
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

from internationale.core.actors import ViewerLike
from internationale.core.cache import Version, VersionedCache
from internationale.core.predicates import in_network, organizations_of
from internationale.core.templatetags import frame

from .models import (
    Employer,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    organization_filter_text_refresh,
)

version = Version("directory")


def _seconds() -> float:
    return float(settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS)


page_answers = VersionedCache(version, size=512, seconds=_seconds)
api_answers = VersionedCache(version, size=512, seconds=_seconds)


def directory_viewer(viewer: ViewerLike, *, employer: bool) -> Hashable:
    """What decides which organizations, and which presences, `organization_list` shows to the
    viewer: whether it is in the network, and its own organizations (to all but the network, its
    unverified ones; to everyone, its presences, which count only with the employer filter)."""
    network = in_network(viewer)
    mine = tuple(sorted(organizations_of(viewer))) if employer or not network else ()
    return (network, mine)


class RenderCache:
    """Rendered HTML, kept by everything it depends on: a hit is the same HTML a render would give.

    The directory shows the same cards and the same filter form to everyone, page after page, and
    rendering them through templates costs most of its time. A bound on the entries keeps odd
    queries from piling up; threads may render the same entry twice, which is harmless."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[Hashable, SafeString] = {}

    def get(self, key: Hashable, render: Callable[[], SafeString]) -> SafeString:
        html = self.entries.get(key)
        if html is None:
            html = render()
            if len(self.entries) >= self.size:
                self.entries.clear()
            self.entries[key] = html
        return html


cards = RenderCache(size=4096)
forms = RenderCache(size=128)


def forget() -> None:
    """Drop every kept answer and rendered block."""
    page_answers.clear()
    api_answers.clear()
    cards.entries.clear()
    forms.entries.clear()


def _forget_rendered_html(sender: Any, file_path: Path, **kwargs: Any) -> None:
    # The development server reloads templates without restarting: drop what they rendered.
    if file_path.suffix == ".html":
        forget()
        frame.forget()


# Set while a service writes several languages and sectors of an organization, and refreshes its
# filter_text once at the end.
_refresh_later: ContextVar[bool] = ContextVar("refresh_later", default=False)


@contextmanager
def filter_text_refreshed_once(organization: Organization) -> Iterator[None]:
    """Writes of the organization's languages and sectors inside, its `filter_text` after."""
    token = _refresh_later.set(True)
    try:
        yield
    finally:
        _refresh_later.reset(token)
    organization_filter_text_refresh([organization.pk])


def _refresh_filter_text(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A language or sector written one by one (the admin, the shell, tests): the words of its
    # organization follow. A deleted organization takes its words with it.
    if not _refresh_later.get() and not kwargs.get("raw"):
        organization_filter_text_refresh([instance.organization_id])


def connect() -> None:
    """Follow the writes to what the directory shows, and template edits. From ready()."""
    version.follow(
        Organization,
        OrganizationLanguage,
        OrganizationSector,
        Presence,
        Employer,
        name="directory",
    )
    file_changed.connect(_forget_rendered_html, dispatch_uid="directory:templates")
    for model in (OrganizationLanguage, OrganizationSector):
        for signal in (post_save, post_delete):
            signal.connect(
                _refresh_filter_text, sender=model, dispatch_uid=f"directory:words:{model.__name__}"
            )
