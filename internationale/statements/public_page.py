"""The pages of an adopted public statement, as signed-out readers see them, kept between requests.

Signed-out readers are most of those who read a public statement (it is shared by feeds, e-mail
and the press), and they all see the same page: the statement page (`views.statement_detail`)
and its printable layout (`views_publication.statement_print`) are kept per process
(core.cache.PublicPages, as the pages of public appeals), by
- the statement;
- its version (`statement:<pk>`, core/versions.py), shared by every process of the server and
  changed, in the transaction of the write, by every write to what the pages show: the statement
  itself (its status, visibility, the version adopted), its versions, its signatures (added at or
  after adoption, declined) and its language versions (translation.LanguageVersion: made by a
  machine, entered, reviewed or removed by a person);
- the language (the adopted text is read in the reader's language when it has a version in it),
  the script prefix, the reader's time zone, the language version asked for (`?lang=`, its tag
  normalized) and whether the original was asked for (`?original=1`);
and for INTERNATIONALE_STATEMENT_CACHE_SECONDS at most, the bound for what the version does not
follow (a new name of a signatory or of the initiator).

What is kept is the page's content alone, rendered with no CSRF token and for a reader who may do
nothing (core.cache.page_content): the site's header, with the reader's own token and messages, is
rendered around it for every request. It names no person: whoever entered or reviewed a
language version is credited to signed-in readers only. Signed-in readers never read it (their page shows the
drafting they take part in and what they may do), and a statement the reader may not see raises
Http404 before anything is kept.
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from internationale.core.cache import PublicPages
from internationale.organizations.reference import normalize_language
from internationale.translation.models import LanguageVersion

from .models import Signature, Statement, Version


def _seconds() -> float:
    return float(settings.INTERNATIONALE_STATEMENT_CACHE_SECONDS)


pages = PublicPages("statement", size=512, seconds=_seconds)


def language_asked(request: HttpRequest) -> str:
    """The language version asked for with `?lang=`, as a part of the kept page's key: its tag
    normalized (any spelling of it reads the same page), or "" when none or not a tag (the page
    shows the original)."""
    try:
        return normalize_language(request.GET.get("lang") or "").lower()
    except ValueError:
        return ""


def original_asked(request: HttpRequest) -> bool:
    """Whether the reader asked for the original (`?original=1`) rather than their language's."""
    return bool(request.GET.get("original"))


def _statement_of(version: LanguageVersion) -> Any:
    if version.content_type_id != ContentType.objects.get_for_model(Statement).pk:
        return None
    return version.object_id


def connect() -> None:
    """Follow the writes to what the pages show. From the app config's ready()."""
    pages.follow(Statement, lambda statement: statement.pk)
    pages.follow(Version, lambda version: version.statement_id)
    pages.follow(Signature, lambda signature: signature.statement_id)
    pages.follow(LanguageVersion, _statement_of)
