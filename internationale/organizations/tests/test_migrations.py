"""Upgrading the directory's index: the filters' words of every organization are written, and the
search still follows edits afterwards (on SQLite, adding the column rebuilt the table, which takes
the index's triggers with it), and back again."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from internationale.core.actors import System
from internationale.core.search import indexed_text
from internationale.organizations import services
from internationale.organizations.models import Organization
from internationale.organizations.selectors import DirectoryFilters, organization_list

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("organizations", "0008_organization_language_upper_index")
# Through the latest migration that rebuilds the table (0010, federation's remote organizations),
# which must make the triggers again too; the live model reads its columns; and through the
# stored vectors that the directory reads on PostgreSQL (0011), and back.
AFTER = ("organizations", "0011_organization_stored_vectors")


def found(**filters: str) -> set[str]:
    listed = organization_list(viewer=AnonymousUser(), filters=DirectoryFilters(**filters))
    return {org.slug for org in listed}


def test_the_filters_find_what_was_there_and_the_search_follows_edits_both_ways(migrate):
    old = migrate(BEFORE)
    OldOrganization = old.get_model("organizations", "Organization")
    docks = OldOrganization.objects.create(
        name="Dockworkers of Santos",
        slug="docks-santos",
        kind="union",
        country="BR",
        city="Santos",
        verified_at=timezone.now(),
        search_text=indexed_text("Dockworkers of Santos", "", "Santos"),
    )
    old.get_model("organizations", "OrganizationLanguage").objects.create(
        organization_id=docks.pk, tag="pt-BR"
    )
    old.get_model("organizations", "OrganizationSector").objects.create(
        organization_id=docks.pk, code="H"
    )

    migrate(AFTER)

    assert found(q="santos") == {"docks-santos"}
    assert found(region="South America", sector="H", language="pt") == {"docks-santos"}
    assert found(q="dock", country="BR", kind="union") == {"docks-santos"}
    assert found(region="Europe") == set()

    # Today's services save through every app's signals (the addressees of every addressed thing
    # follow the organization's country): the whole schema, not only this app's, must be there.
    migrate()
    system = System(reason="test")
    organization = Organization.objects.get(slug="docks-santos")
    services.organization_update(
        actor=system,
        organization=organization,
        name="Dockworkers of Lisbon",
        country="PT",
        city="Lisboa",
        languages=["pt"],
        sectors=["C"],
    )
    assert found(q="lisbon") == {"docks-santos"}
    assert found(q="santos") == set()
    assert found(region="Southern Europe", sector="C", language="pt") == {"docks-santos"}
    assert found(country="BR") == found(sector="H") == found(language="pt-BR") == set()

    # Back: migration 0007's index of the names alone follows edits again.
    old = migrate(BEFORE)
    old.get_model("organizations", "Organization").objects.filter(slug="docks-santos").update(
        search_text=indexed_text("Portworkers of Lisbon")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM organizations_search WHERE organizations_search MATCH 'portw*'"
            )
        else:
            cursor.execute(
                "SELECT id FROM organizations_organization WHERE to_tsvector('simple', "
                "search_text) @@ to_tsquery('simple', 'portw:*')"
            )
        assert cursor.fetchall() == [(organization.pk,)]
