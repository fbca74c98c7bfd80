"""Reports back on local actions: after the action's start only, by those who speak for its
organization, with participants from 0 to 10,000,000, what happened, press links and photos
stripped of their metadata; the callers are told. Another organization's action answers 404."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from internationale.actions import reports
from internationale.actions.models import Report, ReportPhoto
from internationale.core.models import Notice
from internationale.core.tests import files

from .reports_world import called_day, registered, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(sam, owner_org, other_org):
    return called_day(sam, owner_org, other_org)


@pytest.fixture
def rally(day, kim, other_org):
    return registered(kim, day, other_org)


def _edit(day, action):  # type: ignore[no-untyped-def]
    return reverse("report_edit", args=[day.pk, action.pk])


def _data(**changes):  # type: ignore[no-untyped-def]
    return {
        "outcome": "held",
        "participants": "1200",
        "text": "Twelve hundred dockers **stopped** the cranes for an hour.",
        "language": "en",
        "press_links": "https://news.example.org/busan-rally\nhttps://press.example.kr/a/1",
        "caption": "The gate of the terminal",
        **changes,
    }


def test_a_report_before_the_action_starts_is_refused_and_nothing_is_saved(
    client_for, kim, day, rally
):
    response = client_for(kim).post(_edit(day, rally), _data())
    assert response.status_code == 200
    assert "Report back once the action has started." in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_with_a_phone_photo_is_stored_without_its_metadata_and_tells_the_callers(
    client_for, kim, sam, owner_org, day, rally
):
    started(rally)
    photo = io.BytesIO(files.phone_photo())
    photo.name = "gate.jpg"
    response = client_for(kim).post(_edit(day, rally), {**_data(), "photos": [photo]})
    assert response.status_code == 302, response.content.decode()[:2000]

    report = Report.objects.get(action=rally)
    assert (report.participants, report.outcome) == (1200, "held")
    assert report.press_links == [
        "https://news.example.org/busan-rally",
        "https://press.example.kr/a/1",
    ]
    stored = report.photos.get()
    with stored.file.open("rb") as f:
        content = f.read()
    image = Image.open(io.BytesIO(content))
    assert not image.getexif() and files.SERIAL.encode() not in content
    assert stored.caption == "The gate of the terminal"

    notice = Notice.objects.get(kind="day.reported")
    assert notice.organization_ids == [owner_org.pk]

    # The callers read it, with the photo served inline as an image.
    page = client_for(sam).get(reverse("report_detail", args=[day.pk, rally.pk])).content.decode()
    assert "1200, as reported by the organization" in page and "<strong>stopped</strong>" in page
    served = client_for(sam).get(reverse("report_photo", args=[day.pk, rally.pk, stored.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("participants", ["-1", "10000001", "many"])
def test_participants_out_of_range_are_refused_and_nothing_is_saved(
    client_for, kim, day, rally, participants
):
    started(rally)
    response = client_for(kim).post(_edit(day, rally), _data(participants=participants))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert not Report.objects.exists()


def test_the_service_refuses_participants_over_ten_million(kim, rally):
    started(rally)
    with pytest.raises(Exception) as refused:
        reports.report_submit(
            actor=kim, action=rally, text="x", outcome="held", participants=10_000_001
        )
    assert "participants" in refused.value.message_dict  # type: ignore[attr-defined]
    assert not Report.objects.exists()


def test_a_press_link_that_is_not_a_web_address_is_refused(client_for, kim, day, rally):
    started(rally)
    response = client_for(kim).post(_edit(day, rally), _data(press_links="javascript:alert(1)"))
    assert "is not a web address" in response.content.decode()
    assert not Report.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(client_for, kim, day, rally):
    started(rally)
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "photo.jpg"
    response = client_for(kim).post(_edit(day, rally), {**_data(), "photos": [fake]})
    assert response.status_code == 200
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_another_organizations_action_answers_404_and_its_members_403(
    client_for, sam, kit, day, rally
):
    started(rally)
    assert client_for(sam).get(_edit(day, rally)).status_code == 404
    assert client_for(sam).post(_edit(day, rally), _data()).status_code == 404
    assert client_for(kit).post(_edit(day, rally), _data()).status_code == 403
    assert not Report.objects.exists()


def test_an_action_under_another_days_address_answers_404(
    client_for, kim, sam, owner_org, other_org, rally
):
    started(rally)
    other = called_day(sam, owner_org, other_org, title="Another day")
    assert client_for(kim).get(_edit(other, rally)).status_code == 404


def test_a_photo_is_removed_after_confirmation(client_for, kim, day, rally):
    started(rally)
    photo = io.BytesIO(files.still_image("PNG"))
    photo.name = "crowd.png"
    client_for(kim).post(_edit(day, rally), {**_data(), "photos": [photo]})
    stored = ReportPhoto.objects.get()
    url = reverse("report_photo_remove", args=[day.pk, rally.pk, stored.pk])
    assert "Yes, remove the photo" in client_for(kim).get(url).content.decode()
    assert ReportPhoto.objects.exists()
    assert client_for(kim).post(url).status_code == 302
    assert not ReportPhoto.objects.exists()


def test_changing_the_report_keeps_one_report_and_tells_the_callers_once(
    client_for, kim, day, rally
):
    started(rally)
    client_for(kim).post(_edit(day, rally), _data())
    client_for(kim).post(_edit(day, rally), _data(participants="1500", outcome="partly"))
    report = Report.objects.get()
    assert (report.participants, report.outcome) == (1500, "partly")
    assert Notice.objects.filter(kind="day.reported").count() == 1


def test_the_action_and_day_pages_lead_to_reporting_and_to_the_report(
    client_for, kim, kit, sam, day, rally
):
    action_url = reverse("local_action_detail", args=[day.pk, rally.pk])
    assert _edit(day, rally) in client_for(kim).get(action_url).content.decode()
    assert _edit(day, rally) not in client_for(kit).get(action_url).content.decode()
    assert "No report back yet." in client_for(sam).get(action_url).content.decode()
    day_page = client_for(sam).get(reverse("day_detail", args=[day.pk])).content.decode()
    assert reverse("day_report", args=[day.pk]) in day_page

    started(rally)
    client_for(kim).post(_edit(day, rally), _data())
    page = client_for(sam).get(action_url).content.decode()
    assert reverse("report_detail", args=[day.pk, rally.pk]) in page
    assert "Read the report (Held as planned)" in page
