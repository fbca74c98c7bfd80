"""The API of reports back and the aggregated report: a report sent as JSON after the action's
start, its photo as multipart form data stripped of its metadata, refused input answered 400 with
`errors` by field and nothing changed, another organization's action 404; the aggregated report
as JSON and CSV, and the callers' approval publishing it."""

import io
import json

import pytest
from django.test import Client
from PIL import Image

from internationale.accounts.services import token_create
from internationale.actions.models import Report, ReportPhoto
from internationale.core.actors import System
from internationale.core.tests import files
from internationale.library.models import Document

from .reports_world import called_day, registered, started

pytestmark = pytest.mark.django_db


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def put(client, url, data):  # type: ignore[no-untyped-def]
    return client.put(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def day(sam, owner_org, other_org):
    return called_day(sam, owner_org, other_org)


@pytest.fixture
def rally(day, kim, other_org):
    return registered(kim, day, other_org)


def _url(day, action, rest=""):  # type: ignore[no-untyped-def]
    return f"/api/v1/days/{day.pk}/actions/{action.pk}/report{rest}"


BODY = {
    "outcome": "held",
    "participants": 1200,
    "text": "Cranes stopped.",
    "press_links": ["https://news.example.org/busan"],
}


def test_report_a_photo_and_read_the_aggregate_through_the_api(
    kim, sam, owner_org, other_org, day, rally
):
    docks = with_token(kim, other_org)
    early = put(docks, _url(day, rally), BODY)
    assert early.status_code == 400 and "started" in early.json()["detail"]
    assert not Report.objects.exists()

    started(rally)
    created = put(docks, _url(day, rally), BODY)
    assert created.status_code == 201, created.content
    assert created.json()["participants"] == 1200 and created.json()["photos"] == []
    changed = put(docks, _url(day, rally), {**BODY, "participants": 1300})
    assert changed.status_code == 200 and Report.objects.get().participants == 1300

    photo = io.BytesIO(files.phone_photo())
    photo.name = "gate.jpg"
    added = docks.post(_url(day, rally, "/photos"), {"photo": photo, "caption": "Gate"})
    assert added.status_code == 201, added.content
    with ReportPhoto.objects.get().file.open("rb") as f:
        assert not Image.open(io.BytesIO(f.read())).getexif()

    metal = with_token(sam, owner_org)
    report = metal.get(f"/api/v1/days/{day.pk}/report").json()
    assert report["actions"] == 1 and report["participants"] == 1300
    assert report["countries"] == [
        {"country": "KR", "name": "South Korea", "actions": 1, "reports": 1, "participants": 1300}
    ]
    assert report["approved_by"] == [] and report["published_document"] is None
    assert report["timeline"][0]["local_start"].endswith("+09:00")
    csv = metal.get(f"/api/v1/days/{day.pk}/report.csv")
    assert csv["Content-Type"].startswith("text/csv") and "Busan" in csv.content.decode()

    approved = metal.post(
        f"/api/v1/days/{day.pk}/report/approve", data="{}", content_type="application/json"
    )
    assert approved.status_code == 200
    assert approved.json()["published_document"] == Document.objects.get().pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"participants": -1}, "participants"),
        ({"participants": 10_000_001}, "participants"),
        ({"outcome": "won"}, "outcome"),
        ({"press_links": ["ftp://x"]}, "press_links"),
        ({"text": "  "}, "text"),
    ],
)
def test_refused_reports_say_which_field_and_change_nothing(
    kim, other_org, day, rally, change, field
):
    started(rally)
    response = put(with_token(kim, other_org), _url(day, rally), {**BODY, **change})
    assert response.status_code == 400
    assert any(field in key for key in response.json()["errors"]), response.json()
    assert not Report.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(kim, other_org, day, rally):
    started(rally)
    docks = with_token(kim, other_org)
    put(docks, _url(day, rally), BODY)
    fake = io.BytesIO(b"%PDF-1.7\n%%EOF\n")
    fake.name = "photo.png"
    response = docks.post(_url(day, rally, "/photos"), {"photo": fake})
    assert response.status_code == 400 and "photo" in response.json()["errors"]
    assert not ReportPhoto.objects.exists()


def test_another_organizations_action_answers_404(sam, owner_org, day, rally):
    started(rally)
    response = put(with_token(sam, owner_org), _url(day, rally), BODY)
    assert response.status_code == 404
    assert not Report.objects.exists()
