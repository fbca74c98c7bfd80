"""Aid's pages and its panels on the appeal pages, through real requests: the Metalworkers (Sam
speaks for them, Mo is a member) issued the appeal; the Korean dockworkers (Kim speaks for them)
pledged; Nell, of no organization, reads the appeal, which is public."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from internationale.aid.models import Contribution
from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals.models import Addressee, Appeal
from internationale.appeals.tests.factories import AppealFactory, PledgeFactory


@pytest.fixture
def appeal(owner_org, other_org):
    appeal = AppealFactory(
        organization=owner_org, status=Appeal.Status.OPEN, title="Strike fund", visibility="public"
    )
    Addressee.objects.create(appeal=appeal, organization=other_org)
    return appeal


def money(appeal, org, amount, currency, **fields):  # type: ignore[no-untyped-def]
    return PledgeFactory(
        appeal=appeal,
        organization=org,
        forms=["material_aid"],
        amount=Decimal(amount),
        currency=currency,
        **fields,
    )


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_the_appeal_page_shows_the_aid_per_currency_all_of_it_to_the_issuer_the_public_part_to_others(
    client_for, appeal, other_org, sam, kim, nell
):
    money(appeal, other_org, "100", "EUR", public=True)
    money(appeal, other_org, "900", "EUR")
    money(appeal, other_org, "5000", "KRW")
    url = f"/appeals/{appeal.pk}/"

    issuers = section(client_for(sam).get(url).content.decode(), "aid-heading")
    assert "1000.00" in issuers and "KRW" in issuers

    for viewer in (kim, nell):  # the pledger's own amounts hide here too: only public ones add up
        others = section(client_for(viewer).get(url).content.decode(), "aid-heading")
        assert "100.00" in others
        assert "1000.00" not in others and "KRW" not in others


def test_the_appeal_page_shows_no_aid_panel_when_no_money_was_pledged(client_for, appeal, sam):
    page = client_for(sam).get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'id="aid-heading"' not in page
    assert 'id="contributions-heading"' not in page


def test_the_aid_sent_shows_to_the_issuer_with_a_confirm_form_and_to_the_giver_without(
    client_for, appeal, other_org, sam, kim, mo, nell
):
    pledge = money(appeal, other_org, "300", "EUR")
    sent = contribution_declare(
        actor=kim, pledge=pledge, amount=Decimal("300"), currency="EUR", reference="transfer 42"
    )
    url = f"/appeals/{appeal.pk}/"
    confirm = f'action="/appeals/aid/{sent.pk}/confirm/"'

    issuers = section(client_for(sam).get(url).content.decode(), "contributions-heading")
    assert "transfer 42" in issuers and confirm in issuers
    members = section(client_for(mo).get(url).content.decode(), "contributions-heading")
    assert "transfer 42" in members and confirm not in members  # members read, do not confirm
    givers = section(client_for(kim).get(url).content.decode(), "contributions-heading")
    assert "awaiting confirmation" in givers and confirm not in givers
    outsiders = client_for(nell).get(url)
    assert outsiders.status_code == 200 and "transfer 42" not in outsiders.content.decode()


def test_the_giver_declares_aid_sent_from_its_pledge_and_the_issuer_confirms_it(
    client_for, appeal, other_org, sam, kim
):
    pledge = money(appeal, other_org, "300", "EUR")
    page = client_for(kim).get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'href="/appeals/pledges/{pledge.pk}/aid/"' in page

    form = client_for(kim).get(f"/appeals/pledges/{pledge.pk}/aid/").content.decode()
    assert 'value="300.00"' in form and 'value="EUR"' in form
    response = client_for(kim).post(
        f"/appeals/pledges/{pledge.pk}/aid/",
        {"amount": "300", "currency": "EUR", "reference": "transfer 42"},
    )
    assert response.status_code == 302
    sent = Contribution.objects.get()

    response = client_for(sam).post(f"/appeals/aid/{sent.pk}/confirm/", follow=True)
    assert "Receipt confirmed. The pledge is fulfilled." in response.content.decode()


def test_the_issuers_summary_shows_the_aid_and_the_pledges_fulfilled_by_receipt(
    client_for, appeal, other_org, sam, kim
):
    url = f"/appeals/{appeal.pk}/summary/"
    assert "No money pledged yet." in client_for(sam).get(url).content.decode()

    pledge = money(appeal, other_org, "300", "EUR")
    contribution_confirm(
        actor=sam,
        contribution=contribution_declare(
            actor=kim, pledge=pledge, amount=Decimal("300"), currency="EUR"
        ),
    )
    summary = client_for(sam).get(url).content.decode()
    totals = section(summary, "aid-heading")
    assert totals.count("300.00") == 2  # pledged and received
    assert "Of these, 1 pledge was fulfilled by confirmed receipt" in summary


def test_the_appeals_app_imports_nothing_of_aid():
    """Aid builds on appeals, one way: appeals shows aid's panels through aid's template tags and
    takes a pledge's receipts through appeals.extensions. (Money, an amount with its currency,
    is shared by both and lives in core.)"""
    appeals = Path(__file__).resolve().parents[2] / "appeals"
    found = []
    for path in appeals.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(appeals).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.startswith("internationale.aid") for n in names) and not all(
                n.startswith("internationale.aid.money") for n in names if "aid" in n
            ):
                found.append(f"{path.name}: {names}")
    assert found == []
