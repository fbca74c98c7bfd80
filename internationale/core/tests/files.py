"""Files made in memory for upload tests: a phone photo with GPS EXIF, office documents."""

import io
import zipfile
from typing import Any

from PIL import ExifTags, Image

RED, BLUE = (220, 20, 20), (20, 20, 220)
SERIAL = "CAM-SERIAL-4471"


def phone_photo(*, size: tuple[int, int] = (40, 20), format: str = "JPEG") -> bytes:
    """A photo as a phone stores it: sideways pixels (red left half, blue right half) with the
    EXIF orientation "turn 90° clockwise", so that, upright, red is on top and blue below; the
    GPS position of São Bernardo do Campo, the camera's serial number, the time and a comment.
    As "MPO", a JPEG holding a second, grey picture after the photo, as a depth map."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.DateTime] = "2026:05:01 06:12:00"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "S",
            ExifTags.GPS.GPSLatitude: (23.0, 41.0, 38.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (46.0, 33.0, 54.0),
        }
    )
    buffer = io.BytesIO()
    options: dict[str, Any] = (
        {"comment": b"picket line, gate 3"} if format in ("JPEG", "MPO") else {}
    )
    if format == "MPO":
        depth_map = Image.new("L", (width // 2, height // 2), 128)
        options.update(save_all=True, append_images=[depth_map])
    image.save(buffer, format=format, exif=exif, **options)
    return buffer.getvalue()


def still_image(format: str, *, size: tuple[int, int] = (24, 16)) -> bytes:
    image = Image.new("RGB", size, RED)
    if format == "GIF":
        image = image.convert("P")
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (16, 16), colour).convert("P") for colour in (RED, BLUE, RED)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def odt() -> bytes:
    """The least an OpenDocument text holds: its uncompressed mimetype first, then its content."""
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b'<?xml version="1.0"?><office:document-content/>',
        }
    )


def docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": (
                b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                b'document.main+xml"/></Types>'
            ),
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def plain_zip() -> bytes:
    return _zip({"notes.txt": b"not a document"})


def _added(document: bytes, entries: dict[str, bytes]) -> bytes:
    """`document` with `entries` added, compressed as hard as deflate can."""
    buffer = io.BytesIO(document)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for name, content in entries.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX of some 30 KB whose picture unpacks to 30 MB of zeros (core/archives.py)."""
    return _added(docx(), {"word/media/image1.png": bytes(30 * 1024 * 1024)})


def nested_archive_odt() -> bytes:
    """An ODT holding an archive that holds another archive."""
    inner = _zip({"sheet.xml": b"<sheet/>"})
    return _added(odt(), {"Object 1/embedded.zip": _zip({"inner.zip": inner})})
