"""An adopted statement for the publication tests, made directly (as adoption does it: status,
date, the version adopted, visibility, signatures), so that these tests do not depend on the
positions part."""

from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.statements.models import Signature, Statement
from internationale.statements.services import statement_create

from .matrix_world import PARAGRAPHS, deadlines


def adopt(
    statement: Statement, *signers: Any, reservations: dict[int, str] | None = None
) -> Statement:
    """The statement adopted as adoption leaves it, with `signers` (organizations) signing."""
    version = statement.current_version
    assert version is not None
    version.is_adopted = True
    version.save(update_fields=["is_adopted"])
    statement.status = Statement.Status.ADOPTED
    statement.adopted_at = timezone.now()
    statement.visibility = statement.adopted_visibility
    statement.save(update_fields=["status", "adopted_at", "visibility", "updated_at"])
    for organization in signers:
        Signature.objects.create(
            statement=statement,
            organization=organization,
            source=Signature.Source.ADOPTION,
            country=str(organization.country),
            reservations=(reservations or {}).get(organization.pk, ""),
        )
    return statement


def adopted(
    sam: Any,
    owner_org: Any,
    other_org: Any,
    *,
    visibility: str = "public",
    title: str = "For the right to strike",
) -> Statement:
    """A statement by the owning organization (Sam), the other invited, adopted with both signing."""
    statement = statement_create(
        actor=sam,
        organization=owner_org,
        title=title,
        language="en",
        paragraphs=PARAGRAPHS,
        criteria=Criteria(add=[other_org.pk]),
        adopted_visibility=visibility,
        **deadlines(),
    )
    return adopt(statement, owner_org, other_org)
