"""Evidence files of pledges, through the page and the API: checked by their content, photos
stored without the metadata that would tell where and with which camera they were taken."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from internationale.appeals.models import Pledge
from internationale.core.tests import files

from .factories import PledgeFactory

ACCEPTED = "Accepted types: PDF, JPEG, PNG, GIF, WebP, plain text (UTF-8), ODT and DOCX."


@pytest.fixture
def pledge(sent, other_org):
    """A pledge of the Korean dockworkers, whose secretary Kim fulfils it."""
    return PledgeFactory(appeal=sent, organization=other_org)


def _fulfil(client, pledge, name, content, via):  # type: ignore[no-untyped-def]
    url = {
        "page": f"/appeals/pledges/{pledge.pk}/fulfil/",
        "api": f"/api/v1/pledges/{pledge.pk}/fulfil",
    }[via]
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post(url, {"evidence_text": "Sent.", "evidence_file": upload})


def _refusal(response, via) -> str:  # type: ignore[no-untyped-def]
    if via == "api":
        assert response.status_code == 400
        [message] = response.json()["errors"]["evidence_file"]
        return message
    assert response.status_code == 200  # the form again, with its error
    return response.content.decode()


def _accepted(response, via) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == (200 if via == "api" else 302), response.content[:500]


def _stored_evidence() -> set[str]:
    """Every evidence file in the storage (the tests' storage is in memory)."""
    try:
        return set(default_storage.listdir("pledge-evidence")[1])
    except FileNotFoundError:
        return set()


def _served(client, pledge):  # type: ignore[no-untyped-def]
    response = client.get(f"/appeals/pledges/{pledge.pk}/evidence/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS"
WEB_PAGE = b"<!DOCTYPE html><html><body><script>document.location='//x'</script></body></html>"


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", WEB_PAGE, "This file is not a real .pdf file"),
        ("letter.pdf", b"%PDF-1.4 " + WEB_PAGE, "This file is not a real .pdf file"),
        ("photo.png", EXECUTABLE, "This file is not a real .png file"),
        ("photo.jpg", b"GIF89a but not really", "This file is not a real .jpg file"),
        ("notes.txt", WEB_PAGE, "This file is not a real .txt file"),
        ("notes.txt", b"caf\xe9 in Latin-1", "This file is not a real .txt file"),
        ("report.docx", files.plain_zip(), "This file is not a real .docx file"),
        ("report.odt", files.docx(), "This file is not a real .odt file"),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00", "This type of file is not accepted"),
        ("run.exe", EXECUTABLE, "This type of file is not accepted"),
        ("page.html", WEB_PAGE, "This type of file is not accepted"),
    ],
)
def test_a_file_whose_content_is_not_an_accepted_type_is_refused_and_nothing_is_saved(
    client_for, kim, pledge, via, name, content, message
):
    before = _stored_evidence()

    response = _fulfil(client_for(kim), pledge, name, content, via)

    refusal = _refusal(response, via)
    assert message in refusal
    assert ACCEPTED in refusal
    pledge.refresh_from_db()
    assert (pledge.status, pledge.evidence_text, pledge.evidence_file.name) == ("pledged", "", "")
    assert _stored_evidence() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("receipt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
        ("letter.txt", "Carta de solidariedade: até a vitória!\n".encode()),
        ("letter.odt", files.odt()),
        ("letter.docx", files.docx()),
    ],
)
def test_each_accepted_document_type_is_stored_as_it_is_and_served(
    client_for, kim, sam, pledge, name, content
):
    _accepted(_fulfil(client_for(kim), pledge, name, content, "page"), "page")

    response, served = _served(client_for(sam), pledge)
    assert served == content  # documents are not changed
    stem, extension = name.split(".")
    assert re.search(rf'filename="{stem}(_\w+)?\.{extension}"$', response["Content-Disposition"])


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_each_accepted_image_type_is_stored_and_served_as_an_image_of_the_same_size(
    client_for, kim, sam, pledge, image_format
):
    name = f"scan.{image_format.lower()}"
    response = _fulfil(client_for(kim), pledge, name, files.still_image(image_format), "api")
    _accepted(response, "api")

    _response, served = _served(client_for(sam), pledge)
    image = Image.open(io.BytesIO(served))
    assert (image.format, image.size) == (image_format, (24, 16))


