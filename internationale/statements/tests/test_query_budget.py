"""The statement's pages read a fixed number of queries, whatever the number of participants,
amendments, comments and positions: a page read for 3 participants and for 40 costs the same.
The Metalworkers of São Paulo (Sam speaks for them) initiate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.models import Amendment, Comment, Participant, Position, Version

from .test_create import start

PAGES = [
    "/statements/{pk}/",
    "/statements/{pk}/amendments/",
    "/statements/{pk}/versions/",
    "/statements/{pk}/compare/?from=1&to=2",
    "/api/v1/statements/{pk}",
    "/api/v1/statements/{pk}/consensus",
    "/statements/",
]


def grow(statement, organizations: int) -> None:  # type: ignore[no-untyped-def]
    """Add so many participants, each with an amendment, a comment and a position."""
    version = statement.current_version
    for _ in range(organizations):
        org = OrganizationFactory()
        Participant.objects.create(statement=statement, organization=org)
        Amendment.objects.create(
            statement=statement,
            version=version,
            paragraph=2,
            kind="replace",
            text="Another wording.",
            reason="Clearer.",
            organization=org,
        )
        Comment.objects.create(
            statement=statement, version=version, paragraph=1, organization=org, text="Yes."
        )
        Position.objects.create(
            statement=statement, version=version, organization=org, stance="agree"
        )


def queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("template", PAGES)
def test_a_page_reads_as_many_queries_for_40_participants_as_for_3(
    template, client_for, sam, owner_org, settings
):
    statement = start(sam, owner_org)
    revised = Version.objects.create(
        statement=statement,
        number=2,
        title=statement.title,
        paragraphs=[*statement.current_version.paragraphs, "A fourth paragraph."],
    )
    statement.current_version = statement.positions_version = revised
    statement.status = "positions"
    statement.save()
    client = client_for(sam)
    path = template.format(pk=statement.pk)
    grow(statement, 3)
    client.get(path)  # what a first read fills once per process
    few = queries(client, path)
    grow(statement, 37)
    assert queries(client, path) == few, path
