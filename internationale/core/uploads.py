"""Uploaded files, checked by their content and, for images, stored without identifying metadata.

A file's name says what it is; its content must agree, or it is refused: an HTML page or a
program renamed `.pdf` or `.png` never reaches the storage. Images are decoded and encoded again
by Pillow, so that only their pixels are kept: the EXIF data of a photo (the GPS position where it
was taken, the camera's serial number, the time), XMP and comments are dropped, after the EXIF
orientation is applied to the pixels. Documents (PDF, ODT, DOCX) cannot be cleaned this way and
keep their own metadata; the user guide says so.

A JPEG holding several pictures (MPO: the depth map or second view of some phones and 3-D
cameras, which Pillow opens as frames) is a photo: its first picture is kept, as a JPEG.

HEIC photos are not accepted: reading them needs a native HEVC decoder (pillow-heif bundles
libheif) fed with untrusted files, for a format that phones convert to JPEG when they upload
through a browser.
"""

import io
import mimetypes
import re
import warnings
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .archives import check_archive

PDF, IMAGE, TEXT, ODT, DOCX = "pdf", "image", "text", "odt", "docx"

# The types accepted as evidence of a pledge, by extension: documents people read, never anything
# a browser or a desktop would run.
EVIDENCE_TYPES = {
    "pdf": PDF,
    "jpg": IMAGE,
    "jpeg": IMAGE,
    "png": IMAGE,
    "gif": IMAGE,
    "webp": IMAGE,
    "txt": TEXT,
    "odt": ODT,
    "docx": DOCX,
}
# Pillow's name of each image format, with the extension a re-encoded image is stored under.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Enough for the photos of a 48-megapixel phone; larger images would take too much memory to
# decode (Pillow's own guard against decompression bombs is at 89 million pixels).
IMAGE_MAX_PIXELS = 50_000_000
# What an image keeps besides its pixels: the transparent colour, and the colour profile (which
# describes colours, not people).
IMAGE_INFO_KEPT = ("transparency", "icc_profile")

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Plain text has no control characters besides tab, line feed, form feed and carriage return.
BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Text that a browser would take for a web page or an image if it ever ignored the content type.
MARKUP = re.compile(r"\s*<(!doctype|html|head|body|script|iframe|svg|\?xml)\b", re.IGNORECASE)


def _accepted_types() -> str:
    return _("PDF, JPEG, PNG, GIF, WebP, plain text (UTF-8), ODT and DOCX")


def _not_what_it_says(extension: str) -> ValidationError:
    return ValidationError(
        _(
            "This file is not a real .%(extension)s file: its content is of another type, or "
            "damaged. Accepted types: %(types)s."
        ),
        code="file_content",
        params={"extension": extension, "types": _accepted_types()},
    )


# The largest document accepted (evidence of a pledge or of a task done, a meeting's documents).
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


def checked_document(upload: UploadedFile, max_bytes: int = DOCUMENT_MAX_BYTES) -> UploadedFile:
    """`checked_upload`, after refusing a file larger than `max_bytes`."""
    if upload.size and upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large: at most %(size)s."),
            code="file_too_large",
            params={"size": filesizeformat(max_bytes)},
        )
    return checked_upload(upload)