@pytest.mark.parametrize(
    ("image_format", "via"), [("JPEG", "page"), ("JPEG", "api"), ("PNG", "page"), ("WEBP", "api")]
)
def test_a_phone_photo_is_stored_upright_without_its_gps_position_camera_or_time(
    client_for, kim, sam, pledge, image_format, via
):
    photo = files.phone_photo(format=image_format)
    assert files.SERIAL.encode() in photo  # what a phone would have sent

    _accepted(_fulfil(client_for(kim), pledge, "picket.jpg", photo, via), via)

    with Pledge.objects.get(pk=pledge.pk).evidence_file.open("rb") as stored_file:
        stored = stored_file.read()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()  # no GPS position, no camera, no time, no orientation left
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert files.SERIAL.encode() not in stored and b"PhoneMaker" not in stored
    assert b"picket line" not in stored
    # Turned as the phone said: 40×20 sideways becomes 20×40 upright, red on top, blue below.
    assert image.size == (20, 40)
    top, bottom = image.convert("RGB").getpixel((10, 5)), image.convert("RGB").getpixel((10, 35))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]
    # And the issuer still opens it from the pledge.
    _response, served = _served(client_for(sam), pledge)
    assert served == stored


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_photo_holding_several_pictures_is_stored_as_its_first_picture_without_metadata(
    client_for, kim, sam, pledge, via
):
    photo = files.phone_photo(format="MPO")  # a JPEG with a depth map after the photo
    assert Image.open(io.BytesIO(photo)).n_frames == 2

    _accepted(_fulfil(client_for(kim), pledge, "picket.jpg", photo, via), via)

    response, served = _served(client_for(sam), pledge)
    assert response["Content-Type"] == "image/jpeg"
    assert re.search(r'filename="picket(_\w+)?\.jpg"$', response["Content-Disposition"])
    image = Image.open(io.BytesIO(served))
    assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)
    assert not image.getexif() and not {"exif", "xmp", "comment", "mp"} & set(image.info)
    assert files.SERIAL.encode() not in served and b"picket line" not in served
    # The photo, not the depth map: upright, red on top.
    assert image.size == (20, 40)
    assert image.convert("RGB").getpixel((10, 5))[0] > 150


def test_a_png_named_jpg_is_accepted_and_served_under_its_real_type(client_for, kim, sam, pledge):
    response = _fulfil(client_for(kim), pledge, "scan.jpg", files.still_image("PNG"), "page")
    _accepted(response, "page")

    response, served = _served(client_for(sam), pledge)
    # Stored as scan.png, or scan_<random>.png when another scan.png is there already.
    assert re.search(r'filename="scan(_\w+)?\.png"$', response["Content-Disposition"])
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(served)).format == "PNG"


@pytest.mark.parametrize("via", ["page", "api"])
def test_an_animated_gif_is_refused_as_evidence(client_for, kim, pledge, via):
    response = _fulfil(client_for(kim), pledge, "strike.gif", files.animated_gif(), via)

    assert "Animated images are not accepted: upload a still image." in _refusal(response, via)
    pledge.refresh_from_db()
    assert pledge.status == "pledged"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client_for, kim, pledge):
    # 8000×7000 black-and-white pixels: a few kilobytes of PNG, 56 million pixels to decode.
    buffer = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buffer, format="PNG")

    response = _fulfil(client_for(kim), pledge, "scan.png", buffer.getvalue(), "api")

    assert "The image is too large: at most 50 million pixels." in _refusal(response, "api")


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.docx", files.zip_bomb_docx(), "grows more than 100 times when unpacked"),
        ("letter.odt", files.nested_archive_odt(), "holds an archive inside an archive"),
    ],
)
def test_an_office_file_built_to_exhaust_the_server_is_refused_before_it_is_unpacked(
    client_for, kim, pledge, via, name, content, message
):
    before = _stored_evidence()
    refusal = _refusal(_fulfil(client_for(kim), pledge, name, content, via), via)
    assert message in refusal
    pledge.refresh_from_db()
    assert (pledge.status, pledge.evidence_file.name) == ("pledged", "")
    assert _stored_evidence() == before
