"""Permission-matrix cases for the campaign pages (see core/tests/matrix.py; the campaigns they
point at: matrix_world.py).

As on the appeal pages: a campaign the persona may not see answers 404 (a draft: the organizer's
and the invited co-sponsor's people only, operators included); a visible one with an action
reserved to other roles answers 403; an anonymous visitor is sent to sign in (302), except on the
public pages (the list, a launched campaign, signing and confirming), which need no account.
Successful form posts redirect (302).
"""

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix_world import campaign_form, draft, opened, sign_form, third, token

INVITED = ["kit", "kim", "kai"]
INVITED_SPEAKERS = ["kim", "kai"]
VERIFIED_SPEAKERS = INVITED_SPEAKERS + OWNER_SPEAKERS
EVERYONE = expect(PERSONAS, 200, 200)


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


def on_draft(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the draft: `ok` for the allowed, 403 for the other people of the two
    organizations, 404 for those who do not see it, 302 for the anonymous visitor."""
    result = statuses(404, **{p: 403 for p in [*OWNERS, *INVITED]})
    result.update({p: ok for p in allowed})
    return result


def on_open(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the launched, public campaign: 403 for every other signed-in persona."""
    return statuses(403, **{p: ok for p in allowed})


def path(template: str, ref=draft):  # type: ignore[no-untyped-def]
    return lambda w: template.format(ref(w))


CASES = [
    Case("campaign_list", "GET", lambda w: "/campaigns/", EVERYONE),
    Case("campaign_list", "POST", lambda w: "/campaigns/", expect([], 200, 405)),
    Case(
        "campaign_create",
        "GET",
        lambda w: "/campaigns/new/",
        statuses(403, **{p: 200 for p in VERIFIED_SPEAKERS}),
        note="admins and secretaries of verified organizations",
    ),
    Case(
        "campaign_create",
        "POST",
        lambda w: "/campaigns/new/",
        statuses(403, kim=200, kai=200, sam=302, ana=302),
        data=campaign_form,
        note="Kim and Kai may launch, but not for the owning organization: the form refuses it",
    ),
    Case(
        "campaign_detail",
        "GET",
        path("/campaigns/{}/"),
        statuses(404, anonymous=404, **{p: 200 for p in [*OWNERS, *INVITED]}),
        note="a draft: the organizer's and the invited co-sponsor's people",
    ),
    Case(
        "campaign_detail",
        "GET",
        path("/campaigns/{}/?original=1", opened),
        EVERYONE,
        note="launched: public",
    ),
    Case("campaign_detail", "POST", path("/campaigns/{}/"), expect([], 200, 405)),
    Case("campaign_edit", "GET", path("/campaigns/{}/edit/"), on_draft(200, OWNER_SPEAKERS)),
    Case(
        "campaign_edit",
        "POST",
        path("/campaigns/{}/edit/"),
        on_draft(302, OWNER_SPEAKERS),
        data=lambda w: {k: v for k, v in campaign_form(w).items() if k != "organization"},
    ),
    Case("campaign_launch", "GET", path("/campaigns/{}/launch/"), on_draft(200, OWNER_SPEAKERS)),
    Case("campaign_launch", "POST", path("/campaigns/{}/launch/"), on_draft(302, OWNER_SPEAKERS)),
    Case(
        "campaign_close",
        "GET",
        path("/campaigns/{}/close/", opened),
        on_open(200, OWNER_SPEAKERS),
    ),
    Case(
        "campaign_close",
        "POST",
        path("/campaigns/{}/close/", opened),
        on_open(302, OWNER_SPEAKERS),
    ),
    Case(
        "sponsor_invite",
        "GET",
        path("/campaigns/{}/sponsors/invite/"),
        on_draft(200, OWNER_SPEAKERS),
    ),
    Case(
        "sponsor_invite",
        "POST",
        path("/campaigns/{}/sponsors/invite/"),
        on_draft(302, OWNER_SPEAKERS),
        data=lambda w: {"add": third(w)},
    ),
    Case(
        "sponsor_answer",
        "GET",
        path("/campaigns/{}/sponsors/answer/"),
        on_draft(200, INVITED_SPEAKERS),
    ),
    Case(
        "sponsor_answer",
        "POST",
        path("/campaigns/{}/sponsors/answer/"),
        on_draft(302, INVITED_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug, "answer": "accept"},
    ),
    Case("campaign_sign", "GET", path("/campaigns/{}/sign/", opened), EVERYONE),
    Case(
        "campaign_sign",
        "POST",
        path("/campaigns/{}/sign/", opened),
        expect(PERSONAS, 302, 302),
        data=sign_form,
        note="anyone, without an account",
    ),
    Case(
        "campaign_sign",
        "POST",
        path("/campaigns/{}/sign/"),
        statuses(404, anonymous=404, **{p: 400 for p in [*OWNERS, *INVITED]}),
        data=sign_form,
        note="a draft: unseen, or not launched yet",
    ),
    Case("campaign_signed", "GET", path("/campaigns/{}/signed/", opened), EVERYONE),
    Case("campaign_confirm", "GET", path("/campaigns/confirm/{}/", token), EVERYONE),
    Case(
        "campaign_confirm",
        "POST",
        path("/campaigns/confirm/{}/", token),
        EVERYONE,
        note="anyone holding the link",
    ),
]

# After signing: screening, deliveries, sponsors' signers, updates (matrix_abuse.py).
from .matrix_abuse import CASES as AFTER_SIGNING  # noqa: E402

CASES += AFTER_SIGNING
