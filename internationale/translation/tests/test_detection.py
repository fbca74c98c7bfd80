"""One check of a declared language against the one detected, for every form and API that takes
a text: the same error (code "language_unconfirmed", on `language`) wherever it is asked."""

import pytest
from django.core.exceptions import ValidationError

from internationale.translation import detection
from internationale.translation.detection import check_language, detected_language

ENGLISH = (
    "The workers of the Santos factory have been on strike since Monday against the layoffs. "
    "We ask every sister organization for its support."
)


def test_a_text_in_another_language_than_declared_asks_for_confirmation():
    with pytest.raises(ValidationError) as refused:
        check_language([ENGLISH], "pt-BR", confirmed=False)
    (error,) = refused.value.error_dict["language"]
    assert error.code == "language_unconfirmed" and error.params["detected"] == "en"
    assert refused.value.message_dict["language"] == [
        "This text seems to be written in English, not in Portuguese (Brazil). Choose the "
        "language it is written in, or confirm that Portuguese (Brazil) is right."
    ]


def test_confirmed_matching_or_too_short_texts_pass():
    check_language([ENGLISH], "pt", confirmed=True)
    check_language([ENGLISH], "en-GB", confirmed=False)
    check_language(["Strike at the port"], "pt", confirmed=False)  # too few letters to tell
    assert detected_language(["Strike at the port"], "pt") == ""
    assert detected_language(["", ENGLISH], "pt") == "en"


@pytest.mark.django_db
def test_the_library_and_the_appeals_refuse_with_the_same_error(sam, owner_org, client_for):
    from internationale.library import services as library

    with pytest.raises(ValidationError) as library_error:
        library.document_create(
            actor=sam,
            organization=owner_org,
            kind="news",
            title="Strike",
            body=ENGLISH,
            language="pt",
            visibility="public",
        )
    (error,) = library_error.value.error_dict["language"]
    assert error.code == "language_unconfirmed"
    from internationale.appeals.tests.test_views import _appeal_fields

    data = {**_appeal_fields(), "title": "Strike", "text": ENGLISH, "language": "pt"}
    page = client_for(sam).post("/appeals/new/", data)
    assert page.status_code == 200
    assert "This text seems to be written in English, not in Portuguese." in page.text


ARABIC = (
    "العمال في مصنع سانتوس مضربون منذ يوم الاثنين ضد التسريحات. نطلب من كل منظمة شقيقة دعمها "
    "وتضامنها."
)


def test_detection_chooses_among_the_content_languages_and_those_of_the_interface(settings):
    settings.TRANSLATION_DETECTION_LANGUAGES = ["en", "pt-BR"]
    settings.LANGUAGES = [("en", "English"), ("ar", "Arabic")]
    assert detection.languages() == ("en", "pt", "ar")
    assert detected_language([ARABIC], "en") == "ar"
    settings.LANGUAGES = [("en", "English")]
    assert detected_language([ARABIC], "en") != "ar"  # a language this server does not serve


@pytest.mark.django_db
def test_the_library_offers_the_languages_of_the_interface_too(settings, client_for):
    settings.TRANSLATION_DETECTION_LANGUAGES = ["en", "pt"]
    settings.LANGUAGES = [("en", "English"), ("ar", "Arabic")]
    page = client_for().get("/library/search/").content.decode()
    choices = page.split('id="id_language"', 1)[1].split("</select>", 1)[0]
    assert '<option value="ar"' in choices and '<option value="pt"' in choices
    assert '<option value="es"' not in choices
