"""The text of a document's file, for search: PDF (pypdf), ODT (odfpy), DOCX (python-docx) and
plain text. A file whose text cannot be read (a scanned PDF with no text layer, an encrypted one,
a damaged file) is refused with a clear error: a file nobody could find by its words is better
attached as a document with its text typed in.

The file has passed the upload checks of evidence first (core/uploads.py): its content is of the
type its name says, and it is at most 5 MB. An ODT or DOCX is a zip archive, and its parser
unpacks many of its members, not only the main one: before any member is read, every member is
checked from the archive's directory (`check_archive`): how many there are, their total size once
unpacked, how much each one grows, and archives inside it, counted the same way. zipfile never
unpacks a member beyond the size its directory declares (it stops there and fails the checksum),
so the declared sizes are the sizes. Parsers fed hostile bytes may still fail in any way: every
failure is the same clear error. The text kept is bounded, as the search index is.
"""

import io
import re
import zipfile
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The text kept of one file: enough for search, bounded for a file of many pages.
TEXT_MAX_CHARS = 500_000
# A PDF of more pages is read up to here.
PDF_MAX_PAGES = 500
# The parts of an ODT or DOCX read, at most this large once unpacked: no zip bomb is expanded.
PART_MAX_BYTES = 20 * 1024 * 1024
# Every member of an ODT or DOCX together, once unpacked (a 5 MB file of text and pictures
# unpacks to a few times its size), and how many members it may have.
ARCHIVE_MAX_BYTES = 50 * 1024 * 1024
ARCHIVE_MAX_MEMBERS = 1000
# How much one member may grow when unpacked: text compresses some 5 to 20 times; a member of
# zeros, a million times. Members smaller than RATIO_FROM_BYTES unpacked may grow as they like.
RATIO_MAX = 100
RATIO_FROM_BYTES = 1024 * 1024
# An archive inside the document (a spreadsheet embedded in a DOCX) is checked as a member's
# members; an archive inside that one is refused.
NESTING_MAX = 1
ARCHIVES = ("odt", "docx")
EXTRACTABLE = ("pdf", "odt", "docx", "txt")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def unreadable() -> ValidationError:
    return ValidationError(
        _(
            "No text could be read from this file (a scanned page, an encrypted or a damaged "
            "file?), so nobody could find it by its words. Upload a PDF, ODT, DOCX or text file "
            "that holds its text, and nothing was added."
        ),
        code="no_text",
    )


def _unsafe(message: str) -> ValidationError:
    return ValidationError(message, code="archive_unsafe")


class _Totals:
    def __init__(self) -> None:
        self.members = 0
        self.size = 0


def _check_members(archive: zipfile.ZipFile, totals: _Totals, depth: int) -> None:
    """Check every member of `archive` from its directory, then look into those that are zip
    archives themselves (their first bytes: reading them unpacks a few bytes of a member whose
    size is already known to be bounded)."""
    members = archive.infolist()
    for member in members:
        totals.members += 1
        totals.size += member.file_size
        if totals.members > ARCHIVE_MAX_MEMBERS:
            raise _unsafe(
                _(
                    "This file holds more than %(count)d parts: it cannot be read safely, and "
                    "nothing was added."
                )
                % {"count": ARCHIVE_MAX_MEMBERS}
            )
        if totals.size > ARCHIVE_MAX_BYTES:
            raise _unsafe(
                _(
                    "Unpacked, this file would take more than %(size)d MB: it cannot be read "
                    "safely, and nothing was added."
                )
                % {"size": ARCHIVE_MAX_BYTES // (1024 * 1024)}
            )
        if member.file_size > RATIO_FROM_BYTES and member.file_size > RATIO_MAX * max(
            member.compress_size, 1
        ):
            raise _unsafe(
                _(
                    "A part of this file (%(name)s) grows more than %(ratio)d times when "
                    "unpacked, as only a file built to exhaust a server does: nothing was added."
                )
                % {"name": member.filename[:100], "ratio": RATIO_MAX}
            )
    for member in members:
        if member.is_dir() or member.file_size < 22:  # the smallest zip archive: 22 bytes
            continue
        with archive.open(member) as inner:
            if inner.read(4) != b"PK\x03\x04":
                continue
        if depth >= NESTING_MAX:
            raise _unsafe(
                _(
                    "This file holds an archive inside an archive (%(name)s): it cannot be read "
                    "safely, and nothing was added."
                )
                % {"name": member.filename[:100]}
            )
        with archive.open(member) as inner, zipfile.ZipFile(io.BytesIO(inner.read())) as nested:
            _check_members(nested, totals, depth + 1)


def check_archive(data: IO[bytes], name: str) -> None:
    """For an ODT or DOCX: ValidationError (code "archive_unsafe") when its members, counted
    from its directory before any is read, are too many, would unpack too large, one grows too
    much, or an archive inside holds another. Anything else, or a file that is not a zip archive
    (the upload checks refuse it), passes: it is left to the checks that follow."""
    if extension_of(name) not in ARCHIVES:
        return
    data.seek(0)
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError):
        data.seek(0)
        return
    try:
        with archive:
            _check_members(archive, _Totals(), 0)
    except ValidationError:
        raise
    except Exception:  # a damaged member: the file is refused the same way
        raise _unsafe(
            _("A part of this file is damaged: it cannot be read safely, and nothing was added.")
        ) from None
    finally:
        data.seek(0)


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
