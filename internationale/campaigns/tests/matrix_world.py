"""What the campaign cases of the permission matrix point at, built lazily from the shared world
(core/tests/test_permission_matrix.py) with the services, and kept in `w.extra`:

- `draft`: a draft campaign of the owning organization (Sam), to which the other organization is
  invited to co-sponsor (not answered yet): seen by the two organizations' people only;
- `open`: a launched campaign of the owning organization, public;
- `third`: a verified organization not invited yet, to invite;
- `token`: the confirmation token of a pending signature of `open`.
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.campaigns.services import (
    TargetIn,
    campaign_create,
    campaign_launch,
    sponsors_invite,
)
from internationale.campaigns.signing import confirmation_token
from internationale.campaigns.tests.signers import campaign_sign
from internationale.organizations.tests.factories import OrganizationFactory

from .helpers import aged_form_fields


def _make(w: Any, title: str) -> Any:
    now = timezone.now()
    return campaign_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        title=title,
        text="Reinstate the dismissed union delegates.",
        language="en",
        goal=500,
        starts_at=now - datetime.timedelta(minutes=1),
        ends_at=now + datetime.timedelta(days=30),
        targets=[TargetIn(name="Acme Motors", email="ceo@acme.example")],
    )


def built(w: Any) -> dict[str, Any]:
    if "draft" in w.extra:
        return w.extra
    draft = _make(w, "Reinstate the delegates")
    sponsors_invite(actor=w.people["sam"], campaign=draft, criteria=Criteria(add=[w.other_org.pk]))
    opened = campaign_launch(actor=w.people["sam"], campaign=_make(w, "Free Ana Souza"))
    signed = campaign_sign(
        campaign=opened, first_name="Lucía", email="lucia@correo.example", country="ES"
    )
    w.extra["draft"] = draft
    w.extra["open"] = opened
    w.extra["third"] = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    w.extra["token"] = confirmation_token(signed.signature)
    return w.extra


def draft(w: Any) -> int:
    return built(w)["draft"].pk


def opened(w: Any) -> int:
    return built(w)["open"].pk


def third(w: Any) -> str:
    return built(w)["third"].slug


def token(w: Any) -> str:
    return built(w)["token"]


def campaign_form(w: Any) -> dict[str, Any]:
    now = timezone.localtime()
    return {
        "organization": w.owner_org.slug,
        "kind": "petition",
        "title": "Safety at the port",
        "text": "We demand safe working conditions.",
        "language": "en",
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "goal": "300",
        "delivery": "daily",
        "delivery_every": "100",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-name": "Port Authority",
        "targets-0-email": "director@port.example",
        "targets-0-postal_address": "",
    }


def sign_form(w: Any) -> dict[str, Any]:
    """What the open campaign's sign form sends, its hidden fields made half a minute before."""
    return aged_form_fields(opened(w)) | {
        "first_name": "Mariana",
        "email": "mariana@correo.example",
        "country": "AR",
        "language": "es",
    }
