"""The API on published statements, through real HTTP requests: read without a token as the
public reads, with a session as a participant; language versions added, changed and removed by
Sam (secretary of the initiating Metalworkers of São Paulo), refused with their reasons."""

import json

import pytest
from django.test import Client

from internationale.translation.models import LanguageVersion

from .matrix_world import PARAGRAPHS
from .publication_world import adopted

ARABIC = ["فقرة أولى.", "فقرة ثانية.", "فقرة ثالثة."]


@pytest.fixture
def public(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org)


@pytest.fixture
def among_participants(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org, visibility="addressed", title="Among ourselves")


def post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_without_a_token_the_public_statements_are_listed_and_read(public, among_participants):
    reader = Client()
    listed = reader.get("/api/v1/statements/published")
    assert listed.status_code == 200
    assert [s["title"] for s in listed.json()["items"]] == ["For the right to strike"]
    assert listed.json()["items"][0]["initiator"]["country"] == "BR"
    one = reader.get(f"/api/v1/statements/published/{public.pk}").json()
    assert one["texts"] == [
        {
            "language": "en",
            "title": "For the right to strike",
            "paragraphs": PARAGRAPHS,
            "authoritative": True,
            "direction": "ltr",
            "status": "original",
            "translated_by": None,
            "outdated": False,
        }
    ]
    assert one["print_url"].endswith(f"/statements/{public.pk}/print/")
    missing = reader.get(f"/api/v1/statements/published/{among_participants.pk}")
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail", "errors"}


def test_a_wrong_token_is_refused_rather_than_read_as_the_public(public):
    response = Client().get(
        "/api/v1/statements/published", HTTP_AUTHORIZATION="Bearer int_not-a-token"
    )
    assert response.status_code == 401


def test_a_participant_lists_the_statements_kept_among_the_participants(
    public, among_participants, kim, client_for
):
    titles = [
        s["title"] for s in client_for(kim).get("/api/v1/statements/published").json()["items"]
    ]
    assert sorted(titles) == ["Among ourselves", "For the right to strike"]


def test_sam_adds_an_arabic_version_read_right_to_left_then_changes_and_removes_it(
    public, sam, client_for
):
    client = client_for(sam)
    url = f"/api/v1/statements/{public.pk}/translations"
    added = post(client, url, {"language": "ar", "title": "من أجل الإضراب", "paragraphs": ARABIC})
    assert added.status_code == 201
    assert added.json()["language"] == "ar"
    texts = Client().get(f"/api/v1/statements/published/{public.pk}").json()["texts"]
    assert [(t["language"], t["direction"], t["authoritative"]) for t in texts] == [
        ("en", "ltr", True),
        ("ar", "rtl", False),
    ]
    changed = client.put(
        f"{url}/ar",
        data=json.dumps({"title": "عنوان", "paragraphs": ARABIC}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert LanguageVersion.objects.get().texts["title"] == "عنوان"
    assert client.delete(f"{url}/ar").status_code == 204
    assert not LanguageVersion.objects.exists()
    assert client.delete(f"{url}/ar").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"language": "fr", "title": "T", "paragraphs": ["Un."]}, "paragraphs", "3 paragraphs"),
        ({"language": "EN", "title": "T", "paragraphs": PARAGRAPHS}, "language", "original"),
        ({"language": "??", "title": "T", "paragraphs": PARAGRAPHS}, "language", "language tag"),
        (
            {"language": "fr", "title": "T", "paragraphs": ["Un.", " ", "Trois."]},
            "paragraphs",
            "needs text",
        ),
        ({"language": "fr", "title": " ", "paragraphs": PARAGRAPHS}, "title", "title"),
    ],
)
def test_a_version_refused_says_why_and_changes_nothing(
    public, sam, client_for, body, field, fragment
):
    response = post(client_for(sam), f"/api/v1/statements/{public.pk}/translations", body)
    assert response.status_code == 400
    assert fragment in " ".join(response.json()["errors"][field])
    assert not LanguageVersion.objects.exists()


def test_a_second_version_in_a_language_is_refused(public, sam, client_for):
    client = client_for(sam)
    url = f"/api/v1/statements/{public.pk}/translations"
    body = {"language": "fr", "title": "T", "paragraphs": PARAGRAPHS}
    assert post(client, url, body).status_code == 201
    again = post(client, url, body)
    assert again.status_code == 400
    assert "already has a version" in again.json()["errors"]["language"][0]
    assert LanguageVersion.objects.count() == 1


def test_who_may_not_enter_versions(public, among_participants, mo, kim, nell, client_for):
    body = {"language": "fr", "title": "T", "paragraphs": PARAGRAPHS}
    url = f"/api/v1/statements/{public.pk}/translations"
    assert post(client_for(mo), url, body).status_code == 403
    assert post(client_for(kim), url, body).status_code == 403
    assert post(Client(), url, body).status_code == 401
    hidden = f"/api/v1/statements/{among_participants.pk}/translations"
    assert post(client_for(nell), hidden, body).status_code == 404
    assert not LanguageVersion.objects.exists()
