"""Permission-matrix cases for the organization and employer pages (see core/tests/matrix.py).

The rule the pages follow: an organization or object the persona may not see answers 404; a
visible one with an action reserved to other roles answers 403; an anonymous visitor on a page
that needs an account is sent to sign in (302). Successful form posts redirect (302).

The world: owner_org (olu, mo, sam, ana), other_org (kit, kim, kai), unverified_org (uma);
other_org proposed a fraternal relation to owner_org; owner_org is present at the employer's
site; other_org (by kim) vouches for unverified_org; an invitation to owner_org waits for nell.
"""

from internationale.core.tests.matrix import (
    IN_NETWORK,
    OWNER_SPEAKERS,
    OWNERS,
    PERSONAS,
    SIGNED_IN,
    Case,
    expect,
)

EVERYONE = PERSONAS
OTHER_SPEAKERS = ["kim", "kai"]
VERIFIED_SPEAKERS = OTHER_SPEAKERS + OWNER_SPEAKERS
EMPLOYER_EDITORS = [*VERIFIED_SPEAKERS, "oscar"]
NETWORK_BUT_NOT_OPERATOR_403 = {p: 403 for p in IN_NETWORK if p != "oscar"}


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    """`default` for everyone, 302 for the anonymous visitor, and exceptions by name."""
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


def owner(w):  # type: ignore[no-untyped-def]
    return f"/organizations/{w.owner_org.slug}"


def unverified(w):  # type: ignore[no-untyped-def]
    return f"/organizations/{w.unverified_org.slug}"


def organization_fields(**extra):  # type: ignore[no-untyped-def]
    return lambda w: {
        "name": "Matrix Workers' Union",
        "kind": "union",
        "country": "BR",
        "languages": "pt-BR, en",
        "sectors": ["C"],
        **extra,
    }


