"""Permission-matrix cases for the API on appeals (see matrix.py for the pages, and
matrix_world.py for what the cases point at). Anonymous: 401. An appeal, pledge or contribution
the persona may not see: 404; a visible one, with an action reserved to other roles: 403.
Issuing for an organization one does not speak for: 404, as the organization endpoints answer.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from internationale.core.tests.matrix import (
    IN_NETWORK,
    OWNER_SPEAKERS,
    OWNERS,
    PERSONAS,
    SIGNED_IN,
    Case,
    expect,
)

from .matrix_world import appeal, built, draft, pledge

ADDRESSEE_SPEAKERS = ["kim", "kai"]
ADDRESSEES = ["kit", "kim", "kai"]


def statuses(default: int, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = 401
    result.update(by_persona)
    return result


def on_sent(ok: int, allowed: list[str]) -> dict[str, int]:
    result = statuses(403, nell=404, uma=404)
    result.update({p: ok for p in allowed})
    return result


def on_draft(ok: int) -> dict[str, int]:
    return statuses(404, olu=403, mo=403, sam=ok, ana=ok)


def on_pledge(ok: int, allowed: list[str]) -> dict[str, int]:
    result = statuses(404, **{p: 403 for p in [*OWNERS, *ADDRESSEES]})
    result.update({p: ok for p in allowed})
    return result


def api(template: str, ref=appeal):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(ref(w))


READ_SENT = expect(IN_NETWORK, 200, 404, anonymous=401)

CASES = [
    Case("api:appeal_list", "GET", lambda w: "/api/v1/appeals", expect(SIGNED_IN, 200, 200, 401)),
    Case(
        "api:appeal_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/appeals",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {
            "title": "Lockout",
            "text": "Locked out.",
            "language": "pt-BR",
            "situation": "lockout",
            "country": "BR",
            "asks_propaganda": True,
        },
        json=True,
    ),
    Case("api:appeal_detail", "GET", api("/appeals/{}"), READ_SENT),
    Case(
        "api:appeal_detail",
        "GET",
        api("/appeals/{}", draft),
        expect(OWNERS, 200, 404, anonymous=401),
        note="a draft: its organization's people only",
    ),
    Case(
        "api:appeal_update",
        "PATCH",
        api("/appeals/{}", draft),
        on_draft(200),
        data=lambda w: {"title": "Lockout, edited", "language_confirmed": True},
        json=True,
    ),
    Case(
        "api:appeal_preview",
        "POST",
        api("/appeals/{}/addressees/preview", draft),
        statuses(404, sam=200, ana=200),
        data=lambda w: {"add": [w.other_org.slug]},
        json=True,
        note="only those who may send see who would receive it",
    ),
    Case(
        "api:appeal_send",
        "POST",
        api("/appeals/{}/send", draft),
        on_draft(200),
        data=lambda w: {"add": [w.other_org.slug]},
        json=True,
    ),
    Case(
        "api:appeal_add_addressees",
        "POST",
        api("/appeals/{}/addressees"),
        on_sent(200, OWNER_SPEAKERS),
        data=lambda w: {"organizations": [built(w)["third"].slug]},
        json=True,
    ),
    Case(
        "api:appeal_add_addressees",
        "GET",
        api("/appeals/{}/addressees"),
        expect([], 200, 405),
        note="POST only",
    ),
    Case("api:appeal_escalate", "POST", api("/appeals/{}/escalate"), on_sent(200, OWNER_SPEAKERS)),
    Case(
        "api:appeal_resolve",
        "POST",
        api("/appeals/{}/resolve"),
        on_sent(200, OWNER_SPEAKERS),
        data=lambda w: {"outcome": "won", "outcome_report": "All rehired."},
        json=True,
    ),
    Case("api:appeal_close", "POST", api("/appeals/{}/close"), on_sent(200, OWNER_SPEAKERS)),
    Case("api:response_list", "GET", api("/appeals/{}/responses"), READ_SENT),
    Case(
        "api:response_create",
        "POST",
        api("/appeals/{}/responses"),
        on_sent(201, ADDRESSEE_SPEAKERS),
        data=lambda w: {"kind": "acknowledged"},
        json=True,
    ),
    Case("api:pledge_list", "GET", api("/appeals/{}/pledges"), READ_SENT),
    Case(
        "api:pledge_create",
        "POST",
        api("/appeals/{}/pledges"),
        on_sent(201, ADDRESSEE_SPEAKERS),
        data=lambda w: {"forms": ["sympathy"], "description": "Letters."},
        json=True,
    ),
    Case(
        "api:pledge_fulfil",
        "POST",
        api("/pledges/{}/fulfil", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
        data=lambda w: {"evidence_text": "Sent on Monday."},
        json=True,
    ),
    Case(
        "api:pledge_fulfil",
        "POST",
        api("/pledges/{}/fulfil", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
        data=lambda w: {
            "evidence_text": "Sent on Monday.",
            "evidence_file": SimpleUploadedFile(
                "receipt.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
            ),
        },
        note="multipart, with an evidence file",
    ),
    Case(
        "api:pledge_withdraw",
        "POST",
        api("/pledges/{}/withdraw", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
    ),
    Case("api:update_list", "GET", api("/appeals/{}/updates"), READ_SENT),
    Case(
        "api:update_create",
        "POST",
        api("/appeals/{}/updates"),
        on_sent(201, OWNER_SPEAKERS),
        data=lambda w: {"text": "Day 3: still out."},
        json=True,
    ),
    Case(
        "api:pledges_owed",
        "GET",
        lambda w: f"/api/v1/organizations/{w.other_org.slug}/pledges-owed",
        expect(ADDRESSEES, 200, 404, anonymous=401),
    ),
]
