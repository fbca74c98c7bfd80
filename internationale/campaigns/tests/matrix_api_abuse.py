"""Permission-matrix cases for the API of campaigns after signing (see matrix_abuse.py for the
pages): 401 for the anonymous visitor; the operators' endpoints 404 for anyone but Oscar; the
organizer's 403 for others who see the public campaign; a sponsor's signers: Kim and Kai, Kit (a
member) 403, people of no role in the Korean Dockworkers 404."""

import datetime
from typing import Any

from django.utils import timezone

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, SIGNED_IN, Case, expect

from .matrix_world_abuse import campaign, rule

API = "/api/v1/campaigns"


def operators(ok: int) -> dict[str, int]:
    return expect(["oscar"], ok, 404, anonymous=401)


def window(w: Any) -> dict[str, Any]:
    campaign(w)
    return {
        "domain": "correo.example",
        "since": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "until": (timezone.now() + datetime.timedelta(minutes=5)).isoformat(),
    }


sponsor = expect(["kim", "kai"], 200, 404, anonymous=401) | {"kit": 403}

CASES = [
    Case("api:screening_trends", "GET", lambda w: f"{API}/screening/trends", operators(200)),
    Case("api:screening_rule_list", "GET", lambda w: f"{API}/screening/rules", operators(200)),
    Case(
        "api:screening_rule_add",
        "POST",
        lambda w: f"{API}/screening/rules",
        operators(201),
        data=lambda w: {"list": "allow", "kind": "domain", "pattern": "union.example"},
        json=True,
    ),
    Case(
        "api:screening_rule_remove",
        "DELETE",
        lambda w: f"{API}/screening/rules/{rule(w)}",
        operators(204),
    ),
    Case(
        "api:invalidation_preview",
        "POST",
        lambda w: f"{API}/screening/invalidations/preview",
        operators(200),
        data=window,
        json=True,
    ),
    Case(
        "api:signatures_invalidate",
        "POST",
        lambda w: f"{API}/screening/invalidations",
        operators(200),
        data=lambda w: {**window(w), "reason": "A flood", "confirm": True},
        json=True,
    ),
    Case(
        "api:campaign_delivery_list",
        "GET",
        lambda w: f"{API}/{campaign(w)}/deliveries",
        expect(OWNER_SPEAKERS, 200, 403, anonymous=401),
    ),
    Case(
        "api:campaign_update_list",
        "GET",
        lambda w: f"{API}/{campaign(w)}/updates",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:campaign_update_post",
        "POST",
        lambda w: f"{API}/{campaign(w)}/updates",
        expect(OWNER_SPEAKERS, 201, 403, anonymous=401),
        data=lambda w: {"title": "Heard in court", "text": "It went well."},
        json=True,
    ),
    Case(
        "api:sponsor_signer_list",
        "GET",
        lambda w: f"{API}/{campaign(w)}/signers/{w.other_org.slug}",
        sponsor,
    ),
]

assert all(set(c.expected) == set(PERSONAS) for c in CASES)
