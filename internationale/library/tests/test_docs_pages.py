"""The library's document pages through real requests: the list with its filters and empty state,
adding a document (and confirming its language), changing, deleting after confirmation,
addressing, files, the feeds of public documents, and the weekly digest."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from internationale.core.models import AuditEntry
from internationale.library import digest, services
from internationale.library.models import DigestChoice, Document, DocumentAddressee, DocumentFile
from internationale.translation.models import LanguageVersion

from .docs_files import pdf, upload

pytestmark = pytest.mark.django_db

PT_BODY = (
    "Os trabalhadores da fábrica de Santos estão em greve desde segunda-feira contra as "
    "demissões. Pedimos a todas as organizações irmãs o seu apoio."
)
EN_BODY = (
    "The workers of the Santos factory have been on strike since Monday against the layoffs. "
    "We ask every sister organization for its support."
)


def _document(actor, org, **fields):  # type: ignore[no-untyped-def]
    values = {"kind": "news", "title": "Greve em Santos", "body": PT_BODY, "language": "pt"}
    values |= {"visibility": "public"} | fields
    return services.document_create(actor=actor, organization=org, **values)


def _form(org, **fields):  # type: ignore[no-untyped-def]
    data = {
        "organization": org.slug,
        "kind": "news",
        "title": "Greve em Santos",
        "body": PT_BODY,
        "language": "pt",
        "visibility": "public",
        "tags": "greve, portos",
        "submission_key": "form-1",
    }
    return data | fields


def test_the_list_shows_only_what_the_viewer_may_read(client_for, sam, owner_org, kim):
    _document(sam, owner_org, title="Public strike news")
    _document(sam, owner_org, title="Private minutes", visibility="private")
    anonymous = client_for().get("/library/").content.decode()
    assert "Public strike news" in anonymous and "Private minutes" not in anonymous
    assert "Private minutes" not in client_for(kim).get("/library/").content.decode()
    assert "Private minutes" in client_for(sam).get("/library/").content.decode()


def test_the_list_filters_by_kind_language_organization_and_tag(client_for, sam, owner_org):
    _document(sam, owner_org, title="Greve", tags=["greve"])
    _document(sam, owner_org, title="Análise", kind="analysis", tags=["teoria"])
    client = client_for()
    page = client.get("/library/?kind=analysis").content.decode()
    assert "Análise" in page and "Greve em" not in page and ">Greve<" not in page
    page = client.get("/library/?tag=greve").content.decode()
    assert ">Greve<" in page and "Análise" not in page
    page = client.get(f"/library/?organization={owner_org.slug}&language=pt").content.decode()
    assert ">Greve<" in page and "Análise" in page
    page = client.get("/library/?language=fr").content.decode()
    assert "No document matches these filters." in page


def test_the_list_shows_titles_in_the_readers_language_marked_when_a_machine_made_them(
    client_for, sam, owner_org
):
    document = _document(sam, owner_org, title="Greve em Santos")
    LanguageVersion.objects.create(
        original=document,
        language="en",
        texts={"title": "Strike in Santos"},
        status="machine",
        source_hash="x",
    )
    page = client_for().get("/library/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Strike in Santos" in page and "machine translation" in page
    page = client_for().get("/library/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Greve em Santos" in page and "Strike in Santos" not in page


def test_the_empty_library_says_so(client_for):
    assert (
        "The library has no document you may read yet."
        in client_for().get("/library/").content.decode()
    )


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    client_for, sam, owner_org, django_assert_max_num_queries
):
    for n in range(25):
        _document(sam, owner_org, title=f"Document {n}", tags=[f"tag {n % 3}"])
    client = client_for(sam)
    client.get("/library/")
    with django_assert_max_num_queries(16):
        response = client.get("/library/")
    assert "Page 1 of 2" in response.content.decode()
    assert "Document 0" in client.get("/library/?page=2").content.decode()


def test_a_secretary_adds_a_document_through_the_form(client_for, sam, owner_org):
    response = client_for(sam).post("/library/new/", _form(owner_org))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/library/{document.pk}/"
    assert sorted(document.tags.values_list("name", flat=True)) == ["greve", "portos"]
    # Sent twice (a double click): still one.
    client_for(sam).post("/library/new/", _form(owner_org))
    assert Document.objects.count() == 1


def test_the_form_asks_to_confirm_a_language_detection_contradicts(client_for, sam, owner_org):
    client = client_for(sam)
    response = client.post("/library/new/", _form(owner_org, body=EN_BODY, title="Strike"))
    page = response.content.decode()
    assert response.status_code == 200 and not Document.objects.exists()
    assert "seems to be written in English" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    response = client.post(
        "/library/new/", _form(owner_org, body=EN_BODY, title="Strike", language_confirmed="on")
    )
    assert response.status_code == 302 and Document.objects.get().language == "pt"


def test_an_addressed_document_goes_on_to_addressing(client_for, sam, owner_org, other_org):
    client = client_for(sam)
    response = client.post("/library/new/", _form(owner_org, visibility="addressed"))
    document = Document.objects.get()
    assert response["Location"] == f"/library/{document.pk}/address/"
    page = client.get(f"/library/{document.pk}/address/?preview=1&add={other_org.slug}")
    assert other_org.name in page.content.decode()
    response = client.post(f"/library/{document.pk}/address/", {"add": other_org.slug})
    assert response.status_code == 302
    assert DocumentAddressee.objects.filter(document=document, organization=other_org).exists()


def test_the_document_page_shows_its_speakers_the_actions(client_for, sam, mo, owner_org):
    document = _document(sam, owner_org)
    assert (
        f"/library/{document.pk}/edit/"
        in client_for(sam).get(f"/library/{document.pk}/").content.decode()
    )
    assert (
        f"/library/{document.pk}/edit/"
        not in client_for(mo).get(f"/library/{document.pk}/").content.decode()
    )


def test_editing_and_deleting_after_confirmation(client_for, sam, owner_org):
    document = _document(sam, owner_org)
    client = client_for(sam)
    data = _form(owner_org, title="Greve geral")
    assert client.post(f"/library/{document.pk}/edit/", data).status_code == 302
    document.refresh_from_db()
    assert document.title == "Greve geral"
    page = client.get(f"/library/{document.pk}/delete/").content.decode()
    assert "cannot be undone" in page and Document.objects.exists()
    assert client.post(f"/library/{document.pk}/delete/").status_code == 302
    assert not Document.objects.exists()


def test_another_organizations_private_document_is_not_found(client_for, sam, kim, owner_org):
    document = _document(sam, owner_org, visibility="private")
    for path in ["", "edit/", "delete/", "files/", "address/"]:
        assert client_for(kim).get(f"/library/{document.pk}/{path}").status_code == 404
    assert client_for(sam).get("/library/999999/edit/").status_code == 404


def test_files_are_added_downloaded_and_refused_with_clear_errors(client_for, sam, owner_org, kim):
    document = _document(sam, owner_org)
    client = client_for(sam)
    response = client.post(
        f"/library/{document.pk}/files/", {"file": upload("greve.pdf", pdf("Greve em Santos"))}
    )
    assert response.status_code == 302
    added = DocumentFile.objects.get()
    download = client_for(kim).get(f"/library/{document.pk}/files/{added.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    response = client.post(f"/library/{document.pk}/files/", {"file": upload("scan.pdf", pdf(""))})
    assert response.status_code == 200 and "No text could be read" in response.content.decode()
    big = upload("big.txt", b"a" * (5 * 1024 * 1024 + 10))
    response = client.post(f"/library/{document.pk}/files/", {"file": big})
    assert "The file is too large" in response.content.decode()
    assert DocumentFile.objects.count() == 1


def test_feeds_hold_public_documents_only(client_for, sam, owner_org):
    _document(sam, owner_org, title="Public strike news", tags=["greve"])
    _document(sam, owner_org, title="Network analysis", kind="analysis", visibility="network")
    _document(sam, owner_org, title="Private minutes", visibility="private")
    for path in [
        "/library/feed/",
        f"/library/feed/organization/{owner_org.slug}/",
        "/library/feed/kind/news/",
        "/library/feed/language/pt/",
    ]:
        # Whoever asks, signed in to the author organization included.
        feed = client_for(sam).get(path).content.decode()
        assert "Public strike news" in feed, path
        assert "Network analysis" not in feed and "Private minutes" not in feed, path
        assert 'xml:lang="pt"' in feed
    assert (
        "Public strike news"
        not in client_for().get("/library/feed/kind/analysis/").content.decode()
    )
    assert client_for().get("/library/feed/organization/nobody/").status_code == 404
    assert client_for().get("/library/feed/language/not a tag/").status_code == 404


def test_choosing_the_weekly_digest(client_for, nell):
    client = client_for(nell)
    assert "Weekly digest" in client.get("/library/digest/").content.decode()
    response = client.post("/library/digest/", {"weekly": "on", "kinds": ["news", "analysis"]})
    assert response.status_code == 302
    choice = DigestChoice.objects.get(person=nell)
    assert choice.weekly and choice.kinds == ["news", "analysis"]
    response = client.post("/library/digest/", {"weekly": "on", "kinds": ["poem"]})
    assert response.status_code == 200 and DigestChoice.objects.get().kinds == ["news", "analysis"]


def _digest_for(person, **fields):  # type: ignore[no-untyped-def]
    return DigestChoice.objects.create(person=person, weekly=True, **fields)


def test_the_digest_sends_each_person_what_they_may_read_in_their_language(
    sam, owner_org, kim, mo, settings
):
    kim.language = "es"
    kim.save()
    _digest_for(kim)
    _digest_for(mo, kinds=["analysis"])
    _document(sam, owner_org, title="Public strike news")
    _document(sam, owner_org, title="Private minutes", visibility="private")
    _document(sam, owner_org, title="Our analysis", kind="analysis", visibility="private")
    assert digest.send_library_digests.call() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    to_kim = by_person[kim.email]
    assert "Public strike news" in to_kim.body and "Private minutes" not in to_kim.body
    assert to_kim.subject == "La biblioteca esta semana: 1 documento nuevo"  # in her language
    to_mo = by_person[mo.email]
    assert "Our analysis" in to_mo.body and "Public strike news" not in to_mo.body
    assert to_kim.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Run again at once: nothing is due, nothing is sent twice.
    assert digest.send_library_digests.call() == 0 and len(mail.outbox) == 2


def test_the_next_digest_covers_what_was_added_since_the_last(sam, owner_org, kim):
    choice = _digest_for(kim, last_sent_at=timezone.now() - datetime.timedelta(days=8))
    old = _document(sam, owner_org, title="Old news")
    Document.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    _document(sam, owner_org, title="Fresh news")
    assert digest.send_library_digests.call() == 1
    assert "Fresh news" in mail.outbox[0].body and "Old news" not in mail.outbox[0].body
    choice.refresh_from_db()
    assert choice.last_sent_at > timezone.now() - datetime.timedelta(minutes=1)


def test_a_week_with_nothing_new_sends_nothing(kim):
    _digest_for(kim)
    assert digest.send_library_digests.call() == 0 and not mail.outbox


def test_the_link_in_the_digest_turns_it_off_in_one_click(client_for, sam, owner_org, kim):
    _digest_for(kim)
    _document(sam, owner_org)
    digest.send_library_digests.call()
    link = re.search(r"<(http[^>]+)>", mail.outbox[0].extra_headers["List-Unsubscribe"]).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = client_for()
    assert client.get(f"/{path}").status_code == 200
    assert DigestChoice.objects.get(person=kim).weekly  # a link checker's GET changes nothing
    assert client.post(f"/{path}", {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not DigestChoice.objects.get(person=kim).weekly
    assert AuditEntry.objects.filter(
        action="library.digest_choose", system__contains="link"
    ).exists()
