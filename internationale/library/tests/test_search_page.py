"""The library's search page and its API: what a reader sees, in their language, and only what
they may read."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from internationale.library.models import Document
from internationale.translation.models import LanguageVersion

pytestmark = pytest.mark.django_db

GREVE = "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio."


@pytest.fixture
def greve(publish, owner_org):
    document = publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=document.pk,
        language="en",
        texts={"title": "Strike at the factory", "body": "The workers are on strike."},
        status="machine",
        source_hash="x",
    )
    return document


def test_the_page_lists_documents_with_their_title_in_the_readers_language(client_for, greve):
    with translation.override("en"):
        page = client_for().get("/library/search/", {"q": "greve"}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Strike at the factory" in text and "machine translation" in text
    assert f'href="/library/{greve.pk}/"' in text
    assert "1 document" in text


def test_a_private_document_is_neither_listed_nor_counted_for_outsiders(
    client_for, publish, owner_org, nell, mo
):
    publish(owner_org, "Plano de greve", GREVE, language="pt", visibility="private")
    for person in (None, nell):
        text = client_for(person).get("/library/search/", {"q": "greve"}).content.decode()
        assert "Plano de greve" not in text and "0 documents" in text
        assert "No document you may read matches" in text
    text = client_for(mo).get("/library/search/", {"q": "greve"}).content.decode()
    assert "Plano de greve" in text and "1 document" in text


def test_a_query_without_words_is_refused_with_a_field_error(client_for):
    page = client_for().get("/library/search/", {"q": "?!"})
    assert page.status_code == 200
    assert "Type at least one word" in page.content.decode()
    assert 'aria-invalid="true"' in page.content.decode()


def test_the_empty_page_has_a_labelled_form_and_no_results(client_for):
    text = client_for().get("/library/search/").content.decode()
    assert '<label for="id_q"' in text and 'role="search"' in text
    assert "Results" not in text


def test_pages_follow_each_other(client_for, owner_org, settings):
    settings.INTERNATIONALE_PAGE_SIZE = 2
    Document.objects.bulk_create(
        Document(
            organization=owner_org,
            kind="news",
            title=f"Bulletin {n}",
            language="en",
            visibility="public",
            search_text=f"bulletin {n}",
        )
        for n in range(5)
    )
    first = client_for().get("/library/search/", {"q": "bulletin"}).content.decode()
    third = client_for().get("/library/search/", {"q": "bulletin", "page": 3}).content.decode()
    past = client_for().get("/library/search/", {"q": "bulletin", "page": 9}).content.decode()
    assert "Page 1 of 3" in first and 'rel="next"' in first
    assert "Page 3 of 3" in third and third.count("Bulletin ") == 1
    assert "Page 3 of 3" in past


def test_the_api_finds_public_documents_for_anyone_and_says_how(
    client_for, greve, publish, owner_org
):
    publish(owner_org, "Plano", GREVE, language="pt", visibility="private")
    answer = client_for().get(
        "/api/v1/library/search", {"q": "workers on strike"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and not body["count_capped"]
    (hit,) = body["items"]
    assert hit["id"] == greve.pk and hit["original_language"] == "pt"
    assert hit["organization"]["slug"] == owner_org.slug


def test_the_api_refuses_a_query_without_words_or_too_long(client_for):
    for q in ("", "  ?? ", "a" * 201):
        answer = client_for().get("/api/v1/library/search", {"q": q})
        assert answer.status_code == 400
        assert "q" in answer.json()["errors"]
    answer = client_for().get("/api/v1/library/search", {"q": "greve", "kind": "poem"})
    assert answer.status_code == 400 and "kind" in answer.json()["errors"]


def test_the_api_with_a_token_finds_what_its_organization_may_read(
    client_for, publish, owner_org, ana
):
    from internationale.accounts.services import token_create

    publish(owner_org, "Plano de greve", GREVE, language="pt", visibility="private")
    _token, raw = token_create(actor=ana, user=ana, organization=owner_org, name="search")
    answer = client_for().get(
        "/api/v1/library/search", {"q": "greve"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.json()["count"] == 1
    assert client_for().get("/api/v1/library/search", {"q": "greve"}).json()["count"] == 0


def test_the_api_goes_no_further_than_the_counted_documents(client_for):
    answer = client_for().get("/api/v1/library/search", {"q": "greve", "offset": 1001})
    assert answer.status_code == 400 and "offset" in answer.json()["errors"]


@pytest.fixture
def embedded(monkeypatch):
    """The texts the model embedded as queries, in order."""
    from internationale.library import vectors

    texts: list[str] = []
    real = vectors.embed_query

    def counting(text: str):  # type: ignore[no-untyped-def]
        texts.append(text)
        return real(text)

    monkeypatch.setattr(vectors, "embed_query", counting)
    return texts


def test_a_search_asked_again_finds_the_same_without_embedding_the_query_again(
    client_for, greve, mo, embedded
):
    first = client_for(mo).get("/library/search/", {"q": "workers  on strike"})
    again = client_for(mo).get("/library/search/", {"q": " workers on\tstrike "})
    api = client_for(mo).get("/api/v1/library/search", {"q": "workers on strike"})
    assert embedded == ["workers on strike"]
    for page in (first, again):
        assert f'href="/library/{greve.pk}/"' in page.content.decode()
    assert [hit["id"] for hit in api.json()["items"]] == [greve.pk]


def test_an_anonymous_visitor_with_a_session_asking_again_is_not_embedded_again(
    client_for, greve, embedded
):
    visitor = client_for()
    visitor.session  # noqa: B018 (the test client saves a session and sets its cookie)
    for q in ("workers on strike", "workers on strike"):
        page = visitor.get("/library/search/", {"q": q})
        assert f'href="/library/{greve.pk}/"' in page.content.decode()
    assert embedded == ["workers on strike"]


def test_a_query_one_member_asked_is_embedded_again_for_any_other_reader(
    client_for, greve, mo, nell, embedded
):
    """How fast a search answers does not tell whether someone else asked the same lately (a
    name from a repression file): the query's vector is kept for the reader who asked."""
    secret = "arrest list of the Santos stewards"
    assert client_for(mo).get("/library/search/", {"q": secret}).status_code == 200
    visitor = client_for()
    visitor.session  # noqa: B018 (an anonymous visitor whose browser holds a session)
    readers = [client_for(), client_for(), visitor, client_for(nell)]
    for reader in readers:
        assert reader.get("/library/search/", {"q": secret}).status_code == 200
    assert client_for().get("/api/v1/library/search", {"q": secret}).status_code == 200
    # The member's, then each other reader's (two anonymous visitors without a session share
    # nothing either), then the API's anonymous caller's: never read from another's.
    assert embedded == [secret] * 6


def test_the_query_vectors_kept_are_bounded_the_least_recently_asked_dropped_first(
    client_for, greve, mo, embedded, settings
):
    settings.INTERNATIONALE_LIBRARY_QUERY_VECTORS = 2
    for q in ("strike", "factory", "strike", "solidarity", "strike", "factory"):
        assert client_for(mo).get("/library/search/", {"q": q}).status_code == 200
    # "factory" was dropped when "solidarity" came, "strike" having been asked since.
    assert embedded == ["strike", "factory", "solidarity", "factory"]
