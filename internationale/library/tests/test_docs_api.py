"""The API on library documents, through real requests: listing what one may read (counts
included), adding with an Idempotency-Key, changing, deleting, addressing, the digest, and every
bad input refused with its field and nothing changed."""

import json

import pytest
from django.test import Client

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.library import services
from internationale.library.models import DigestChoice, Document, DocumentAddressee

pytestmark = pytest.mark.django_db

API = "/api/v1"
PT_BODY = (
    "Os trabalhadores da fábrica de Santos estão em greve desde segunda-feira contra as "
    "demissões. Pedimos a todas as organizações irmãs o seu apoio."
)
EN_BODY = (
    "The workers of the Santos factory have been on strike since Monday against the layoffs. "
    "We ask every sister organization for its support."
)


def body(**changes):  # type: ignore[no-untyped-def]
    return {"kind": "news", "title": "Greve em Santos", "body": PT_BODY, "language": "pt"} | changes


def send(client, method, path, data=None, **headers):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(data) if data is not None else None,
        content_type="application/json",
        headers=headers,
    )


def _document(sam, org, **fields):  # type: ignore[no-untyped-def]
    values = body(visibility="public") | fields
    return services.document_create(actor=sam, organization=org, **values)


def test_the_list_counts_only_what_the_caller_may_read(client_for, sam, kim, owner_org):
    for n in range(3):
        _document(sam, owner_org, title=f"Public {n}")
    _document(sam, owner_org, title="Private", visibility="private")
    answer = send(client_for(kim), "get", "/library/documents?limit=2").json()
    assert answer["count"] == 3 and len(answer["items"]) == 2
    assert all(item["title"].startswith("Public") for item in answer["items"])
    assert send(client_for(sam), "get", "/library/documents").json()["count"] == 4
    filtered = send(client_for(kim), "get", "/library/documents?kind=analysis").json()
    assert filtered["count"] == 0


def test_adding_with_an_idempotency_key_adds_once(client_for, sam):
    client = client_for(sam)
    path = "/organizations/metal-sp/documents"
    first = send(client, "post", path, body(tags=["greve"]), **{"Idempotency-Key": "doc-1"})
    again = send(client, "post", path, body(tags=["greve"]), **{"Idempotency-Key": "doc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and first.json()["tags"] == ["greve"]
    other = send(client, "post", path, body(title="Outra"), **{"Idempotency-Key": "doc-1"})
    assert other.status_code == 409
    assert Document.objects.count() == 1


def test_a_language_detection_contradicts_is_a_400_until_confirmed(client_for, sam):
    client = client_for(sam)
    path = "/organizations/metal-sp/documents"
    refused = send(client, "post", path, body(body=EN_BODY, title="Strike"))
    assert refused.status_code == 400 and "language" in refused.json()["errors"]
    # Answered as the appeals' API answers it: the code and the language detected, at the top.
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "en")
    assert not Document.objects.exists()
    kept = send(client, "post", path, body(body=EN_BODY, title="Strike", language_confirmed=True))
    assert kept.status_code == 201 and kept.json()["language"] == "pt"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "poem"}, "kind"),
        ({"title": ""}, "title"),
        ({"language": "not a tag!"}, "language"),
        ({"visibility": "everyone"}, "visibility"),
        ({"tags": ["x" * 70]}, "tags"),
    ],
)
def test_bad_input_is_refused_on_its_field(client_for, sam, changes, field):
    answer = send(client_for(sam), "post", "/organizations/metal-sp/documents", body(**changes))
    assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    assert not Document.objects.exists()


def test_a_token_adds_only_for_its_own_organization(sam, owner_org, other_org, kim):
    _token, raw = token_create(
        actor=System(reason="test"), user=kim, organization=other_org, name="test"
    )
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert send(client, "post", "/organizations/metal-sp/documents", body()).status_code == 404
    assert send(client, "post", "/organizations/docks-kr/documents", body()).status_code == 201


def test_changing_and_deleting(client_for, sam, kim, owner_org):
    document = _document(sam, owner_org)
    path = f"/library/documents/{document.pk}"
    assert send(client_for(kim), "patch", path, {"title": "Hacked"}).status_code == 403
    assert send(client_for(sam), "patch", path, {"title": None}).status_code == 400
    changed = send(client_for(sam), "patch", path, {"title": "Greve geral", "tags": ["a", "b"]})
    assert changed.status_code == 200 and changed.json()["tags"] == ["a", "b"]
    assert changed.json()["body"] == PT_BODY  # left out, kept
    assert send(client_for(kim), "delete", path).status_code == 403
    assert send(client_for(sam), "delete", path).status_code == 204
    assert send(client_for(sam), "get", path).status_code == 404


def test_unknown_and_unreadable_documents_answer_the_same_404(client_for, sam, kim, owner_org):
    private = _document(sam, owner_org, visibility="private")
    for path in [f"/library/documents/{private.pk}", "/library/documents/999999"]:
        answer = send(client_for(kim), "get", path)
        assert answer.status_code == 404 and answer.json()["detail"]
        assert send(client_for(kim), "patch", path, {"title": "x"}).status_code == 404


def test_addressing_through_the_api(client_for, sam, owner_org, other_org):
    document = _document(sam, owner_org, visibility="addressed")
    path = f"/library/documents/{document.pk}/addressees"
    answer = send(client_for(sam), "post", path, {"add": ["docks-kr"]})
    assert answer.status_code == 201
    assert [a["organization"]["slug"] for a in answer.json()] == ["docks-kr"]
    assert send(client_for(sam), "get", path).json()["count"] == 1
    assert send(client_for(sam), "post", path, {"add": ["nobody-here"]}).status_code == 400
    again = send(client_for(sam), "post", path, {"add": ["docks-kr"]})
    assert again.status_code == 400 and DocumentAddressee.objects.count() == 1


def test_the_digest_choice(client_for, nell):
    client = client_for(nell)
    assert send(client, "get", "/library/digest").json()["weekly"] is False
    answer = send(client, "put", "/library/digest", {"weekly": True, "languages": ["pt-BR"]})
    assert answer.status_code == 200 and answer.json()["languages"] == ["pt"]
    bad = send(client, "put", "/library/digest", {"weekly": True, "kinds": ["poem"]})
    assert bad.status_code == 400
    assert DigestChoice.objects.get(person=nell).kinds == []
