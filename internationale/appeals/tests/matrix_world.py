"""What the appeal cases of the permission matrix point at, built lazily from the shared world
(core/tests/test_permission_matrix.py) with the services, and kept in `w.extra`:

- `draft`: a draft by the owning organization (Sam);
- `appeal`: a network appeal by the owning organization, sent to the other organization, where Kim
  pledged material aid (`pledge`, 100 USD, not public), declared it sent (`contribution`), and
  pledged sympathy, fulfilled with an evidence file (`fulfilled`);
- `public`: a public appeal by the owning organization, sent to the other organization;
- `third`: a verified organization that did not receive the appeal, to pass it to.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.aid.services import contribution_declare
from internationale.appeals.services import (
    appeal_create,
    pledge_create,
    pledge_fulfil,
)
from internationale.organizations.tests.factories import OrganizationFactory

from .factories import send_now


def _draft(w: Any, **extra: Any) -> Any:
    fields = {
        "title": "Lockout at the Anchieta plant",
        "text": "The company locked out **1,200** workers.",
        "language": "pt-BR",
        "situation": "lockout",
        "country": "BR",
        "urgency": 1,
        "asks_sympathy": True,
        "sympathy_target": "Board of directors",
        "sympathy_address": "1 Industrial Avenue, Stuttgart",
        "asks_material_aid": True,
        "aid_goal_amount": Decimal("10000"),
        "aid_goal_currency": "USD",
        "deadline": timezone.now() + datetime.timedelta(days=10),
        **extra,
    }
    return appeal_create(actor=w.people["sam"], organization=w.owner_org, **fields)


def built(w: Any) -> dict[str, Any]:
    if "appeal" in w.extra:
        return w.extra
    sam, kim = w.people["sam"], w.people["kim"]
    appeal = send_now(actor=sam, appeal=_draft(w), criteria=Criteria(add=[w.other_org.pk]))
    public = send_now(
        actor=sam,
        appeal=_draft(w, title="Free the Anchieta five", visibility="public"),
        criteria=Criteria(add=[w.other_org.pk]),
    )
    pledge = pledge_create(
        actor=kim,
        appeal=appeal,
        organization=w.other_org,
        forms=["material_aid"],
        description="Our strike fund.",
        amount=Decimal("100"),
        currency="USD",
    )
    fulfilled = pledge_create(
        actor=kim,
        appeal=appeal,
        organization=w.other_org,
        forms=["sympathy"],
        description="Letters.",
    )
    pledge_fulfil(
        actor=kim,
        pledge=fulfilled,
        evidence_file=SimpleUploadedFile("letter.txt", b"Dear board", "text/plain"),
    )
    w.extra.update(
        draft=_draft(w, title="A draft"),
        appeal=appeal,
        public=public,
        pledge=pledge,
        fulfilled=fulfilled,
        contribution=contribution_declare(
            actor=kim, pledge=pledge, amount=Decimal("100"), currency="USD"
        ),
        third=OrganizationFactory(name="Hamburg Port Union", slug="hafen-matrix"),
    )
    return w.extra


def appeal(w: Any) -> int:
    return built(w)["appeal"].pk


def draft(w: Any) -> int:
    return built(w)["draft"].pk


def public(w: Any) -> int:
    return built(w)["public"].pk


def pledge(w: Any) -> int:
    return built(w)["pledge"].pk


def fulfilled(w: Any) -> int:
    return built(w)["fulfilled"].pk


def contribution(w: Any) -> int:
    return built(w)["contribution"].pk