def checked_upload(upload: UploadedFile) -> UploadedFile:
    """The file to store for an uploaded evidence file: the same file when its content is of the
    type its extension says, an image re-encoded without metadata; else ValidationError."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    kind = EVIDENCE_TYPES.get(extension)
    if kind is None:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(types)s."),
            code="file_type",
            params={"types": _accepted_types()},
        )
    if kind == IMAGE:
        try:
            return image_without_metadata(upload)
        except ValidationError as error:
            if error.code == "image_invalid":
                raise _not_what_it_says(extension) from None
            raise
    if kind in (ODT, DOCX):
        # Before the checks below, which read a member: every member checked first (archives.py).
        check_archive(upload, upload.name or "")
    checks = {PDF: _is_pdf, TEXT: _is_text, ODT: _is_odt, DOCX: _is_docx}
    upload.seek(0)
    try:
        valid = checks[kind](upload)
    except Exception:  # a parser fed hostile bytes may fail in any way: the file is not valid
        valid = False
    upload.seek(0)
    if not valid:
        raise _not_what_it_says(extension)
    return upload


def _is_pdf(upload: UploadedFile) -> bool:
    """A PDF header, and the end-of-file marker every PDF closes with (within its last 1 KB)."""
    if upload.read(5) != b"%PDF-":
        return False
    upload.seek(max((upload.size or 0) - 1024, 0))
    return b"%%EOF" in upload.read()


def _is_text(upload: UploadedFile) -> bool:
    text = upload.read().decode("utf-8-sig")
    return not (BINARY.search(text) or MARKUP.match(text))


def _is_odt(upload: UploadedFile) -> bool:
    with zipfile.ZipFile(upload) as archive:
        mimetype = archive.getinfo("mimetype")
        archive.getinfo("content.xml")
        return mimetype.file_size < 100 and archive.read(mimetype).strip() == ODT_MIMETYPE


def _is_docx(upload: UploadedFile) -> bool:
    with zipfile.ZipFile(upload) as archive:
        types = archive.getinfo("[Content_Types].xml")
        archive.getinfo("word/document.xml")
        # Read at most what is declared, and declared small: no zip bomb is expanded.
        return types.file_size < 1024 * 1024 and DOCX_MAIN_PART in archive.read(types)


def image_without_metadata(
    upload: UploadedFile,
    *,
    formats: dict[str, str] = IMAGE_FORMATS,
    max_pixels: int = IMAGE_MAX_PIXELS,
    max_side: int | None = None,
) -> UploadedFile:
    """The image, decoded and encoded again in its own format with only its pixels (turned as its
    EXIF orientation says), transparency and colour profile: no EXIF, GPS, XMP or comments. Under
    the extension of its real format (a PNG named .jpg is stored as .png). Scaled down to at most
    `max_side` pixels wide and high when given, keeping its proportions. ValidationError when it
    is not a still image in one of `formats` (code "image_invalid"), is animated or has more than
    `max_pixels` pixels (checked before decoding)."""
    too_large = ValidationError(
        _("The image is too large: at most %(megapixels)d million pixels."),
        code="image_too_large",
        params={"megapixels": max_pixels // 1_000_000},
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the formats asked for: Pillow never tries its other decoders on the file.
            image = Image.open(upload, formats=list(formats))
            image_format = str(image.format)  # one of `formats`, as Pillow names them, or MPO
            if image.width * image.height > max_pixels:
                raise too_large
            if image_format == "MPO":
                # A JPEG with more pictures after the first, not an animation: the photo is the
                # first picture, the one open now; load() decodes it alone, saved as a JPEG.
                image_format = "JPEG"
            elif getattr(image, "n_frames", 1) > 1:
                raise ValidationError(
                    _("Animated images are not accepted: upload a still image."),
                    code="image_animated",
                )
            # Decodes every pixel at full size: a damaged or truncated file fails here. (JPEG's
            # draft mode would save memory only by decoding at 1/2, 1/4 or 1/8 of the size.)
            image.load()
            # A copy, turned upright, with EXIF and every other piece of metadata left behind.
            clean = ImageOps.exif_transpose(image)
            clean.info = {key: image.info[key] for key in IMAGE_INFO_KEPT if key in image.info}
            if max_side:
                clean.thumbnail((max_side, max_side))  # never enlarges; keeps the proportions
            buffer = io.BytesIO()
            options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
            clean.save(buffer, format=image_format, **options)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except Exception:  # a decoder fed hostile bytes may fail in any way: not a valid image
        raise ValidationError(_("This file is not a valid image."), code="image_invalid") from None
    finally:
        upload.seek(0)
    name = PurePath(upload.name or "image")
    extension = formats[image_format]
    same = {extension, "jpeg"} if extension == "jpg" else {extension}
    if name.suffix.lower().lstrip(".") not in same:
        name = name.with_suffix(f".{extension}")
    return SimpleUploadedFile(name.name, buffer.getvalue(), Image.MIME[image_format])


def attachment(stored: FieldFile, default_name: str = "document") -> FileResponse:
    """An uploaded file as a download, never shown inline: uploads have no public URL, and the
    view that calls this is the only way to them, for those who may see what holds them."""
    name = PurePath(stored.name or default_name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
