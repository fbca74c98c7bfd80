"""The text of a document's file, for search: PDF (pypdf), ODT (odfpy), DOCX (python-docx) and
plain text. A file whose text cannot be read (a scanned PDF with no text layer, an encrypted one,
a damaged file) is refused with a clear error: a file nobody could find by its words is better
attached as a document with its text typed in.

The file has passed the upload checks of evidence first (core/uploads.py): its content is of the
type its name says, and it is at most 5 MB. An ODT or DOCX is a zip archive, and its parser
unpacks many of its members, not only the main one: before any member is read, every member is
checked from the archive's directory (`core/archives.check_archive`, which every upload of an
ODT or DOCX passes through, core/uploads.py): how many there are, their total size once
unpacked, how much each one grows, and archives inside it, counted the same way. zipfile never
unpacks a member beyond the size its directory declares (it stops there and fails the checksum),
so the declared sizes are the sizes. Parsers fed hostile bytes may still fail in any way: every
failure is the same clear error. The text kept is bounded, as the search index is.
"""

import io
import re
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from internationale.core.archives import check_archive, extension_of

# The text kept of one file: enough for search, bounded for a file of many pages.
TEXT_MAX_CHARS = 500_000
# A PDF of more pages is read up to here.
PDF_MAX_PAGES = 500
# The parts of an ODT or DOCX read, at most this large once unpacked: no zip bomb is expanded.
PART_MAX_BYTES = 20 * 1024 * 1024
EXTRACTABLE = ("pdf", "odt", "docx", "txt")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def unreadable() -> ValidationError:
    return ValidationError(
        _(
            "No text could be read from this file (a scanned page, an encrypted or a damaged "
            "file?), so nobody could find it by its words. Upload a PDF, ODT, DOCX or text file "
            "that holds its text, and nothing was added."
        ),
        code="no_text",
    )


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()[:TEXT_MAX_CHARS]


def _pdf(data: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(data)
    if reader.is_encrypted:
        return ""
    parts: list[str] = []
    size = 0
    for page in reader.pages[:PDF_MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > TEXT_MAX_CHARS:
            break
    return "\n".join(parts)


def _check_parts(data: IO[bytes], names: tuple[str, ...]) -> None:
    with zipfile.ZipFile(data) as archive:
        for name in names:
            if archive.getinfo(name).file_size > PART_MAX_BYTES:
                raise ValueError("part too large")
    data.seek(0)


def _odt(data: IO[bytes]) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    _check_parts(data, ("content.xml",))
    document = load(data)
    return "\n".join(
        teletype.extractText(element)
        for element in document.getElementsByType(text.P) + document.getElementsByType(text.H)
    )


def _docx(data: IO[bytes]) -> str:
    import docx

    _check_parts(data, ("word/document.xml",))
    document = docx.Document(data)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _txt(data: IO[bytes]) -> str:
    return data.read(TEXT_MAX_CHARS * 4).decode("utf-8-sig", errors="replace")


def extract_text(data: IO[bytes], name: str) -> str:
    """The text of the file `name` whose content is `data`, tidied; ValidationError (code
    "no_text") when it holds none that can be read."""
    readers = {"pdf": _pdf, "odt": _odt, "docx": _docx, "txt": _txt}
    reader = readers.get(extension_of(name))
    if reader is None:
        raise unreadable()
    check_archive(data, name)
    data.seek(0)
    try:
        text = _tidy(reader(io.BytesIO(data.read())))
    except Exception:  # a parser fed hostile bytes may fail in any way: no text to be read
        text = ""
    finally:
        data.seek(0)
    if not any(char.isalnum() for char in text):
        raise unreadable()
    return text