CASES = [
    # Directory and profile ---------------------------------------------------------------------
    Case("organization_list", "GET", lambda w: "/organizations/", expect(EVERYONE, 200, 200)),
    Case("organization_list", "POST", lambda w: "/organizations/", expect([], 200, 405)),
    Case(
        "organization_create",
        "GET",
        lambda w: "/organizations/new/",
        expect(SIGNED_IN, 200, 403, anonymous=302),
    ),
    Case(
        "organization_create",
        "POST",
        lambda w: "/organizations/new/",
        expect(SIGNED_IN, 302, 403, anonymous=302),
        data=organization_fields(),
        note="anyone signed in may register an organization; it starts unverified",
    ),
    Case(
        "organization_detail",
        "GET",
        lambda w: f"{owner(w)}/",
        expect(EVERYONE, 200, 200),
    ),
    Case(
        "organization_detail",
        "GET",
        lambda w: f"{unverified(w)}/",
        expect(["uma", *IN_NETWORK], 200, 404),
        note="an unverified organization is seen by its own people and the network, who vouch",
    ),
    Case("organization_detail", "POST", lambda w: f"{owner(w)}/", expect([], 200, 405)),
    Case(
        "organization_edit",
        "GET",
        lambda w: f"{owner(w)}/edit/",
        expect(["ana", "oscar"], 200, 403, anonymous=302),
    ),
    Case(
        "organization_edit",
        "GET",
        lambda w: f"{unverified(w)}/edit/",
        statuses(404, uma=200, oscar=200, **NETWORK_BUT_NOT_OPERATOR_403),
        note="visible to the network, editable by its admin and operators only",
    ),
    Case(
        "organization_edit",
        "POST",
        lambda w: f"{owner(w)}/edit/",
        expect(["ana", "oscar"], 302, 403, anonymous=302),
        data=organization_fields(),
    ),
    # Members and invitations -------------------------------------------------------------------
    Case(
        "member_list",
        "GET",
        lambda w: f"{owner(w)}/members/",
        expect(OWNERS, 200, 403, anonymous=302),
    ),
    Case("member_list", "POST", lambda w: f"{owner(w)}/members/", expect([], 200, 405)),
    Case(
        "member_role",
        "GET",
        lambda w: f"{owner(w)}/members/{w.membership.pk}/role/",
        expect([], 200, 405),
    ),
    Case(
        "member_role",
        "POST",
        lambda w: f"{owner(w)}/members/{w.membership.pk}/role/",
        statuses(404, olu=403, mo=403, sam=403, ana=302),
        data=lambda w: {"role": "secretary"},
        note="memberships are seen by the organization's people and operators; admins change them",
    ),
    Case(
        "member_remove",
        "GET",
        lambda w: f"{owner(w)}/members/{w.membership.pk}/remove/",
        statuses(404, olu=403, sam=403, mo=200, ana=200),
        note="mo may leave; an admin may remove him",
    ),
    Case(
        "member_remove",
        "POST",
        lambda w: f"{owner(w)}/members/{w.membership.pk}/remove/",
        statuses(404, olu=403, sam=403, mo=302, ana=302),
    ),
    Case(
        "invitation_create",
        "GET",
        lambda w: f"{owner(w)}/invite/",
        expect(["ana"], 200, 403, anonymous=302),
    ),
    Case(
        "invitation_create",
        "POST",
        lambda w: f"{owner(w)}/invite/",
        expect(["ana"], 302, 403, anonymous=302),
        data=lambda w: {"email": "newcomer@example.org", "role": "member"},
    ),
    Case(
        "invitation_accept",
        "GET",
        lambda w: f"/invitations/{w.invitation_token}/",
        expect(EVERYONE, 200, 200),
        note="whoever holds the link sees what it invites to",
    ),
    Case(
        "invitation_accept",
        "GET",
        lambda w: "/invitations/not-a-real-token/",
        expect([], 200, 404),
    ),
    Case(
        "invitation_accept",
        "POST",
        lambda w: f"/invitations/{w.invitation_token}/",
        statuses(403, nell=302),
        note="only the invited address accepts; others are told to sign in as it",
    ),
    # Relations ---------------------------------------------------------------------------------
    Case("relation_list", "GET", lambda w: f"{owner(w)}/relations/", expect(EVERYONE, 200, 200)),
    Case("relation_list", "POST", lambda w: f"{owner(w)}/relations/", expect([], 200, 405)),
    Case(
        "relation_propose",
        "GET",
        lambda w: f"{owner(w)}/relations/new/",
        expect(OWNER_SPEAKERS, 200, 403, anonymous=302),
    ),
    Case(
        "relation_propose",
        "POST",
        lambda w: f"{owner(w)}/relations/new/",
        expect(OWNER_SPEAKERS, 302, 403, anonymous=302),
        data=lambda w: {
            "partner": w.other_org.slug,
            "kind": "cooperation",
            "visibility": "network",
        },
    ),
    Case(
        "relation_decide",
        "GET",
        lambda w: f"{owner(w)}/relations/{w.relation.pk}/decide/",
        expect([], 200, 405),
    ),
    Case(
        "relation_decide",
        "POST",
        lambda w: f"{owner(w)}/relations/{w.relation.pk}/decide/",
        statuses(404, kit=403, kim=403, kai=403, olu=403, mo=403, sam=302, ana=302),
        data=lambda w: {"decision": "accept"},
        note="a proposed relation is seen by the people of both organizations; the partner's "
        "speakers answer",
    ),
    Case(
        "relation_end",
        "GET",
        lambda w: f"{owner(w)}/relations/{w.relation.pk}/end/",
        statuses(404, kit=403, olu=403, mo=403, kim=200, kai=200, sam=200, ana=200),
    ),
    Case(
        "relation_end",
        "POST",
        lambda w: f"{owner(w)}/relations/{w.relation.pk}/end/",
        statuses(404, kit=403, olu=403, mo=403, kim=302, kai=302, sam=302, ana=302),
        note="the speakers of either organization may end it",
    ),
    # Presences ---------------------------------------------------------------------------------
    Case("presence_list", "GET", lambda w: f"{owner(w)}/presences/", expect(EVERYONE, 200, 200)),
    Case(
        "presence_list",
        "POST",
        lambda w: f"{owner(w)}/presences/",
        expect(OWNER_SPEAKERS, 302, 403, anonymous=302),
        data=lambda w: {"employer": w.employer.slug, "site": "", "visibility": "network"},
    ),
    Case(
        "presence_remove",
        "GET",
        lambda w: f"{owner(w)}/presences/{w.presence.pk}/remove/",
        statuses(403, nell=404, uma=404, sam=200, ana=200),
        note="the presence is network-visible: nell and uma do not see it",
    ),
    Case(
        "presence_remove",
        "POST",
        lambda w: f"{owner(w)}/presences/{w.presence.pk}/remove/",
        statuses(403, nell=404, uma=404, sam=302, ana=302),
    ),
    # Verification ------------------------------------------------------------------------------
    Case(
        "vouch",
        "GET",
        lambda w: f"{unverified(w)}/vouch/",
        statuses(
            404, uma=403, oscar=403, kit=403, olu=403, mo=403, kim=200, kai=200, sam=200, ana=200
        ),
        note="speakers of verified organizations vouch for an unverified organization",
    ),
    Case(
        "vouch",
        "GET",
        lambda w: f"{owner(w)}/vouch/",
        statuses(403, kim=200, kai=200),
    ),
    Case(
        "vouch",
        "POST",
        lambda w: f"{unverified(w)}/vouch/",
        statuses(
            404, uma=403, oscar=403, kit=403, olu=403, mo=403, kim=200, kai=200, sam=302, ana=302
        ),
        note="other_org already vouches: its speakers see the error on the form",
    ),
    Case(
        "vouch_withdraw",
        "GET",
        lambda w: f"{unverified(w)}/vouches/{w.vouch.pk}/withdraw/",
        statuses(
            404, uma=403, oscar=403, kit=403, olu=403, mo=403, sam=403, ana=403, kim=200, kai=200
        ),
    ),
    Case(
        "vouch_withdraw",
        "POST",
        lambda w: f"{unverified(w)}/vouches/{w.vouch.pk}/withdraw/",
        statuses(
            404, uma=403, oscar=403, kit=403, olu=403, mo=403, sam=403, ana=403, kim=302, kai=302
        ),
        note="only the speakers of the vouching organization withdraw its vouch",
    ),
    Case(
        "verify",
        "GET",
        lambda w: f"{unverified(w)}/verify/",
        statuses(404, uma=403, oscar=200, **NETWORK_BUT_NOT_OPERATOR_403),
    ),
    Case(
        "verify",
        "POST",
        lambda w: f"{unverified(w)}/verify/",
        statuses(404, uma=403, oscar=302, **NETWORK_BUT_NOT_OPERATOR_403),
    ),
    Case(
        "verification_queue",
        "GET",
        lambda w: "/verification/",
        statuses(404, oscar=200),
        note="operators only; for anyone else the page does not exist",
    ),
    Case("verification_queue", "POST", lambda w: "/verification/", expect([], 200, 405)),
    # Employers ---------------------------------------------------------------------------------
    Case("employer_list", "GET", lambda w: "/employers/", expect(EVERYONE, 200, 200)),
    Case("employer_list", "POST", lambda w: "/employers/", expect([], 200, 405)),
    Case(
        "employer_create",
        "GET",
        lambda w: "/employers/new/",
        expect(EMPLOYER_EDITORS, 200, 403, anonymous=302),
    ),
    Case(
        "employer_create",
        "POST",
        lambda w: "/employers/new/",
        expect(EMPLOYER_EDITORS, 302, 403, anonymous=302),
        data=lambda w: {"name": "Matrix Shipping", "headquarters": "DK"},
    ),
    Case(
        "employer_detail",
        "GET",
        lambda w: f"/employers/{w.employer.slug}/",
        expect(EVERYONE, 200, 200),
    ),
    Case(
        "employer_detail",
        "POST",
        lambda w: f"/employers/{w.employer.slug}/",
        expect(EMPLOYER_EDITORS, 302, 403, anonymous=302),
        data=lambda w: {"name": "Rotterdam terminal", "country": "NL"},
        note="the site form posts to the employer's page",
    ),
]
