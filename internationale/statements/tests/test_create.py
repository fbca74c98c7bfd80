"""Starting a statement and inviting its participants, through the services. The Metalworkers of
São Paulo (Sam speaks for them, Mo is a member) initiate; the Korean Dockworkers (Kim speaks for
them) are invited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.models import Participant, Statement
from internationale.statements.selectors import statement_list, version_get
from internationale.statements.services import statement_create, statement_invite

from .matrix_world import PARAGRAPHS, deadlines


def start(sam, owner_org, **changes):  # type: ignore[no-untyped-def]
    values = {
        "actor": sam,
        "organization": owner_org,
        "title": "For the right to strike",
        "language": "en",
        "paragraphs": PARAGRAPHS,
        **deadlines(),
    }
    values.update(changes)
    return statement_create(**values)


def test_a_statement_starts_with_version_1_and_its_invited_participants_hear_of_it(
    sam, kim, mo, owner_org, other_org, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = start(sam, owner_org, criteria=Criteria(add=[other_org.pk]))
    work_off()
    assert statement.status == Statement.Status.DRAFTING
    assert statement.visibility == "addressed"
    assert statement.current_version.number == 1
    assert statement.current_version.paragraphs == PARAGRAPHS
    participant = Participant.objects.get(statement=statement)
    assert participant.organization == other_org
    assert participant.delivered_at is not None
    assert InboxEntry.objects.filter(organization=other_org, kind="statement.invited").exists()
    assert AuditEntry.objects.filter(action="statement.create").count() == 1
    # The invited organization's people see it; version 1 is theirs to read.
    assert list(statement_list(viewer=kim)) == [statement]
    assert version_get(viewer=kim, statement=statement, number=1).paragraphs == PARAGRAPHS


def test_nobody_outside_the_participants_sees_a_draft(sam, owner_org, nell, oscar):
    statement = start(sam, owner_org)
    third = OrganizationFactory()
    assert not statement.is_visible_to(nell)
    assert not statement.is_visible_to(oscar)
    assert not Statement.objects.visible_to(oscar).exists()
    statement_invite(actor=sam, statement=statement, criteria=Criteria(add=[third.pk]))
    assert Participant.objects.filter(statement=statement, organization=third).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"paragraphs": []}, "paragraphs"),
        ({"paragraphs": ["One.", "  "]}, "paragraphs"),
        ({"language": ""}, "language"),
        ({"amendments_until": timezone.now() - datetime.timedelta(days=1)}, "amendments_until"),
        (
            {
                "amendments_until": timezone.now() + datetime.timedelta(days=9),
                "positions_until": timezone.now() + datetime.timedelta(days=3),
            },
            "positions_until",
        ),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_written(sam, owner_org, changes, field):
    with pytest.raises(ValidationError) as refused:
        start(sam, owner_org, **changes)
    assert field in refused.value.message_dict
    assert not Statement.objects.exists()


def test_members_cannot_start_statements_nor_invite(sam, mo, owner_org, other_org):
    with pytest.raises(PermissionDenied):
        start(mo, owner_org)
    statement = start(sam, owner_org)
    with pytest.raises(PermissionDenied):
        statement_invite(actor=mo, statement=statement, criteria=Criteria(add=[other_org.pk]))
