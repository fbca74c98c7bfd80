"""A library document's files through the API, with real multipart requests: a PDF and a DOCX
added with their text read for search, every refused file answered 400 on `file` with nothing
kept, removal, and the same rule as the pages (404 for what one may not read, 403 for members and
observers)."""

import io
import zipfile

import pytest
from django.test import Client

from internationale.library.models import DocumentFile

from .docs_files import docx, pdf, upload
from .test_docs_services import _add

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _files(document) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/library/documents/{document.pk}/files"


def _stored() -> set[str]:
    storage = DocumentFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    return set(storage.listdir("library")[1]) if storage.exists("library") else set()


def test_a_pdf_and_a_docx_are_added_listed_and_their_text_kept(client_for, sam, kim, owner_org):
    document = _add(sam, owner_org)
    client = client_for(sam)
    answer = client.post(_files(document), {"file": upload("greve.pdf", pdf("Greve em Santos"))})
    assert answer.status_code == 201, answer.content
    added = answer.json()
    assert added["name"] == "greve.pdf" and added["size"] > 0
    assert added["url"].endswith(f"/library/{document.pk}/files/{added['id']}/")
    answer = client.post(
        _files(document), {"file": upload("informe.docx", docx("Informe de la huelga"))}
    )
    assert answer.status_code == 201, answer.content
    texts = dict(DocumentFile.objects.values_list("name", "text"))
    assert "Greve em Santos" in texts["greve.pdf"]
    assert "Informe de la huelga" in texts["informe.docx"]
    # A reader of the public document sees both, in its list and in its detail.
    listed = client_for(kim).get(_files(document)).json()
    assert listed["count"] == 2
    assert [f["name"] for f in listed["items"]] == ["greve.pdf", "informe.docx"]
    detail = client_for(kim).get(f"/api/v1/library/documents/{document.pk}").json()
    assert [f["name"] for f in detail["files"]] == ["greve.pdf", "informe.docx"]
    download = client_for(kim).get(f"/library/{document.pk}/files/{added['id']}/")
    assert download.status_code == 200


def _bomb() -> bytes:
    out = io.BytesIO(docx("Informe de la huelga"))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/media/image1.png", bytes(30 * MB))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("greve.exe", b"MZ\x90\x00", "This type of file is not accepted here"),
        ("big.txt", b"a" * (5 * MB + 10), "The file is too large"),
        ("scan.pdf", pdf(""), "No text could be read"),
        ("informe.docx", _bomb(), "word/media/image1.png"),
    ],
    ids=["type", "size", "no text", "unsafe archive"],
)
def test_a_refused_file_is_a_400_on_file_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    client_for, sam, owner_org, name, content, message
):
    document = _add(sam, owner_org)
    before = _stored()
    answer = client_for(sam).post(_files(document), {"file": upload(name, content)})
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert list(errors) == ["file"] and message in " ".join(errors["file"])
    assert not DocumentFile.objects.exists() and _stored() == before


def test_a_request_without_a_file_says_how_to_send_it(client_for, sam, owner_org):
    document = _add(sam, owner_org)
    client = client_for(sam)
    as_json = client.post(_files(document), data="{}", content_type="application/json")
    assert as_json.status_code == 400
    assert "multipart/form-data" in as_json.json()["errors"]["file"][0]
    empty = client.post(_files(document), {"caption": "nothing"})
    assert empty.status_code == 400 and "file" in empty.json()["errors"]
    assert not DocumentFile.objects.exists()


def test_removing_a_file_removes_its_content(
    client_for, sam, owner_org, django_capture_on_commit_callbacks
):
    document = _add(sam, owner_org)
    client = client_for(sam)
    before = _stored()
    added = client.post(_files(document), {"file": upload("nota.txt", b"Greve em Santos")}).json()
    stored = _stored() - before
    assert len(stored) == 1
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.delete(f"{_files(document)}/{added['id']}")
    assert answer.status_code == 204
    assert not DocumentFile.objects.exists() and not _stored() & stored
    assert client.delete(f"{_files(document)}/{added['id']}").status_code == 404


def test_members_and_observers_are_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    client_for, sam, mo, olu, owner_org
):
    document = _add(sam, owner_org, visibility="private")
    kept = client_for(sam).post(_files(document), {"file": upload("nota.txt", b"Greve")}).json()
    for person in (mo, olu):
        client = client_for(person)
        assert client.get(_files(document)).json()["count"] == 1
        added = client.post(_files(document), {"file": upload("greve.pdf", pdf("Greve"))})
        assert added.status_code == 403 and "admin or secretary" in added.json()["detail"]
        assert client.delete(f"{_files(document)}/{kept['id']}").status_code == 403
    assert list(DocumentFile.objects.values_list("name", flat=True)) == ["nota.txt"]


def test_another_organizations_document_is_not_found(client_for, sam, kai, owner_org, other_org):
    private = _add(sam, owner_org, visibility="private")
    kept = client_for(sam).post(_files(private), {"file": upload("nota.txt", b"Greve")}).json()
    client = client_for(kai)
    assert client.get(_files(private)).status_code == 404
    answer = client.post(_files(private), {"file": upload("greve.pdf", pdf("Greve"))})
    assert answer.status_code == 404
    assert client.delete(f"{_files(private)}/{kept['id']}").status_code == 404
    # Nor is a file reached through another document, even one's own.
    own = _add(kai, other_org, title="Dockworkers on strike", language="en", body="")
    assert client.delete(f"{_files(own)}/{kept['id']}").status_code == 404
    assert DocumentFile.objects.count() == 1
    assert Client().get(_files(private)).status_code == 401
