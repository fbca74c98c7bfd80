"""Confirming receipt of material aid fulfils the pledge it covers, through real requests: Kim
(secretary of the Korean dockworkers) pledges and sends aid, Sam (secretary of the Metalworkers,
who issued the appeal) confirms receipt, and the dockworkers' inbox hears of it."""

import json
from decimal import Decimal

import pytest

from internationale.aid.models import Contribution
from internationale.aid.services import contribution_declare
from internationale.aid.tasks import deliver_aid_confirmed
from internationale.appeals.models import Pledge
from internationale.appeals.services import pledge_create
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AddresseeFactory


def pledge(kim, sent, other_org, **aid):  # type: ignore[no-untyped-def]
    return pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="For the strike fund",
        **aid,
    )


def declare(kim, promise, **aid):  # type: ignore[no-untyped-def]
    return contribution_declare(actor=kim, pledge=promise, **aid)


def confirm_box(page: str, contribution: Contribution) -> str:
    """The confirm form of one contribution, as the appeal page renders it."""
    action = f'action="/appeals/aid/{contribution.pk}/confirm/"'
    start = page.index(action)
    return page[start : page.index("</form>", start)]


def test_the_confirm_form_ticks_completes_the_pledge_only_when_the_aid_covers_it(
    client_for, kim, sam, sent, other_org
):
    promise = pledge(kim, sent, other_org, amount=Decimal("300"), currency="EUR")
    partial = declare(kim, promise, amount=Decimal("100"), currency="EUR")
    dollars = declare(kim, promise, amount=Decimal("900"), currency="USD")
    covering = declare(kim, promise, amount=Decimal("300"), currency="EUR")

    page = client_for(sam).get(f"/appeals/{sent.pk}/").content.decode()

    assert "This completes the pledge" in confirm_box(page, partial)
    assert "checked" not in confirm_box(page, partial)
    assert "checked" not in confirm_box(page, dollars)
    assert "checked" in confirm_box(page, covering)


def test_the_issuer_ticks_completes_the_pledge_for_goods_and_the_appeal_page_says_receipt_confirmed(
    client_for, kim, kit, sam, sent, other_org, owner_org
):
    promise = pledge(kim, sent, other_org, goods="200 sleeping bags")
    sent_aid = declare(kim, promise, goods="200 sleeping bags, by lorry")

    response = client_for(sam).post(
        f"/appeals/aid/{sent_aid.pk}/confirm/",
        {"decides": "1", "completes_pledge": "on"},
        follow=True,
    )

    assert "Receipt confirmed. The pledge is fulfilled." in response.content.decode()
    promise.refresh_from_db()
    assert promise.status == Pledge.Status.FULFILLED
    # The pledger's people read how it was fulfilled, and what was received.
    page = client_for(kit).get(f"/appeals/{sent.pk}/").content.decode()
    card = page[page.index(f'id="pledge-{promise.pk}"') :]
    assert f"Receipt confirmed by {owner_org.name}" in card
    assert "200 sleeping bags, by lorry" in card
    # The issuer's summary counts it.
    summary = client_for(sam).get(f"/appeals/{sent.pk}/summary/").content.decode()
    assert "Of these, 1 pledge was fulfilled by confirmed receipt" in summary


def test_goods_confirmed_without_the_box_leave_the_pledge_owed(
    client_for, kim, sam, sent, other_org
):
    promise = pledge(kim, sent, other_org, goods="200 sleeping bags")
    sent_aid = declare(kim, promise, goods="50 sleeping bags")

    client_for(sam).post(f"/appeals/aid/{sent_aid.pk}/confirm/", {"decides": "1"})

    assert Contribution.objects.get().is_confirmed
    owed = client_for(kim).get(f"/appeals/owed/{other_org.slug}/").content.decode()
    assert "For the strike fund" in owed


def test_unticking_the_box_keeps_a_covered_pledge_owed_and_the_default_fulfils_it(
    client_for, kim, sam, sent, other_org
):
    promise = pledge(kim, sent, other_org, amount=Decimal("300"), currency="EUR")
    first = declare(kim, promise, amount=Decimal("300"), currency="EUR")

    client_for(sam).post(f"/appeals/aid/{first.pk}/confirm/", {"decides": "1"})

    owed_url = f"/appeals/owed/{other_org.slug}/"
    assert "For the strike fund" in client_for(kim).get(owed_url).content.decode()
    # A confirmation that does not show the box (an older page) follows the automatic rule.
    second = declare(kim, promise, amount=Decimal("20"), currency="EUR")
    client_for(sam).post(f"/appeals/aid/{second.pk}/confirm/")
    assert "For the strike fund" not in client_for(kim).get(owed_url).content.decode()


