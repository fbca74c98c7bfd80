"""The audit log shows each reader only what the reader may see elsewhere: operators read every
organization's log, but not the titles of appeals they may not see, private pledge amounts,
relations that are not public or the e-mail addresses of the organization's people."""

from decimal import Decimal

import pytest

from internationale.accounts.tests.factories import UserFactory
from internationale.addressing.routing import Criteria
from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals.services import pledge_create
from internationale.appeals.tests.factories import AppealFactory, send_now
from internationale.organizations.services import membership_add, relation_propose


@pytest.fixture
def confidential_history(owner_org, other_org, ana, sam, kim):
    """In the Metalworkers' log: an appeal sent to the Korean dockworkers only, aid received
    against their private pledge, a new member, and a relation between the two."""
    appeal = AppealFactory(
        organization=owner_org,
        created_by=sam,
        title="Secret organizing drive at the Hyundai plant",
        visibility="addressed",
        asks_material_aid=True,
        aid_goal_amount=Decimal("9000"),
        aid_goal_currency="EUR",
    )
    send_now(actor=sam, appeal=appeal, criteria=Criteria(add=[other_org.pk]))
    pledge = pledge_create(
        actor=kim,
        appeal=appeal,
        organization=other_org,
        forms=["material_aid"],
        description="Strike fund.",
        amount=Decimal("4321"),
        currency="EUR",
    )
    contribution = contribution_declare(
        actor=kim, pledge=pledge, amount=Decimal("4321"), currency="EUR"
    )
    contribution_confirm(actor=sam, contribution=contribution)
    membership_add(
        actor=ana,
        organization=owner_org,
        user=UserFactory(email="newcomer@metal.example"),
        role="member",
    )
    relation_propose(
        actor=ana,
        proposer=owner_org,
        partner=other_org,
        kind="fraternal",
        visibility="addressed",
    )
    return appeal


@pytest.fixture
def confidential(confidential_history, ana, sam):
    """What the log says that only the organization's admins may read."""
    return (
        "Secret organizing drive",
        "4321",
        "newcomer@metal.example",
        ana.name,  # who acted
        sam.name,
        "Metalworkers of São Paulo ↔ Korean Dockworkers",
    )


def log(client_for, person, slug):  # type: ignore[no-untyped-def]
    response = client_for(person).get(f"/organizations/{slug}/audit/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_operator_reads_the_log_without_what_it_may_not_see_elsewhere(
    client_for, confidential, oscar
):
    page = log(client_for, oscar, "metal-sp")
    for secret in confidential:
        assert secret not in page, secret
    for kept in ("An appeal", "Aid received against a pledge", "A person as Member", "A relation"):
        assert kept in page, kept
    assert "a person" in page  # who acted, without their address


def test_the_organizations_admin_reads_its_whole_log(client_for, confidential, ana):
    page = log(client_for, ana, "metal-sp")
    for secret in confidential:
        assert secret in page, secret


def test_the_other_side_of_a_relation_reads_it_in_its_log_and_an_operator_does_not(
    client_for, confidential_history, kai, oscar
):
    relation = "Metalworkers of São Paulo ↔ Korean Dockworkers"
    assert relation in log(client_for, kai, "docks-kr")
    page = log(client_for, oscar, "docks-kr")
    assert relation not in page and "A relation" in page
