"""Zip archives uploaded as documents (ODT, DOCX), checked before any member is read.

An ODT or DOCX is a zip archive, and whatever reads it (the upload checks, a text extractor, the
reader's office program) may unpack many of its members, not only the main one. Every member is
checked from the archive's directory first: how many there are, their total size once unpacked,
how much each one grows, and archives inside it, counted the same way; an archive inside that one
is refused. zipfile never unpacks a member beyond the size its directory declares (it stops there
and fails the checksum), so the declared sizes are the sizes.

`check_archive` runs for every upload of an ODT or DOCX (core/uploads.checked_upload): pledge
evidence, agreements' and tasks' evidence, meetings' documents and the library's files.
"""

import io
import zipfile
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


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
