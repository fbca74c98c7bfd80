"""The page of a public appeal, as signed-out readers see it, kept between requests.

Signed-out readers are most of those who read a public appeal (it is shared by e-mail, feeds and
social networks), and they all see the same page: what `appeal_detail` renders for them is kept
per process (core/cache.py), by
- the appeal;
- its version (core/versions.py), shared by every process of the server and changed, in the
  transaction of the write, by every write to what the page shows: the appeal itself (its text,
  status, outcome, visibility), its updates, its pledges, the aid received against them (the
  aid app connects its own model: `follow`), and the language versions of the appeal and of its
  updates (translations.py);
- the language (the page is read in it: the versions in it, when there are), whether the original
  was asked for (`?original=1`), the script prefix and the reader's time zone (times are shown
  in it);
and for INTERNATIONALE_APPEAL_CACHE_SECONDS at most, the bound for what the version does not
follow (a new name of the issuing organization or of the employer).

What is kept is the content of the page alone, rendered with no CSRF token: the site's header,
with the reader's own token and messages, is rendered around it for every request. Signed-in
readers never read it (their page shows what they may do), and an appeal the reader may not see
raises Http404 before anything is kept. The mechanism is core.cache.PublicPages, shared with the
pages of adopted statements.

Signed-in readers (the issuer's people, the addressees') get the parts of the page that are the
same for everyone who may see the appeal from `fragments` (core/cache.py), under the same version,
read with the appeal itself (`selectors.appeal_access(versioned=True)`): the appeal's text and
facts, and its timeline. What depends on the reader (what they may do, the pledges and answers
they may see) is rendered for each request around them.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.safestring import SafeString

from internationale.core.cache import Fragments, PublicPages, VersionedCache
from internationale.core.versions import SharedVersions
from internationale.translation.models import LanguageVersion

from .models import Appeal, AppealUpdate, Pledge, Response


def _seconds() -> float:
    return float(settings.INTERNATIONALE_APPEAL_CACHE_SECONDS)


T = TypeVar("T")

# Each appeal's own shared version (`appeal:<pk>`), a part of its pages' key, does the work.
pages = PublicPages("appeal", size=512, seconds=_seconds)
versions = pages.versions


# The version of an appeal's answers (its responses), apart from the page's: answers come by
# the thousand, and none of them changes what signed-out readers see.
answers = SharedVersions("appeal-answers")

# Parts of the page, by appeal and version (see above).
fragments = Fragments(size=1024, seconds=_seconds)

# The appeals themselves as signed-in readers' pages read them, by appeal and page version
# (`selectors.appeal_access(versioned=True)`): each request then reads only the versions and
# whether the appeal was sent to the reader's organizations, and decides in Python.
appeals_read = VersionedCache(None, size=512, seconds=_seconds)


def part(appeal: Appeal, name: str, render: Callable[[], T], reader: Hashable = ()) -> T:
    """Part `name` of the appeal's page, as `render` gives it, kept until what it shows changes.
    The appeal was read with its versions (`selectors.appeal_access(versioned=True)`): one query
    for all, so the part is never older than the appeal read beside it. `reader`: what the part
    depends on of the reader, when it does (their organizations and roles, never the person).
    A part may also be what the page is made from rather than markup: the appeal and its updates
    as read in the page's language (translations.readings), which changes with the version too."""
    if "page_version" not in appeal.__dict__:
        return render()  # read without its versions: nothing to key it by
    versions = (appeal.__dict__["page_version"], appeal.__dict__.get("answers_version"))
    kept = fragments.get(
        name, (appeal.pk, reader), versions, cast(Callable[[], SafeString], render)
    )
    return cast(T, kept)


def changed(appeal_id: int) -> None:
    """For a write that bypasses the model signals (a queryset's update()), in its transaction."""
    pages.changed(appeal_id)


def follow(model: type[models.Model], appeal: Callable[[Any], Hashable | None]) -> None:
    """Change the version of `appeal(instance)`'s page at every write of `model`. From ready()."""
    pages.follow(model, appeal)


def _appeal_of_version(version: LanguageVersion) -> int | None:
    """The appeal whose page shows a language version: its own, or its update's."""
    model = ContentType.objects.get_for_id(version.content_type_id).model_class()
    if model is Appeal:
        return version.object_id
    if model is AppealUpdate:
        return (
            AppealUpdate.objects.filter(pk=version.object_id)
            .values_list("appeal_id", flat=True)
            .first()
        )
    return None


def connect() -> None:
    """Follow the writes to what the page shows, from this app. From ready()."""
    follow(Appeal, lambda appeal: appeal.pk)
    follow(AppealUpdate, lambda update: update.appeal_id)
    follow(Pledge, lambda pledge: pledge.appeal_id)
    follow(LanguageVersion, _appeal_of_version)
    answers.follow(Response, key=lambda response: response.appeal_id, dispatch_uid="appeal_answers")
