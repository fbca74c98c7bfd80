"""The kept page of a public appeal follows its language versions: a version saved shows at once
to signed-out readers, kept per language and per whether the original was asked for, with nothing
of any reader in it. These tests commit (transaction=True): inside a transaction nothing is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from internationale.appeals import public_page
from internationale.appeals.models import Appeal
from internationale.translation.services import machine_version_make

from .factories import AppealFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Greve na fábrica de Santos"
TEXT = "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio."


@pytest.fixture
def public(owner_org, sam, other_org, send):
    draft = AppealFactory(
        organization=owner_org,
        created_by=sam,
        title=TITLE,
        text=TEXT,
        language="pt-BR",
        visibility="public",
    )
    return send(draft, sam, add=[other_org.pk])


def _read(path: str) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_version_saved_shows_at_once_on_the_kept_public_page(public):
    path = reverse("appeal_detail", args=[public.pk])
    assert TITLE in _read(path)  # kept, in Portuguese: no version yet
    assert public_page.pages.cache.entries

    version = machine_version_make(Appeal.objects.get(pk=public.pk), "en")
    assert version is not None
    page = _read(path)
    assert version.texts["title"] in page and "Machine translation" in page
    assert "Os trabalhadores" not in page
    # The original is kept apart, and the translation did not replace it.
    assert "Os trabalhadores" in _read(path + "?original=1")
    assert version.texts["title"] in _read(path)

    # A person's correction shows at once too.
    version.texts = {**version.texts, "title": "Strike at the Santos factory"}
    version.status = "human"
    version.save()
    page = _read(path)
    assert "Strike at the Santos factory" in page and "Translated by" in page


def test_the_kept_page_holds_nothing_of_a_reader(public, sam):
    machine_version_make(Appeal.objects.get(pk=public.pk), "en")
    path = reverse("appeal_detail", args=[public.pk])
    _read(path), _read(path + "?original=1")
    kept = "\n".join(str(value) for _until, value in public_page.pages.cache.entries.values())
    assert "csrfmiddlewaretoken" not in kept
    assert "translations/ask" not in kept  # asking is for those signed in
    assert sam.email not in kept