def post(client, url, data=None):  # type: ignore[no-untyped-def]
    if data is None:
        return client.post(url)
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("body", "status", "by_receipt"),
    [
        (None, "fulfilled", True),
        ({}, "fulfilled", True),
        ({"completes_pledge": None}, "fulfilled", True),
        ({"completes_pledge": True}, "fulfilled", True),
        ({"completes_pledge": False}, "pledged", False),
    ],
)
def test_the_api_confirms_receipt_and_fulfils_a_covered_pledge_unless_told_not_to(
    client_for, kim, sam, sent, other_org, body, status, by_receipt
):
    promise = pledge(kim, sent, other_org, amount=Decimal("250"), currency="EUR")
    sent_aid = declare(kim, promise, amount=Decimal("250"), currency="EUR")

    confirmed = post(client_for(sam), f"/api/v1/contributions/{sent_aid.pk}/confirm", body)

    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["fulfilled_pledge"] is by_receipt
    [shown] = client_for(kim).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["items"]
    assert (shown["status"], shown["fulfilled_by_receipt"]) == (status, by_receipt)


def test_the_api_fulfils_goods_on_completes_pledge_and_shows_the_receipts_as_evidence(
    client_for, kim, sam, sent, other_org
):
    promise = pledge(kim, sent, other_org, goods="A generator")
    sent_aid = declare(kim, promise, goods="A 5 kW generator", reference="WB-7")
    url = f"/api/v1/contributions/{sent_aid.pk}/confirm"
    refused = post(client_for(sam), url, {"completes_pledge": "perhaps"})
    assert refused.status_code == 400
    assert not Contribution.objects.get().is_confirmed

    assert post(client_for(sam), url, {"completes_pledge": True}).status_code == 200

    [shown] = client_for(kim).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["items"]
    assert shown["status"] == "fulfilled"
    assert (shown["fulfilled_by_receipt"], shown["evidence_text"]) == (True, "")
    [receipt] = shown["receipts"]
    assert (receipt["contribution"], receipt["goods"]) == (sent_aid.pk, "A 5 kW generator")
    assert receipt["confirmed_at"] is not None


def test_other_addressees_read_that_receipt_was_confirmed_but_not_what_was_received(
    client_for, kim, sam, sent, other_org
):
    promise = pledge(kim, sent, other_org, amount=Decimal("250"), currency="EUR")
    sent_aid = declare(kim, promise, amount=Decimal("250"), currency="EUR")
    post(client_for(sam), f"/api/v1/contributions/{sent_aid.pk}/confirm")
    third = OrganizationFactory()
    AddresseeFactory(appeal=sent, organization=third)
    reader = MembershipFactory(organization=third, role=Membership.Role.MEMBER).user

    [shown] = client_for(reader).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["items"]
    assert (shown["status"], shown["fulfilled_by_receipt"]) == ("fulfilled", True)
    assert (shown["amount"], shown["receipts"]) == (None, [])
    page = client_for(reader).get(f"/appeals/{sent.pk}/").content.decode()
    assert "Receipt confirmed by" in page
    assert "250.00 EUR" not in page


def test_the_pledger_finds_the_confirmation_in_its_inbox_once_even_when_the_task_runs_twice(
    client_for, kim, sam, sent, other_org, owner_org, work_off,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    promise = pledge(kim, sent, other_org, amount=Decimal("300"), currency="EUR")
    sent_aid = declare(kim, promise, amount=Decimal("300"), currency="EUR")
    work_off()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(f"/appeals/aid/{sent_aid.pk}/confirm/")
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        deliver_aid_confirmed.enqueue(sent_aid.pk)  # a retry, or a worker that died mid-task
    work_off()

    entry = InboxEntry.objects.get(organization=other_org, kind="aid.confirmed")
    assert entry.source == sent_aid
    assert entry.title == (
        f"{owner_org.name} confirmed receipt of 300.00 EUR; your pledge is fulfilled: {sent.title}"
    )
    assert entry.confidential
    assert entry.url == f"/appeals/{sent.pk}/#pledge-{promise.pk}"
    inbox = client_for(kim).get(f"/inbox/{other_org.slug}/").content.decode()
    assert entry.title in inbox
    # The issuer does not hear of its own confirmation.
    assert not InboxEntry.objects.filter(organization=owner_org, kind="aid.confirmed").exists()
