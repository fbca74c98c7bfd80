"""Every declaration, on the demo network's richest organization (appeals, pledges and aid,
meetings with agendas, minutes, agreements and tasks, statements, advice, documents, inboxes):
exported, removed, imported again, each part comes back whole but for the rows that depend on
something left behind."""

import io

import pytest

from internationale.core.actors import System
from internationale.core.owned import owned
from internationale.organizations.models import Membership, Organization
from internationale.ownership.importing import import_archive
from internationale.statements.models import Statement
from internationale.web.demo import load_demo

from .test_move import exported_archive

pytestmark = pytest.mark.django_db


def richest() -> Organization:
    """The organization owning rows of the most kinds."""
    counts = {
        org: sum(
            d.model_class._base_manager.filter(d.owned_by(org.pk)).exists()
            for d in owned()
            if d.owners
        )
        for org in Organization.objects.all()
    }
    return max(counts, key=lambda org: counts[org])


def test_the_demo_networks_richest_organization_comes_back_whole():
    assert load_demo() is True
    organization = richest()
    slug = organization.slug
    admin = Membership.objects.filter(organization=organization, role="admin").first().user
    archive = exported_archive(organization, admin)
    # What its archive holds: the rows it owns, and those whose people consented to it.
    counts = {
        d.key: d.model_class._base_manager.filter(
            d.owned_by(organization.pk) | d.consented_to(organization.pk)
        )
        .distinct()
        .count()
        for d in owned()
        if d.owners
    }
    # A real test: rows of many kinds to move.
    assert len([key for key, count in counts.items() if count]) >= 20
    organization.delete()

    imported = import_archive(io.BytesIO(archive), actor=System(reason="test"), verified=True)
    assert imported.organization.slug == slug
    for key, count in counts.items():
        if key in ("organizations.relation", "accounts.person"):
            continue  # relations are proposed again; people are matched by their address
        back = sum(
            part.get(key, 0) for part in (imported.created, imported.left_out, imported.not_agreed)
        )
        assert back == count, key
    # References to rows imported later (a statement's current version) point into the new rows.
    statements = Statement.objects.filter(organization=imported.organization)
    assert statements.count() == counts["statements.statement"] > 0
    for statement in statements:
        if statement.current_version_id is not None:
            assert statement.current_version.statement_id == statement.pk
    assert statements.exclude(current_version=None).exists()
    # What needs only the organization and its own rows is all back.
    for key in ("appeals.appeal", "appeals.update", "organizations.membership", "library.document"):
        assert imported.left_out.get(key, 0) == 0, key
