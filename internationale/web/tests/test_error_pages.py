"""Error pages a reader meets: the platform's own, in the reader's language, never a dead end."""

import re

import pytest
from django.test import Client

from internationale.appeals.tests.factories import AppealFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'(?<=value=")[A-Za-z0-9]{64}(?=")|(?<="X-CSRFToken": ")[A-Za-z0-9]{64}')


def test_a_signed_out_reader_of_an_emailed_link_is_offered_to_sign_in_and_come_back(owner_org):
    appeal = AppealFactory(organization=owner_org, status="open", visibility="network")

    response = Client().get(f"/appeals/{appeal.pk}/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="en"' in page  # the platform's layout, not Django's bare page
    assert f"/accounts/login/?next=/appeals/{appeal.pk}/" in page
    assert "Sign in and come back" in page


def test_a_missing_and_a_hidden_appeal_read_the_same_to_a_signed_out_reader(owner_org):
    hidden = AppealFactory(organization=owner_org, status="open", visibility="network")
    client = Client()

    def page(pk: int) -> str:
        # The page, but for its address and the form tokens, which differ on every page.
        text = client.get(f"/appeals/{pk}/").content.decode()
        return TOKEN.sub("", text.replace(f"/appeals/{pk}/", "/appeals/N/"))

    assert page(hidden.pk) == page(hidden.pk + 1000)


def test_the_not_found_page_speaks_the_readers_language():
    response = Client().get("/no-such-page/", headers={"accept-language": "es"})

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert "Iniciar sesión y volver" in page


def test_a_signed_in_reader_is_not_asked_to_sign_in_again(ana):
    client = Client()
    client.force_login(ana)

    response = client.get("/appeals/999999/")

    assert response.status_code == 404
    assert "Sign in and come back" not in response.content.decode()
    assert "Go to the home page" in response.content.decode()


def test_a_stale_form_gets_a_page_that_says_nothing_changed_and_what_to_do(ana):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)

    response = client.post("/settings/", {"language": "fr"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "nothing changed" in page
    assert "reload the page" in page
    ana.refresh_from_db()
    assert ana.language != "fr"


def test_a_request_for_an_unknown_host_gets_the_platforms_400_page():
    response = Client().get("/", headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_a_failing_page_answers_with_the_platforms_500_page(settings):
    settings.ROOT_URLCONF = "internationale.web.tests.boom_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/boom/", headers={"accept-language": "fr"})

    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Something went wrong on our side" not in page  # worded in French
    assert "a bug" not in page  # nothing of the error itself reaches the reader


def test_a_failing_api_call_answers_json_not_a_page(settings):
    settings.ROOT_URLCONF = "internationale.web.tests.boom_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/boom/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side", "errors": {}}
