"""What the permission-matrix cases of campaigns after signing point at, built lazily in
`w.extra` from the shared world (core/tests/test_permission_matrix.py) with the services: a
launched public campaign of the owning organization (Sam), co-sponsored by the other organization
(Kim accepted), signed and confirmed by two people (one consenting to each organization); an entry
in the block list."""

from typing import Any

from internationale.campaigns.models import ScreeningRule
from internationale.campaigns.outcome import unsubscribe_token
from internationale.campaigns.sponsors import signer_token

from .helpers import launched
from .signers import signed


def built(w: Any) -> dict[str, Any]:
    if "campaign_after" in w.extra:
        return w.extra
    campaign = launched(
        w.people["sam"], w.owner_org, sponsor=w.other_org, sponsor_speaker=w.people["kim"]
    )
    w.extra["campaign_after"] = campaign
    w.extra["lucia"] = signed(
        campaign, 1, email="lucia@correo.example", consents=[w.other_org.pk], wants_news=True
    )
    signed(campaign, 2, email="pedro@correo.example", consents=[w.owner_org.pk])
    w.extra["rule"] = ScreeningRule.objects.create(
        list="block", kind="domain", pattern="flood.example"
    )
    return w.extra


def campaign(w: Any) -> int:
    return built(w)["campaign_after"].pk


def rule(w: Any) -> int:
    return built(w)["rule"].pk


def signer(w: Any) -> str:
    return signer_token(built(w)["lucia"].pk)


def news_off(w: Any) -> str:
    return unsubscribe_token(built(w)["lucia"].pk)
