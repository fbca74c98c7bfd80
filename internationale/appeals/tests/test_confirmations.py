"""Closing an appeal and withdrawing a pledge: offered as the less prominent button, each asks on a
page of its own. Opening that page changes nothing; only confirming it acts."""

from internationale.appeals.models import Appeal, Pledge
from internationale.appeals.services import pledge_create
from internationale.core.tests.confirmations import assert_offered_second, confirmation


def test_the_issuer_closes_an_appeal_only_after_confirming(client_for, sam, sent):
    url = f"/appeals/{sent.pk}/close/"
    client = client_for(sam)
    assert_offered_second(client.get(f"/appeals/{sent.pk}/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == "Close the appeal"
    assert asked.cancel == f"/appeals/{sent.pk}/"
    sent.refresh_from_db()
    assert sent.status == Appeal.Status.OPEN

    client.post(url)
    sent.refresh_from_db()
    assert sent.status == Appeal.Status.CLOSED


def test_a_pledge_is_withdrawn_only_after_confirming_whose(client_for, kim, sent, other_org):
    pledge = pledge_create(
        actor=kim, appeal=sent, organization=other_org, forms=["sympathy"], description="Letters."
    )
    url = f"/appeals/pledges/{pledge.pk}/withdraw/"
    client = client_for(kim)
    assert_offered_second(client.get(f"/appeals/{sent.pk}/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == "Withdraw the pledge of Korean Dockworkers"
    assert asked.cancel == f"/appeals/{sent.pk}/"
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.PLEDGED

    client.post(url)
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.WITHDRAWN
