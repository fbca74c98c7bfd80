"""Upgrading the timeline: every update already posted is in its appeal's language."""

import pytest

from internationale.appeals.models import AppealUpdate
from internationale.appeals.tests.factories import AppealFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("appeals", "0010_addressee_country")
AFTER = ("appeals", "0011_appealupdate_language")


def test_each_update_takes_its_appeals_language(migrate):
    portuguese, arabic = AppealFactory(language="pt-BR"), AppealFactory(language="ar")
    old = migrate(BEFORE)
    OldUpdate = old.get_model("appeals", "AppealUpdate")
    first = OldUpdate.objects.create(appeal_id=portuguese.pk, kind="update", text="Dia 1.")
    second = OldUpdate.objects.create(appeal_id=arabic.pk, kind="sent")

    migrate(AFTER)
    migrate()

    assert AppealUpdate.objects.get(pk=first.pk).language == "pt-BR"
    assert AppealUpdate.objects.get(pk=second.pk).language == "ar"
