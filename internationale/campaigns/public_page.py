"""The page of a public campaign, as signed-out readers see it, kept between requests.

Campaign pages are shared widely and read mostly by people who are not signed in, who all see the
same page: what `views.campaign_detail` renders for them is kept per process
(core.cache.PublicPages, as the pages of public appeals and statements), by
- the campaign;
- its version (`campaign:<pk>`, core/versions.py), shared by every process of the server and
  changed, in the transaction of the write, by every write to what the page shows: the campaign
  itself, its targets, its co-sponsors' answers, its language versions, and its count, which the
  counting task changes in batches (counting.py, `changed`), with the latest signers shown;
- the language (the text is read in the reader's language when it has a version in it), whether
  the original was asked for (`?original=1`), the script prefix and the reader's time zone;
and for INTERNATIONALE_CAMPAIGN_CACHE_SECONDS at most, the bound for what the version does not
follow (a new name of the organizer or of a co-sponsor).

What is kept holds nothing personal: the signers shown are those who chose to be, by first name
and country alone; the sign form is rendered without a CSRF token (signing needs none: it acts
for no account). Signed-in readers never read it, and a campaign the reader may not see (a draft)
raises Http404 before anything is kept.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from internationale.core.cache import PublicPages
from internationale.translation.models import LanguageVersion

from .models import Campaign, Sponsor, Target


def _seconds() -> float:
    return float(settings.INTERNATIONALE_CAMPAIGN_CACHE_SECONDS)


pages = PublicPages("campaign", size=1024, seconds=_seconds)


def changed(campaign_id: int) -> None:
    """For a write that bypasses the model signals (a queryset's update()), in its transaction."""
    pages.changed(campaign_id)


def _campaign_of_version(version: LanguageVersion) -> int | None:
    if version.content_type_id == ContentType.objects.get_for_model(Campaign).pk:
        return version.object_id
    return None


def connect() -> None:
    """Follow the writes to what the page shows. From ready()."""
    pages.follow(Campaign, lambda campaign: campaign.pk)
    pages.follow(Target, lambda target: target.campaign_id)
    pages.follow(Sponsor, lambda sponsor: sponsor.campaign_id)
    pages.follow(LanguageVersion, _campaign_of_version)
