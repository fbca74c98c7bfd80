"""`internationale org rotate-key`: the operator's way to change an organization's key."""

import pytest

from internationale import cli
from internationale.core.models import AuditEntry
from internationale.federation.keys import current_key
from internationale.federation.models import ActorKey, OutgoingActivity
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_rotate_key_gives_a_new_key_and_keeps_the_old_one(capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    old = current_key(OrganizationFactory(slug="docks"))
    assert cli.main(["org", "rotate-key", "docks"]) == 0
    out = capsys.readouterr().out
    assert "docks now signs with http://127.0.0.1:8000/federation/actors/docks/keys/2" in out
    keys = ActorKey.objects.order_by("number")
    assert [k.number for k in keys] == [1, 2]
    assert keys[0].public_key_pem == old.public_key_pem and keys[0].retired_at is not None
    assert OutgoingActivity.objects.get().activity_type == "Update"
    entry = AuditEntry.objects.get(action="federation.rotate_key")
    assert (entry.actor, entry.system) == (None, "cli")


def test_rotate_key_of_an_unknown_organization_changes_nothing(capsys):
    assert cli.main(["org", "rotate-key", "nobody"]) != 0
    assert "nobody" in capsys.readouterr().err
    assert not ActorKey.objects.exists()
