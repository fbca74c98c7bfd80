"""The issuing form checks the language chosen against the one detected in the text: the author
is told which it found and confirms, and nothing is saved until then."""

import pytest

from internationale.appeals.models import Appeal

from .test_appeal_languages import TEXT, TITLE
from .test_views import _appeal_fields

pytestmark = pytest.mark.django_db


def test_a_portuguese_text_declared_english_is_saved_only_once_confirmed(client_for, sam):
    data = {**_appeal_fields(), "title": TITLE, "text": TEXT, "language": "en"}
    refused = client_for(sam).post("/appeals/new/", data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in Portuguese" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    assert "The language I chose is right" in page
    assert not Appeal.objects.exists()

    confirmed = client_for(sam).post("/appeals/new/", {**data, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Appeal.objects.get().language == "en"


def test_the_right_language_asks_nothing(client_for, sam):
    data = {**_appeal_fields(), "title": TITLE, "text": TEXT, "language": "pt-BR"}
    assert client_for(sam).post("/appeals/new/", data).status_code == 302
