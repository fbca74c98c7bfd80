"""ODT and DOCX files are zip archives, and their parsers unpack many members, not only the main
one: every member is checked from the archive's directory before any is read. Each file below is
built as someone trying to exhaust the server would build it, around a real document."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from internationale.library import extract, services
from internationale.library.models import DocumentFile

from .docs_files import docx, odt, upload
from .test_docs_services import _add

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _with(document: bytes, members: dict[str, bytes]) -> bytes:
    """`document` with `members` added, compressed as hard as deflate can."""
    out = io.BytesIO(document)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    return _with(b"", members)


def _refused(sam, owner_org, name: str, content: bytes) -> str:  # type: ignore[no-untyped-def]
    document = _add(sam, owner_org)
    with pytest.raises(ValidationError) as refused:
        services.document_file_add(actor=sam, document=document, upload=upload(name, content))
    assert not DocumentFile.objects.exists()
    error = refused.value.error_dict["file"][0]
    assert error.code == "archive_unsafe"
    return str(error.message)


def test_a_picture_member_that_unpacks_a_thousand_times_its_size_is_refused(sam, owner_org):
    # Not the main part: the check of the main part alone let this through to the parser.
    bomb = _with(docx("Informe de la huelga"), {"word/media/image1.png": bytes(30 * MB)})
    assert len(bomb) < 100_000  # well within the 5 MB an upload may weigh
    message = _refused(sam, owner_org, "informe.docx", bomb)
    assert "word/media/image1.png" in message and "100 times" in message


def test_many_members_each_small_enough_but_too_large_together_are_refused(sam, owner_org):
    # Each member is under the size from which growth is checked; together they are 60 MB.
    parts = {f"Pictures/{number}.png": bytes(MB - 1) for number in range(60)}
    message = _refused(sam, owner_org, "relatorio.odt", _with(odt("Relatório da greve"), parts))
    assert "more than 50 MB" in message


def test_an_archive_with_too_many_members_is_refused(sam, owner_org):
    parts = {f"word/media/{number}.xml": b"<a/>" for number in range(1001)}
    message = _refused(sam, owner_org, "informe.docx", _with(docx("Informe"), parts))
    assert "more than 1000 parts" in message


def test_an_archive_inside_an_archive_inside_the_document_is_refused(sam, owner_org):
    inner = _zip({"sheet.xml": b"<sheet/>"})
    nested = _zip({"xl/embeddings/inner.zip": inner})
    content = _with(docx("Informe"), {"word/embeddings/Sheet1.xlsx": nested})
    message = _refused(sam, owner_org, "informe.docx", content)
    assert "archive inside an archive" in message and "inner.zip" in message


def test_an_embedded_archive_counts_its_members_with_the_documents(sam, owner_org):
    # Small once packed, the embedded spreadsheet unpacks to 60 MB of members under 1 MB each.
    sheet = _zip({f"xl/{number}.xml": bytes(MB - 1) for number in range(60)})
    assert len(sheet) < 200_000
    content = _with(docx("Informe"), {"word/embeddings/Sheet1.xlsx": sheet})
    assert "more than 50 MB" in _refused(sam, owner_org, "informe.docx", content)


def test_a_document_with_pictures_and_an_embedded_spreadsheet_is_read(sam, owner_org):
    sheet = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>" * 50})
    content = _with(
        docx("Informe de la huelga"),
        {"word/media/image1.png": bytes(200_000), "word/embeddings/Sheet1.xlsx": sheet},
    )
    document = _add(sam, owner_org)
    added = services.document_file_add(
        actor=sam, document=document, upload=upload("informe.docx", content)
    )
    assert "Informe de la huelga" in added.text


def test_the_check_refuses_before_the_parser_reads_a_member(sam, owner_org, monkeypatch):
    bomb = _with(odt("Relatório"), {"Pictures/a.png": bytes(30 * MB)})
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    _refused(sam, owner_org, "relatorio.odt", bomb)
    assert opened == []


def test_text_read_directly_is_checked_too():
    bomb = _with(docx("Informe"), {"word/media/image1.png": bytes(30 * MB)})
    with pytest.raises(ValidationError) as refused:
        extract.extract_text(io.BytesIO(bomb), "informe.docx")
    assert refused.value.code == "archive_unsafe"


def test_the_page_shows_the_refusal(client_for, sam, owner_org):
    document = _add(sam, owner_org)
    bomb = _with(docx("Informe"), {"word/media/image1.png": bytes(30 * MB)})
    response = client_for(sam).post(
        f"/library/{document.pk}/files/", {"file": upload("informe.docx", bomb)}
    )
    assert "grows more than 100 times" in response.content.decode()
    assert not DocumentFile.objects.exists()
