"""The documents' audience kept in memory for the search by meaning (audience.py): the same
documents as the database's filter for every reader, and it follows each change of a document's
visibility or addressees at the next search."""

import pytest

from internationale.library import audience
from internationale.library.models import Document, DocumentAddressee
from internationale.library.search import searchable

pytestmark = pytest.mark.django_db

GREVE = "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio."
FILTERS = [
    {},
    {"kind": "news"},
    {"kind": "analysis"},
    {"kind": "nothing"},
    {"language": "pt"},
    {"language": "PT-br"},
    {"language": "en", "kind": "news"},
]


def test_every_reader_reads_in_memory_what_the_database_lets_them_read(
    owner_org, other_org, unverified_org, nell, uma, kit, olu, mo, ana, oscar
):
    made = []
    for organization in (owner_org, other_org, unverified_org):
        for visibility in ("public", "network", "addressed", "private"):
            for kind, language in (("news", "pt-BR"), ("analysis", "en"), ("news", "pt")):
                made.append(
                    Document.objects.create(
                        organization=organization,
                        kind=kind,
                        language=language,
                        visibility=visibility,
                        title=f"{organization.slug} {visibility} {kind} {language}",
                    )
                )
    for document in made:
        if document.organization_id != other_org.pk:
            DocumentAddressee.objects.create(document=document, organization=other_org)
    agree(None, nell, uma, kit, olu, mo, ana, oscar)
    # Changes are read at the next search: some made public, one deleted, an addressee removed.
    for document in made[::5]:
        document.visibility = "public"
        document.save()
    made[1].delete()
    DocumentAddressee.objects.filter(document=made[2]).delete()
    agree(None, nell, kit, mo)


def agree(*viewers):  # type: ignore[no-untyped-def]
    for viewer in viewers:
        for filters in FILTERS:
            in_memory = set(audience.readable_ids(viewer, **filters).tolist())
            in_database = set(searchable(viewer, **filters).values_list("pk", flat=True))
            assert in_memory == in_database, (viewer, filters)


def test_a_document_made_private_is_no_more_found_by_meaning(publish, client_for, owner_org):
    greve = publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    assert "Greve na fábrica" in client_for(None).get("/library/search/?q=workers+on+strike").text
    greve.visibility = "private"
    greve.save()
    assert (
        "Greve na fábrica" not in client_for(None).get("/library/search/?q=workers+on+strike").text
    )


def test_a_document_addressed_later_is_found_by_the_addressees_people(
    publish, client_for, owner_org, other_org, kit
):
    plan = publish(owner_org, "Plano de greve", GREVE, language="pt", visibility="addressed")
    reader = client_for(kit)
    assert "Plano de greve" not in reader.get("/library/search/?q=workers+on+strike").text
    DocumentAddressee.objects.create(document=plan, organization=other_org)
    assert "Plano de greve" in reader.get("/library/search/?q=workers+on+strike").text
