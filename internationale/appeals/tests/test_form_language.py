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


def test_an_update_in_another_language_than_the_appeals_is_confirmed_first(
    client_for, sam, owner_org, other_org, send
):
    from internationale.appeals.models import AppealUpdate

    from .factories import AppealFactory

    appeal = send(
        AppealFactory(organization=owner_org, created_by=sam, title=TITLE, text=TEXT),
        sam,
        add=[other_org.pk],
    )
    english = "The workers occupied the factory on Monday and ask for your support."
    url = f"/appeals/{appeal.pk}/update/"
    refused = client_for(sam).post(url, {"text": english})
    assert refused.status_code == 200
    assert "seems to be written in English" in refused.content.decode()
    assert not AppealUpdate.objects.filter(kind="update").exists()
    assert client_for(sam).post(url, {"text": english, "language": "en"}).status_code == 302
    assert AppealUpdate.objects.get(kind="update").language == "en"


def test_a_report_on_the_outcome_in_another_language_than_the_appeals_is_confirmed_first(
    client_for, sam, owner_org, other_org, send
):
    from .factories import AppealFactory

    appeal = send(
        AppealFactory(organization=owner_org, created_by=sam, title=TITLE, text=TEXT),
        sam,
        add=[other_org.pk],
    )
    english = "The workers won: the dismissed were taken back, thanks to your letters of support."
    url = f"/appeals/{appeal.pk}/resolve/"
    refused = client_for(sam).post(url, {"outcome": "won", "outcome_report": english})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in English, not in Portuguese (Brazil), the language" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN and appeal.outcome_report == ""
    confirmed = client_for(sam).post(
        url, {"outcome": "won", "outcome_report": english, "language_confirmed": "on"}
    )
    assert confirmed.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.RESOLVED and appeal.outcome_report == english


def test_a_report_in_the_appeals_language_asks_nothing(client_for, sam, owner_org, other_org, send):
    from .factories import AppealFactory

    appeal = send(
        AppealFactory(organization=owner_org, created_by=sam, title=TITLE, text=TEXT),
        sam,
        add=[other_org.pk],
    )
    report = "Os trabalhadores venceram: os demitidos foram readmitidos graças às vossas cartas."
    response = client_for(sam).post(
        f"/appeals/{appeal.pk}/resolve/", {"outcome": "won", "outcome_report": report}
    )
    assert response.status_code == 302


def test_the_api_asks_to_confirm_the_language_of_a_report_too(
    client_for, sam, owner_org, other_org, send
):
    import json

    from .factories import AppealFactory

    appeal = send(
        AppealFactory(organization=owner_org, created_by=sam, title=TITLE, text=TEXT),
        sam,
        add=[other_org.pk],
    )
    english = "The workers won: the dismissed were taken back, thanks to your letters of support."
    client = client_for(sam)

    def resolve(**extra):  # type: ignore[no-untyped-def]
        body = {"outcome": "won", "outcome_report": english, **extra}
        return client.post(
            f"/api/v1/appeals/{appeal.pk}/resolve",
            data=json.dumps(body),
            content_type="application/json",
        )

    refused = resolve()
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "en")
    assert "outcome_report" in refused.json()["errors"]
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN
    assert resolve(language_confirmed=True).status_code == 200
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.RESOLVED
