"""Upgrading pledges: each pledge's one form becomes its one form among several, and back, on the
real schema of each version."""

import pytest

from internationale.appeals.models import Pledge
from internationale.appeals.tests.factories import AppealFactory
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

ONE_FORM = ("appeals", "0005_pledge_supports")  # the form column, beside the new table
SEVERAL_FORMS = ("appeals", "0007_remove_pledge_form")


def test_each_pledge_keeps_its_one_form_as_its_only_form_and_gets_its_first_form_back(migrate):
    appeal, docks, textile = AppealFactory(), OrganizationFactory(), OrganizationFactory()
    old = migrate(ONE_FORM)
    OldPledge = old.get_model("appeals", "Pledge")
    letters = OldPledge.objects.create(
        appeal_id=appeal.pk, organization_id=docks.pk, form="sympathy", description="Letters."
    )
    fund = OldPledge.objects.create(
        appeal_id=appeal.pk,
        organization_id=textile.pk,
        form="material_aid",
        description="Strike fund.",
        amount=300,
        currency="EUR",
    )

    new = migrate(SEVERAL_FORMS)

    supports = new.get_model("appeals", "PledgeSupport").objects.order_by("pledge_id")
    assert list(supports.values_list("pledge_id", "form")) == [
        (letters.pk, "sympathy"),
        (fund.pk, "material_aid"),
    ]
    # Read through the columns this state has (later migrations add others).
    assert Pledge.objects.only("id").get(pk=fund.pk).forms == ["material_aid"]

    # A pledge of two forms, made after the upgrade, keeps the first of them when going back.
    new.get_model("appeals", "PledgeSupport").objects.create(pledge_id=fund.pk, form="propaganda")
    old = migrate(ONE_FORM)
    forms = dict(old.get_model("appeals", "Pledge").objects.values_list("pk", "form"))
    assert forms == {letters.pk: "sympathy", fund.pk: "propaganda"}
    assert not old.get_model("appeals", "PledgeSupport").objects.exists()


WITHOUT_COUNTRY = ("appeals", "0009_latest_pledges_and_answers")
WITH_COUNTRY = ("appeals", "0010_addressee_country")


def test_each_addressee_gets_its_organizations_country_and_the_column_goes_back(migrate):
    appeal = AppealFactory()
    docks = OrganizationFactory(country="KR")
    textile = OrganizationFactory(country="BD")
    old = migrate(WITHOUT_COUNTRY)
    OldAddressee = old.get_model("appeals", "Addressee")
    for organization in (docks, textile):
        OldAddressee.objects.create(appeal_id=appeal.pk, organization_id=organization.pk)

    new = migrate(WITH_COUNTRY)

    rows = new.get_model("appeals", "Addressee").objects.order_by("organization_id")
    assert dict(rows.values_list("organization_id", "country")) == {
        docks.pk: "KR",
        textile.pk: "BD",
    }
    old = migrate(WITHOUT_COUNTRY)
    assert old.get_model("appeals", "Addressee").objects.count() == 2
