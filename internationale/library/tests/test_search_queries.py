"""The search API reads the versions of all its hits at once: its queries do not grow with the
number of hits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.translation.models import LanguageVersion

pytestmark = pytest.mark.django_db

GREVE = "Os trabalhadores do porto estão em greve desde segunda-feira."


def _documents(publish, organization, count, start=0):  # type: ignore[no-untyped-def]
    for n in range(start, start + count):
        document = publish(organization, f"Greve no porto {n}", GREVE, language="pt")
        LanguageVersion.objects.create(
            original=document,
            language="en",
            texts={"title": f"Strike at the port {n}"},
            status="machine",
            source_hash="x",
        )


def _search(client):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(
            "/api/v1/library/search", {"q": "greve porto", "limit": 50}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert answer.status_code == 200
    return answer.json(), len(queries)


def test_the_search_api_reads_versions_once_for_every_hit(
    client_for, publish, owner_org, django_assert_max_num_queries
):
    # Each search after new documents first brings the kept audience up to date
    # (library/audience.py: once per change, whatever the hits); the searches compared follow it.
    _documents(publish, owner_org, 2)
    _search(client_for())
    few, few_queries = _search(client_for())
    assert few["count"] == 2
    _documents(publish, owner_org, 20, start=2)
    _search(client_for())
    many, many_queries = _search(client_for())
    assert many["count"] == 22
    assert {hit["title"] for hit in many["items"]} == {f"Strike at the port {n}" for n in range(22)}
    assert all(hit["machine_translation"] for hit in many["items"])
    assert many_queries == few_queries
    # The budget of a search, whatever the number of hits (the versions: one query of it).
    with django_assert_max_num_queries(6):
        _search(client_for())
