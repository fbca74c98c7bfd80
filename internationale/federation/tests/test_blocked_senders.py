"""One block check for everything a remote organization acts on (acting.act): whatever kind of
activity it sends through the shared inbox (which refuses by itself only what the whole server
blocks), an organization of this server that blocked it, or a server that blocked its whole
server, refuses it with nothing changed."""

from typing import Any

import pytest

from internationale.aid.models import Contribution
from internationale.appeals.models import Appeal, Pledge, Response
from internationale.core.models import AuditEntry
from internationale.federation.blocks import block_add
from internationale.federation.models import ReceivedActivity

from . import test_remote_orgs
from .conftest import SITE
from .test_aid_confirmed import _declared, _fulfilled
from .test_remote_orgs import offer

addressed = test_remote_orgs.addressed  # the fixture: an appeal of this server sent to Rotterdam

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/federation/inbox"


def _accept(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return rotterdam.activity("Accept", object=f"{SITE}/appeals/{appeal.pk}/")


def _reject(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return rotterdam.activity("Reject", object=f"{SITE}/appeals/{appeal.pk}/", content="No.")


def _pass(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return rotterdam.activity(
        "Announce",
        object=f"{SITE}/appeals/{appeal.pk}/",
        target=f"{SITE}/federation/actors/docks-kr",
    )


def _offer(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return offer(rotterdam, appeal)


def _withdraw(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return rotterdam.activity("Undo", object=pledged["id"])


def _aid(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    aid = rotterdam.activity("Add", target=pledged["id"])
    aid["object"] = {
        "id": f"{aid['id']}/aid",
        "type": "Contribution",
        "amount": "100.00",
        "currency": "EUR",
    }
    return aid


def _fulfil(rotterdam: Any, appeal: Appeal, pledged: dict[str, Any]) -> dict[str, Any]:
    return _fulfilled(rotterdam, pledged, status="fulfilled", evidence="All 500 euros sent.")


def _state(appeal: Appeal) -> Any:
    """What any of those activities would change."""
    return (
        sorted(Response.objects.filter(appeal=appeal).values_list("organization_id", "kind")),
        sorted(Pledge.objects.filter(appeal=appeal).values_list("pk", "status")),
        Contribution.objects.filter(appeal=appeal).count(),
        appeal.addressees.count(),
        AuditEntry.objects.count(),
    )


KINDS = {
    "acknowledge": _accept,
    "decline": _reject,
    "pass": _pass,
    "pledge": _offer,
    "withdraw": _withdraw,
    "declare_aid": _aid,
    "fulfil": _fulfil,
}


@pytest.mark.parametrize(
    ("kind", "scope"),
    [*((kind, "organization") for kind in KINDS), ("pledge", "server"), ("fulfil", "server")],
)
def test_an_organization_or_server_that_blocked_a_remote_one_takes_nothing_it_sends(
    client, addressed, rotterdam, ana, oscar, owner_org, other_org, kind, scope
):
    pledged, _aid_sent = _declared(rotterdam, client, addressed)
    host = rotterdam.server.url.removeprefix("http://")
    if scope == "organization":
        block_add(actor=ana, organization=owner_org, host=host)
    else:
        block_add(actor=oscar, organization=None, host=host)
    before = _state(addressed)
    activity = KINDS[kind](rotterdam, addressed, pledged)

    response = rotterdam.post(client, SHARED_INBOX, activity)

    assert (response.status_code, response.json()["error"]) == (403, "blocked")
    assert _state(addressed) == before
    assert not ReceivedActivity.objects.filter(activity_id=activity["id"]).exists()
