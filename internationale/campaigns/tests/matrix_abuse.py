"""Permission-matrix cases for the pages of campaigns after signing (see core/tests/matrix.py and
matrix_world.py): the operators' screening (Oscar only; everyone else 404, as if missing); the
organizer's deliveries, downloads and updates (Sam and Ana; others who see the public campaign
403); a sponsor's signers (those who speak for it: Kim and Kai for the Korean Dockworkers; Kit, a
member, 403; people of no role in it 404); the signer's and the unsubscribe pages (the link's
token is the authority: anyone holding it). The anonymous visitor is sent to sign in (302) where
an account is needed; successful form posts redirect (302)."""

import datetime
from typing import Any

from django.utils import timezone

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect

from .matrix_world_abuse import campaign, news_off, rule, signer

EVERYONE = PERSONAS
SIGNED_IN_NOT = {p: 403 for p in PERSONAS}


def operators(ok: int) -> dict[str, int]:
    result = expect(["oscar"], ok, 404)
    result["anonymous"] = 302
    return result


def organizer(ok: int) -> dict[str, int]:
    return expect(OWNER_SPEAKERS, ok, 403, anonymous=302)


def sponsor(ok: int) -> dict[str, int]:
    result = expect(["kim", "kai"], ok, 404, anonymous=302)
    result["kit"] = 403
    return result


def window(w: Any) -> dict[str, str]:
    now = timezone.localtime()
    return {
        "domain": "correo.example",
        "since": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "until": (now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "A flood",
    }


CASES = [
    Case("screening_overview", "GET", lambda w: "/campaigns/screening/", operators(200)),
    Case(
        "screening_rule_add",
        "POST",
        lambda w: "/campaigns/screening/rules/",
        operators(302),
        data=lambda w: {"list": "block", "kind": "domain", "pattern": "spam.example"},
    ),
    Case(
        "screening_rule_remove",
        "GET",
        lambda w: f"/campaigns/screening/rules/{rule(w)}/remove/",
        operators(200),
    ),
    Case(
        "screening_rule_remove",
        "POST",
        lambda w: f"/campaigns/screening/rules/{rule(w)}/remove/",
        operators(302),
        data=lambda w: {},
    ),
    Case(
        "screening_invalidate",
        "GET",
        lambda w: (campaign(w), "/campaigns/screening/invalidate/")[1],
        operators(200),
        note="with the selection in the query: the confirmation page",
        data=window,
    ),
    Case(
        "screening_invalidate",
        "POST",
        lambda w: (campaign(w), "/campaigns/screening/invalidate/")[1],
        operators(302),
        data=window,
    ),
    Case(
        "campaign_deliveries",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/deliveries/",
        organizer(200),
    ),
    Case(
        "campaign_download",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/download.csv",
        organizer(200),
    ),
    Case(
        "sponsor_signers",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/signers/{w.other_org.slug}/",
        sponsor(200),
    ),
    Case(
        "sponsor_signers_export",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/signers/{w.other_org.slug}/export.csv",
        sponsor(200),
    ),
    Case(
        "signer_manage",
        "GET",
        lambda w: f"/campaigns/signer/{signer(w)}/",
        expect(EVERYONE, 200, 200),
    ),
    Case(
        "signer_withdraw",
        "POST",
        lambda w: f"/campaigns/signer/{signer(w)}/withdraw/",
        expect(EVERYONE, 302, 302),
        data=lambda w: {"organization": w.other_org.pk},
    ),
    Case(
        "signer_erase",
        "GET",
        lambda w: f"/campaigns/signer/{signer(w)}/erase/",
        expect(EVERYONE, 200, 200),
    ),
    Case(
        "signer_erase",
        "POST",
        lambda w: f"/campaigns/signer/{signer(w)}/erase/",
        expect(EVERYONE, 200, 200),
        data=lambda w: {},
    ),
    Case(
        "campaign_updates",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/updates/",
        expect(EVERYONE, 200, 200),
        note="a public campaign",
    ),
    Case(
        "campaign_update_create",
        "GET",
        lambda w: f"/campaigns/{campaign(w)}/updates/new/",
        organizer(200),
    ),
    Case(
        "campaign_update_create",
        "POST",
        lambda w: f"/campaigns/{campaign(w)}/updates/new/",
        organizer(302),
        data=lambda w: {"kind": "news", "title": "Heard in court", "text": "It went well."},
    ),
    Case(
        "campaign_news_off",
        "GET",
        lambda w: f"/campaigns/news/off/{news_off(w)}/",
        expect(EVERYONE, 200, 200),
    ),
    Case(
        "campaign_news_off",
        "POST",
        lambda w: f"/campaigns/news/off/{news_off(w)}/",
        expect(EVERYONE, 200, 200),
        data=lambda w: {},
    ),
]
