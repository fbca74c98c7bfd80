"""Permission-matrix cases for the API on campaigns (see matrix.py for the pages): as the API on
meetings answers (401 for the anonymous visitor, 404 for what one may not see, 403 for what one
sees but may not do), except the public endpoints (a launched campaign, signing, confirming),
which need no authentication."""

import datetime

from django.utils import timezone

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix import INVITED, INVITED_SPEAKERS
from .matrix_world import draft, opened, third, token


def soon(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def api(template: str, ref=draft):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(ref(w))


def on_draft(ok: int, allowed: list[str]) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in [*OWNERS, *INVITED]})
    result["anonymous"] = 401
    result.update({p: ok for p in allowed})
    return result


CONCERNED = expect([*OWNERS, *INVITED], 200, 404, anonymous=401)
PUBLIC = expect(PERSONAS, 200, 200)

CASES = [
    Case(
        "api:campaign_list",
        "GET",
        lambda w: "/api/v1/campaigns",
        {**expect(PERSONAS, 200, 200), "anonymous": 401},
    ),
    Case(
        "api:campaign_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/campaigns",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {
            "kind": "petition",
            "title": "Safety at the port",
            "text": "We demand safe working conditions.",
            "language": "en",
            "goal": 300,
            "starts_at": soon(1),
            "ends_at": soon(30),
            "targets": [{"name": "Port Authority", "email": "director@port.example"}],
        },
        json=True,
    ),
    Case("api:campaign_detail", "GET", api("/campaigns/{}"), CONCERNED),
    Case(
        "api:campaign_update",
        "PATCH",
        api("/campaigns/{}"),
        on_draft(200, OWNER_SPEAKERS),
        data=lambda w: {"goal": 2000},
        json=True,
    ),
    Case("api:campaign_launch", "POST", api("/campaigns/{}/launch"), on_draft(200, OWNER_SPEAKERS)),
    Case(
        "api:campaign_close",
        "POST",
        api("/campaigns/{}/close", opened),
        {**expect(OWNER_SPEAKERS, 200, 403), "anonymous": 401},
    ),
    Case("api:sponsor_list", "GET", api("/campaigns/{}/sponsors"), CONCERNED),
    Case(
        "api:sponsor_preview",
        "POST",
        api("/campaigns/{}/sponsors/preview"),
        expect(OWNER_SPEAKERS, 200, 404, anonymous=401),
        data=lambda w: {"add": [third(w)]},
        json=True,
    ),
    Case(
        "api:sponsor_invite",
        "POST",
        api("/campaigns/{}/sponsors"),
        on_draft(201, OWNER_SPEAKERS),
        data=lambda w: {"add": [third(w)]},
        json=True,
    ),
    Case(
        "api:sponsor_answer",
        "POST",
        api("/campaigns/{}/sponsors/answer"),
        on_draft(200, INVITED_SPEAKERS),
        data=lambda w: {"answer": "accept"},
        json=True,
    ),
    Case("api:campaign_public", "GET", api("/campaigns/{}/public", opened), PUBLIC),
    Case(
        "api:campaign_public",
        "GET",
        api("/campaigns/{}/public"),
        expect([], 200, 404),
        note="a draft is not public, whoever asks",
    ),
    Case(
        "api:campaign_sign",
        "POST",
        api("/campaigns/{}/signatures", opened),
        expect(PERSONAS, 202, 202),
        data=lambda w: {"first_name": "Mariana", "email": "m@correo.example", "country": "AR"},
        json=True,
    ),
    Case(
        "api:signature_confirm",
        "POST",
        lambda w: "/api/v1/campaigns/signatures/confirm",
        PUBLIC,
        data=lambda w: {"token": token(w)},
        json=True,
    ),
]

# After signing: screening, deliveries, sponsors' signers, updates (matrix_api_abuse.py).
from .matrix_api_abuse import CASES as AFTER_SIGNING  # noqa: E402

CASES += AFTER_SIGNING
