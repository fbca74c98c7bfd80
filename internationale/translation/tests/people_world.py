"""What the permission-matrix cases of the people who translate point at, kept in `w.extra`:

- kit (of the other organization) and mo (of the owning one) volunteer from Portuguese into
  English; `pair`: kit's pair;
- `open_request`: sam asked for the review of the machine's English version of the public
  document; no one has taken it;
- `taken_request`: sam asked for an English translation of the private document; mo took it.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from internationale.library.models import Document
from internationale.translation.content import source_hash
from internationale.translation.models import TranslationRequest, Volunteer
from internationale.translation.registry import original_texts

from .world import built


def people_built(w: Any) -> dict[str, Any]:
    extra = built(w)
    if "pair" not in extra:
        documents = ContentType.objects.get_for_model(Document)
        extra["pair"] = Volunteer.objects.create(
            person=w.people["kit"], source_language="pt", target_language="en"
        )
        Volunteer.objects.create(person=w.people["mo"], source_language="pt", target_language="en")
        extra["open_request"] = TranslationRequest.objects.create(
            content_type=documents,
            object_id=extra["document"].pk,
            source_language="pt",
            target_language="en",
            kind="review",
            requested_by=w.people["sam"],
        )
        extra["taken_request"] = TranslationRequest.objects.create(
            content_type=documents,
            object_id=extra["private_document"].pk,
            source_language="pt",
            target_language="en",
            kind="translate",
            status="taken",
            requested_by=w.people["sam"],
            taken_by=w.people["mo"],
            taken_at=timezone.now(),
        )
    return extra


def pair(w: Any) -> int:
    return people_built(w)["pair"].pk


def open_request(w: Any) -> int:
    return people_built(w)["open_request"].pk


def taken_request(w: Any) -> int:
    return people_built(w)["taken_request"].pk


def translation(w: Any) -> dict[str, str]:
    """A complete translation of the private document, as the form sends it."""
    texts = original_texts(people_built(w)["private_document"])
    return {
        "source_hash": source_hash(texts),
        "title": "Strike at the factory",
        "summary": "",
        "body": "The factory workers have been on strike since Monday.",
    }
