"""One block check for everything a remote organization acts on (acting.act): whatever kind of
activity it sends through the shared inbox (which refuses by itself only what the whole server
blocks), an organization of this server that blocked it takes nothing of it (answered as
delivered, so that nobody learns of the block), and a server that blocked its whole server
refuses it, with nothing changed. Nobody learns without a valid signature whom an organization
blocked."""

from typing import Any

import pytest

from internationale.addressing.routing import Criteria
from internationale.aid.models import Contribution
from internationale.appeals.models import Appeal, Pledge, Response
from internationale.appeals.services import appeal_send
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.models import AuditEntry
from internationale.federation.blocks import block_add
from internationale.federation.models import ReceivedActivity

from .conftest import SITE, declared_aid, fulfilment, offer, taken_as_blocked

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/federation/inbox"


def _accept(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return rotterdam.activity("Accept", object=f"{SITE}/appeals/{appeal.pk}/")


def _reject(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return rotterdam.activity("Reject", object=f"{SITE}/appeals/{appeal.pk}/", content="No.")


def _pass(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return rotterdam.activity(
        "Announce",
        object=f"{SITE}/appeals/{appeal.pk}/",
        target=f"{SITE}/federation/actors/docks-kr",
    )


def _offer(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return offer(rotterdam, appeal)


def _withdraw(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return rotterdam.activity("Undo", object=pledged["id"])


def _aid(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    aid = rotterdam.activity("Add", target=pledged["id"])
    aid["object"] = {
        "id": f"{aid['id']}/aid",
        "type": "Contribution",
        "amount": "100.00",
        "currency": "EUR",
    }
    return aid


def _fulfil(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], *_: Any) -> dict[str, Any]:
    return fulfilment(rotterdam, pledged, status="fulfilled", evidence="All 500 euros sent.")


# Crafted to slip past a check of the first thing named: the object names Rotterdam's pledge to
# an appeal of the Korean Dockworkers (who did not block it), the target the blocking
# organization's content the handler acts on.
def _offer_behind_another_pledge(
    rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], elsewhere: dict[str, Any]
) -> dict[str, Any]:
    activity = offer(rotterdam, appeal)
    activity["object"]["id"] = elsewhere["id"]
    return activity


def _offer_replying_past_another_pledge(
    rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], elsewhere: dict[str, Any]
) -> dict[str, Any]:
    activity = offer(rotterdam, appeal)
    del activity["target"]
    activity["object"]["id"] = elsewhere["id"]
    activity["object"]["inReplyTo"] = f"{SITE}/appeals/{appeal.pk}/"
    return activity


def _aid_behind_another_pledge(
    rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], elsewhere: dict[str, Any]
) -> dict[str, Any]:
    aid = _aid(rotterdam, appeal, pledged)
    aid["object"]["id"] = elsewhere["id"]
    return aid


def _fulfil_behind_another_pledge(
    rotterdam: Any, appeal: Appeal, pledged: dict[str, Any], elsewhere: dict[str, Any]
) -> dict[str, Any]:
    fulfil = _fulfil(rotterdam, appeal, pledged)
    fulfil["object"]["id"] = elsewhere["id"]
    return fulfil


def _state(appeal: Appeal) -> Any:
    """What any of those activities would change (the log of what was not taken aside)."""
    return (
        sorted(Response.objects.filter(appeal=appeal).values_list("organization_id", "kind")),
        sorted(Pledge.objects.filter(appeal=appeal).values_list("pk", "status")),
        Contribution.objects.filter(appeal=appeal).count(),
        appeal.addressees.count(),
        AuditEntry.objects.exclude(action="federation.blocked_dropped").count(),
    )


KINDS = {
    "acknowledge": _accept,
    "decline": _reject,
    "pass": _pass,
    "pledge": _offer,
    "withdraw": _withdraw,
    "declare_aid": _aid,
    "fulfil": _fulfil,
    "pledge naming another pledge": _offer_behind_another_pledge,
    "pledge replying past another pledge": _offer_replying_past_another_pledge,
    "declare_aid naming another pledge": _aid_behind_another_pledge,
    "fulfil naming another pledge": _fulfil_behind_another_pledge,
}


@pytest.fixture
def elsewhere(client, rotterdam, kim, other_org, accepted, work_off) -> dict[str, Any]:
    """Rotterdam's `Offer` to an appeal of the Korean Dockworkers, who did not block it."""
    appeal = AppealFactory(organization=other_org, created_by=kim, visibility="addressed")
    appeal_send(actor=kim, appeal=appeal, criteria=Criteria(add=[accepted.pk]))
    work_off()
    pledged = offer(rotterdam, appeal)
    assert rotterdam.post(client, SHARED_INBOX, pledged).status_code == 202
    return pledged


@pytest.mark.parametrize(
    ("kind", "scope"),
    [*((kind, "organization") for kind in KINDS), ("pledge", "server"), ("fulfil", "server")],
)
def test_an_organization_or_server_that_blocked_a_remote_one_takes_nothing_it_sends(
    client, addressed, elsewhere, rotterdam, ana, oscar, owner_org, other_org, kind, scope
):
    pledged, _aid_sent = declared_aid(rotterdam, client, addressed)
    host = rotterdam.server.url.removeprefix("http://")
    if scope == "organization":
        block_add(actor=ana, organization=owner_org, host=host)
    else:
        block_add(actor=oscar, organization=None, host=host)
    before = _state(addressed)
    activity = KINDS[kind](rotterdam, addressed, pledged, elsewhere)

    response = rotterdam.post(client, SHARED_INBOX, activity)

    if scope == "organization":
        taken_as_blocked(response, owner_org)
    else:
        assert (response.status_code, response.json()["error"]) == (403, "blocked")
        assert not ReceivedActivity.objects.filter(activity_id=activity["id"]).exists()
    assert _state(addressed) == before


def test_a_request_without_a_valid_signature_cannot_tell_whether_an_organization_blocked_a_server(
    client, rotterdam, alice_keys, ana, owner_org
):
    host = rotterdam.server.url.removeprefix("http://")
    inbox = f"/federation/actors/{owner_org.slug}/inbox"
    answers = []
    for blocked in (False, True):
        if blocked:
            block_add(actor=ana, organization=owner_org, host=host)
        # Naming Rotterdam's key, signed with another: as anyone could, without its key.
        forged = rotterdam.post(client, inbox, private_pem=alice_keys[1])
        answers.append((forged.status_code, forged.json()["error"]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401
    assert not ReceivedActivity.objects.exists()
