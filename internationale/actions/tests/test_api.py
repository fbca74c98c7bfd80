"""The API of days of action, through real requests: calling, answering, and local actions with
clock changes, as a client sees them. The Metalworkers of São Paulo (Sam) call; the Korean
Dockworkers (Kim speaks for them, Kit is a member) act."""

import datetime
import json
import zoneinfo

from internationale.actions.models import DayOfAction, LocalAction

from .test_local_actions import next_change
from .world import the_date


def post(client, path, body, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1" + path, data=json.dumps(body), content_type="application/json", **headers
    )


def call_day(sam, owner_org, other_org, client_for, date=None):  # type: ignore[no-untyped-def]
    client = client_for(sam)
    created = post(
        client,
        f"/organizations/{owner_org.slug}/days",
        {
            "title": "Global day at Meridian Freight",
            "text": "Act together.",
            "language": "en",
            "date": (date or the_date()).isoformat(),
            "suggested_kinds": ["rally", "strike"],
        },
    )
    assert created.status_code == 201, created.json()
    day = created.json()
    assert (day["status"], day["visibility"]) == ("draft", "addressed")
    called = post(client, f"/days/{day['id']}/called", {"add": [other_org.slug]})
    assert called.status_code == 201
    assert called.json()[0]["organization"]["slug"] == other_org.slug
    return day["id"]


def test_a_day_called_through_the_api_is_answered_and_counted_per_country(
    sam, kim, owner_org, other_org, client_for
):
    pk = call_day(sam, owner_org, other_org, client_for)
    detail = client_for(kim).get(f"/api/v1/days/{pk}").json()
    assert detail["visibility"] == "network"
    starts, ends = (datetime.datetime.fromisoformat(detail[k]) for k in ("starts_at", "ends_at"))
    assert ends - starts == datetime.timedelta(hours=50)
    refused = post(client_for(kim), f"/days/{pk}/answer", {"kind": "cannot_act"})
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert post(client_for(kim), f"/days/{pk}/answer", {"kind": "will_act"}).status_code == 200
    answers = client_for(sam).get(f"/api/v1/days/{pk}/answers").json()
    assert answers == [
        {
            "country": "KR",
            "called": 1,
            "will_act": 1,
            "cannot_act": 0,
            "passed_on": 0,
            "no_answer": 0,
            "answers": [answers[0]["answers"][0]],
        }
    ]
    assert client_for(kim).get(f"/api/v1/days/{pk}/answers").status_code == 403


def test_the_same_idempotency_key_creates_one_day_and_other_content_conflicts(
    sam, owner_org, client_for
):
    body = {"title": "Day", "text": "Act.", "language": "en", "date": the_date().isoformat()}
    path = f"/organizations/{owner_org.slug}/days"
    first = post(client_for(sam), path, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client_for(sam), path, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = post(client_for(sam), path, {**body, "title": "Other"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409
    assert DayOfAction.objects.count() == 1


def test_local_actions_through_the_api_follow_the_clocks_of_their_place(
    sam, kim, owner_org, other_org, client_for
):
    autumn = next_change(zoneinfo.ZoneInfo("Europe/Berlin"), forward=False)
    pk = call_day(sam, owner_org, other_org, client_for, date=autumn)
    body = {
        "kind": "rally",
        "city": "Hamburg",
        "country": "DE",
        "time_zone": "Europe/Berlin",
        "start": f"{autumn.isoformat()}T02:30",
        "end": f"{autumn.isoformat()}T04:00",
        "contact": "Hanna",
    }
    asked = post(client_for(kim), f"/days/{pk}/actions", body)
    assert asked.status_code == 400
    assert "happens twice" in asked.json()["errors"]["start"][0]
    made = post(client_for(kim), f"/days/{pk}/actions", {**body, "start_fold": 1})
    assert made.status_code == 201
    action = made.json()
    assert action["start_at"].startswith(f"{autumn.isoformat()}T01:30")
    assert action["local_start"] == f"{autumn.isoformat()}T02:30:00+01:00"
    assert action["contact"] == "Hanna"  # the acting organization reads its own
    for bad, field in [
        ({"expected_participants": -5}, "expected_participants"),
        ({"expected_participants": 10_000_001}, "expected_participants"),
        ({"end": f"{autumn.isoformat()}T01:00", "start_fold": 1}, "end"),
        ({"time_zone": "Mars/Olympus", "start_fold": 1}, "time_zone"),
    ]:
        response = post(client_for(kim), f"/days/{pk}/actions", {**body, **bad})
        assert response.status_code == 400, bad
        assert field in response.json()["errors"], bad
    assert LocalAction.objects.count() == 1


def test_a_member_cannot_register_an_action_through_the_api(
    sam, kit, owner_org, other_org, client_for
):
    pk = call_day(sam, owner_org, other_org, client_for)
    body = {
        "kind": "rally",
        "city": "Busan",
        "country": "KR",
        "time_zone": "Asia/Seoul",
        "start": f"{the_date().isoformat()}T10:00",
        "end": f"{the_date().isoformat()}T12:00",
    }
    assert post(client_for(kit), f"/days/{pk}/actions", body).status_code == 403
    assert not LocalAction.objects.exists()
