"""The send preview routes once for a set of criteria: paging through it, showing one country's
organizations or leaving some out reads what was routed, until an organization changes. These
tests commit (transaction=True): inside a transaction nothing is kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.addressing import preview
from internationale.organizations.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _forget_routing():
    preview.answers.clear()


def _kenyans(count: int, start: int = 0) -> list[Organization]:
    return Organization.objects.bulk_create(
        [
            Organization(
                name=f"Dockers {i:03}",
                slug=f"dockers-{i}",
                country="KE",
                verified_at=timezone.now(),
            )
            for i in range(start, start + count)
        ]
    )


def _preview(client, draft, query: str = "") -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/appeals/{draft.pk}/send/?preview=1&countries=KE{query}")
    assert page.status_code == 200
    return page.content.decode(), len(queries)


def test_paging_and_leaving_out_do_not_route_again(draft, sam, client_for):
    kenya = _kenyans(12)
    client = client_for(sam)
    first, routed = _preview(client, draft)
    assert "Preview: 12 organizations" in first
    second, kept = _preview(client, draft, f"&page=2&remove={kenya[0].pk}")
    assert "Preview: 11 organizations" in second
    assert kept < routed


def test_a_new_organization_shows_in_the_next_preview(draft, sam, client_for):
    _kenyans(3)
    client = client_for(sam)
    assert "Preview: 3 organizations" in _preview(client, draft)[0]
    Organization.objects.create(
        name="Dockers new", slug="dockers-new", country="KE", verified_at=timezone.now()
    )
    assert "Preview: 4 organizations" in _preview(client, draft)[0]
