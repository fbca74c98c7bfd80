"""Permission-matrix cases for the appeal pages (see core/tests/matrix.py; the appeals, pledges
and aid they point at: matrix_world.py).

The rule the pages follow: an appeal, pledge or contribution the persona may not see answers 404;
a visible one with an action reserved to other roles answers 403; an anonymous visitor on a page
that needs an account is sent to sign in (302). Successful form posts redirect (302).

Who sees what: the sent appeal is a network one, so the network (IN_NETWORK, operators included)
reads it; the draft, its organization's people only; the public one, everyone. Pledges that are
not public: the issuer's people and the addressees' people, not operators.
"""

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix_world import appeal, built, draft, fulfilled, pledge, public

ADDRESSEE_SPEAKERS = ["kim", "kai"]
ADDRESSEES = ["kit", "kim", "kai"]
VERIFIED_SPEAKERS = ADDRESSEE_SPEAKERS + OWNER_SPEAKERS


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


def on_sent(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the sent (network) appeal: `ok` for the allowed, 403 for the rest of the
    network, 404 for those outside it, 302 for the anonymous visitor."""
    result = statuses(403, nell=404, uma=404)
    result.update({p: ok for p in allowed})
    return result


def on_draft(ok: int) -> dict[str, int]:
    return statuses(404, olu=403, mo=403, sam=ok, ana=ok)


def on_pledge(ok: int, allowed: list[str]) -> dict[str, int]:
    """A pledge that is not public: seen by the issuer's and the addressees' people."""
    result = statuses(404, **{p: 403 for p in [*OWNERS, *ADDRESSEES]})
    result.update({p: ok for p in allowed})
    return result


def fields(title: str = "Lockout at the Anchieta plant"):  # type: ignore[no-untyped-def]
    return lambda w: {
        "organization": w.owner_org.slug,
        "title": title,
        "text": "The company locked out workers.",
        "language": "en",
        "situation": "lockout",
        "urgency": "1",
        "country": "BR",
        "asks_propaganda": "on",
        "visibility": "network",
    }


def path(template: str, ref=appeal):  # type: ignore[no-untyped-def]
    return lambda w: template.format(ref(w))


CASES = [
    Case("appeal_list", "GET", lambda w: "/appeals/", expect(PERSONAS, 200, 200)),
    Case("appeal_list", "POST", lambda w: "/appeals/", expect([], 200, 405)),
    Case(
        "appeal_create",
        "GET",
        lambda w: "/appeals/new/",
        statuses(403, **{p: 200 for p in VERIFIED_SPEAKERS}),
        note="admins and secretaries of verified organizations",
    ),
    Case(
        "appeal_create",
        "POST",
        lambda w: "/appeals/new/",
        statuses(403, kim=200, kai=200, sam=302, ana=302),
        data=fields(),
        note="Kim and Kai may issue, but not for the owning organization: the form refuses it",
    ),
    Case("appeal_detail", "GET", path("/appeals/{}/"), statuses(200, 404, nell=404, uma=404)),
    Case(
        "appeal_detail",
        "GET",
        path("/appeals/{}/", public),
        expect(PERSONAS, 200, 200),
        note="a public appeal: anyone, signed in or not",
    ),
    Case(
        "appeal_detail",
        "GET",
        path("/appeals/{}/", draft),
        statuses(404, 404, **{p: 200 for p in OWNERS}),
        note="a draft: its organization's people only",
    ),
    Case("appeal_detail", "POST", path("/appeals/{}/"), expect([], 200, 405)),
    Case("appeal_edit", "GET", path("/appeals/{}/edit/", draft), on_draft(200)),
    Case(
        "appeal_edit",
        "POST",
        path("/appeals/{}/edit/", draft),
        on_draft(302),
        data=fields("Edited"),
    ),
    Case("appeal_send", "GET", path("/appeals/{}/send/", draft), on_draft(200)),
    Case(
        "appeal_send",
        "POST",
        path("/appeals/{}/send/", draft),
        on_draft(302),
        data=lambda w: {"add": w.other_org.slug},
    ),
    Case(
        "appeal_add_addressees",
        "GET",
        path("/appeals/{}/addressees/"),
        on_sent(200, OWNER_SPEAKERS),
    ),
    Case(
        "appeal_add_addressees",
        "POST",
        path("/appeals/{}/addressees/"),
        on_sent(302, OWNER_SPEAKERS),
        data=lambda w: {"organizations": built(w)["third"].slug},
        note="sends the sent appeal to one more organization",
    ),
    Case(
        "appeal_summary",
        "GET",
        path("/appeals/{}/summary/"),
        on_sent(200, OWNERS),
        note="the issuer's people, all roles",
    ),
    Case("appeal_acknowledge", "GET", path("/appeals/{}/acknowledge/"), expect([], 200, 405)),
    Case(
        "appeal_acknowledge",
        "POST",
        path("/appeals/{}/acknowledge/"),
        on_sent(302, ADDRESSEE_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug},
    ),
    Case("appeal_decline", "GET", path("/appeals/{}/decline/"), on_sent(200, ADDRESSEE_SPEAKERS)),
    Case(
        "appeal_decline",
        "POST",
        path("/appeals/{}/decline/", public),
        statuses(403, **{p: 302 for p in ADDRESSEE_SPEAKERS}),
        data=lambda w: {"organization": w.other_org.slug, "reason": "On strike ourselves."},
        note="the public appeal, which the addressee has not pledged to: everyone reads it",
    ),
    Case("appeal_pass", "GET", path("/appeals/{}/pass/"), on_sent(200, ADDRESSEE_SPEAKERS)),
    Case(
        "appeal_pass",
        "POST",
        path("/appeals/{}/pass/"),
        on_sent(302, ADDRESSEE_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug, "to": built(w)["third"].slug},
    ),
    Case("pledge_create", "GET", path("/appeals/{}/pledge/"), on_sent(200, ADDRESSEE_SPEAKERS)),
    Case(
        "pledge_create",
        "POST",
        path("/appeals/{}/pledge/"),
        on_sent(302, ADDRESSEE_SPEAKERS),
        data=lambda w: {
            "organization": w.other_org.slug,
            "forms": ["sympathy"],
            "description": "Letters from our congress.",
        },
    ),
    Case("appeal_update", "GET", path("/appeals/{}/update/"), on_sent(200, OWNER_SPEAKERS)),
    Case(
        "appeal_update",
        "POST",
        path("/appeals/{}/update/"),
        on_sent(302, OWNER_SPEAKERS),
        data=lambda w: {"text": "Day 3: still out."},
    ),
    Case("appeal_escalate", "GET", path("/appeals/{}/escalate/"), on_sent(200, OWNER_SPEAKERS)),
    Case("appeal_escalate", "POST", path("/appeals/{}/escalate/"), on_sent(302, OWNER_SPEAKERS)),
    Case("appeal_resolve", "GET", path("/appeals/{}/resolve/"), on_sent(200, OWNER_SPEAKERS)),
    Case(
        "appeal_resolve",
        "POST",
        path("/appeals/{}/resolve/"),
        on_sent(302, OWNER_SPEAKERS),
        data=lambda w: {"outcome": "won", "outcome_report": "All rehired."},
    ),
    Case("appeal_close", "GET", path("/appeals/{}/close/"), on_sent(200, OWNER_SPEAKERS)),
    Case("appeal_close", "POST", path("/appeals/{}/close/"), on_sent(302, OWNER_SPEAKERS)),
    Case(
        "pledge_fulfil",
        "GET",
        path("/appeals/pledges/{}/fulfil/", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
    ),
    Case(
        "pledge_fulfil",
        "POST",
        path("/appeals/pledges/{}/fulfil/", pledge),
        on_pledge(302, ADDRESSEE_SPEAKERS),
        data=lambda w: {"evidence_text": "Sent on Monday."},
    ),
    Case(
        "pledge_withdraw",
        "GET",
        path("/appeals/pledges/{}/withdraw/", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
    ),
    Case(
        "pledge_withdraw",
        "POST",
        path("/appeals/pledges/{}/withdraw/", pledge),
        on_pledge(302, ADDRESSEE_SPEAKERS),
    ),
    Case(
        "pledge_evidence",
        "GET",
        path("/appeals/pledges/{}/evidence/", fulfilled),
        statuses(404, 404, **{p: 200 for p in [*OWNERS, *ADDRESSEES]}),
        note="the file of a pledge that is not public: the issuer's and the pledger's people",
    ),
    Case(
        "pledges_owed",
        "GET",
        lambda w: f"/appeals/owed/{w.other_org.slug}/",
        statuses(404, **{p: 200 for p in ADDRESSEES}),
    ),
    Case("appeal_feed", "GET", lambda w: "/appeals/feed/", expect(PERSONAS, 200, 200)),
    Case(
        "appeal_feed_country",
        "GET",
        lambda w: "/appeals/feed/country/BR/",
        expect(PERSONAS, 200, 200),
    ),
    Case(
        "appeal_feed_country",
        "GET",
        lambda w: "/appeals/feed/country/XX/",
        expect([], 200, 404),
    ),
    Case(
        "appeal_feed_sector",
        "GET",
        lambda w: "/appeals/feed/sector/C/",
        expect(PERSONAS, 200, 200),
    ),
]
