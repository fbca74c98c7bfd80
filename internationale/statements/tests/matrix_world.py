"""What the statement tests and the permission-matrix cases point at, built from the shared
permission-matrix world (core/tests/test_permission_matrix.py) with the services, and kept in
`w.extra`:

- `statement`: a statement drafted by the owning organization (Sam), three paragraphs, to which the
  other organization is invited, still drafting;
- `third`: a verified organization not invited, to invite (Dutch port union);
- `adopted`: a second statement of the owning organization, adopted (public): only once the
  positions part exists (see `built_adopted`).
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.services import statement_create

PARAGRAPHS = [
    "The right to strike is a fundamental right of every worker.",
    "We condemn the arrests of union organizers at the port of Santos.",
    "We call on every organization to send messages of solidarity.",
]


def deadlines(days: int = 10) -> dict[str, datetime.datetime]:
    now = timezone.now()
    return {
        "amendments_until": now + datetime.timedelta(days=days),
        "positions_until": now + datetime.timedelta(days=days * 2),
    }


def built(w: Any) -> dict[str, Any]:
    if "statement" in w.extra:
        return w.extra
    w.extra["statement"] = statement_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        title="For the right to strike",
        language="en",
        paragraphs=PARAGRAPHS,
        criteria=Criteria(add=[w.other_org.pk]),
        **deadlines(),
    )
    w.extra["third"] = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    return w.extra


def statement(w: Any) -> int:
    return built(w)["statement"].pk


def third(w: Any) -> int:
    return built(w)["third"].pk


def built_adopted(w: Any) -> Any:
    """The adopted public statement (`w.extra["adopted"]`), built by the positions part through
    its services (matrix_consensus.py): the owning organization agreed and signed, the other
    stood aside; the third organization added its signature after adoption (`added`)."""
    from .matrix_consensus import adopted

    adopted(w)
    return w.extra["adopted"]
