"""What the campaign tests start from: campaigns made through the services, as people make them."""

import datetime
import time
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.campaigns.models import Campaign
from internationale.campaigns.screening import form_fields
from internationale.campaigns.services import (
    TargetIn,
    campaign_create,
    campaign_launch,
    sponsors_invite,
    sponsorship_answer,
)

LETTER = "We, the undersigned, demand the release of **Ana Souza**, jailed for organizing."


def make_campaign(actor: Any, organization: Any, **changes: Any) -> Campaign:
    now = timezone.now()
    fields: dict[str, Any] = {
        "title": "Free Ana Souza",
        "text": LETTER,
        "language": "en",
        "goal": 1000,
        "starts_at": now - datetime.timedelta(minutes=1),
        "ends_at": now + datetime.timedelta(days=30),
        "targets": [TargetIn(name="Ministry of Labour", email="minister@labour.example")],
    }
    fields.update(changes)
    return campaign_create(actor=actor, organization=organization, **fields)


def launched(
    actor: Any, organization: Any, sponsor: Any = None, sponsor_speaker: Any = None, **changes: Any
) -> Campaign:
    """A launched campaign; with `sponsor` invited and, if `sponsor_speaker` is given, accepted."""
    campaign = make_campaign(actor, organization, **changes)
    if sponsor is not None:
        sponsors_invite(actor=actor, campaign=campaign, criteria=Criteria(add=[sponsor.pk]))
        if sponsor_speaker is not None:
            sponsorship_answer(
                actor=sponsor_speaker, campaign=campaign, organization=sponsor, accept=True
            )
    return campaign_launch(actor=actor, campaign=campaign)


def aged_form_fields(campaign_id: int, seconds: float = 30) -> dict[str, str]:
    """The sign form's hidden fields (the honeypot and the signed time) as made `seconds` ago: what
    a person's browser sends back after reading the form."""
    real = time.time
    time.time = lambda: real() - seconds  # type: ignore[assignment]
    try:
        return form_fields(campaign_id)
    finally:
        time.time = real  # type: ignore[assignment]
