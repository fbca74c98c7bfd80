"""Requests a fuzzer of the OpenAPI description found answered with a server error, or accepted
when they should not have been: each now gets a clear 400 and changes nothing."""

import json
from decimal import Decimal

import pytest

from internationale.aid.models import Contribution
from internationale.aid.services import contribution_declare
from internationale.appeals.models import Appeal, AppealUpdate
from internationale.appeals.services import pledge_create
from internationale.organizations.models import Relation

APPEAL = {
    "title": "Lockout at the port",
    "text": "Locked out since Monday.",
    "language": "en",  # the language the text is written in (detected, else confirmed)
    "situation": "lockout",
    "country": "BR",
    "asks_propaganda": True,
}


def post(client, url, data):  # type: ignore[no-untyped-def]
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, data=body, content_type="application/json")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "2030-01-01T00:00:00", "time zone"),  # no UTC offset
        ("escalate_at", "2030-01-01T00:00:00", "time zone"),
        ("deadline", "9999-12-31T23:59:59-12:00", "within ten years"),  # past 9999 in UTC
        ("escalate_at", "9999-12-31T23:59:59Z", "within ten years"),
        ("deadline", "2020-01-01T00:00:00Z", "in the future"),
    ],
)
def test_a_time_without_offset_or_beyond_ten_years_is_refused(
    client_for, sam, owner_org, field, value, message
):
    response = post(
        client_for(sam), f"/api/v1/organizations/{owner_org.slug}/appeals", {**APPEAL, field: value}
    )

    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    assert not Appeal.objects.exists()


def test_editing_a_draft_to_a_time_beyond_ten_years_is_refused(client_for, sam, draft):
    response = client_for(sam).patch(
        f"/api/v1/appeals/{draft.pk}",
        data=json.dumps({"deadline": "9999-12-31T23:59:59-12:00"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.deadline is None or draft.deadline.year < 9999


def test_text_holding_the_nul_character_is_refused_in_a_body_and_in_a_query(client_for, sam, sent):
    client = client_for(sam)
    response = post(client, f"/api/v1/appeals/{sent.pk}/updates", {"text": "\u0000"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not AppealUpdate.objects.filter(kind="update").exists()

    response = client.get("/api/v1/appeals?q=lock%00out")
    assert response.status_code == 400
    assert client.get("/organizations/?q=%00").status_code == 400


def test_an_offset_too_large_for_the_database_is_refused(client_for, sam):
    response = client_for(sam).get("/api/v1/appeals?offset=9223372036854775808")
    assert response.status_code == 400
    assert "offset" in json.dumps(response.json())


@pytest.mark.parametrize("body", ['"x"', "null", "[1, 2]", "123"])
def test_confirming_aid_with_a_body_that_is_not_an_object_confirms_nothing(
    client_for, sam, kim, sent, other_org, body
):
    pledge = pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="For the strike fund.",
        amount=Decimal("100"),
        currency="USD",
    )
    aid = contribution_declare(actor=kim, pledge=pledge, amount=Decimal("100"), currency="USD")

    response = post(client_for(sam), f"/api/v1/contributions/{aid.pk}/confirm", body)

    assert response.status_code == 400
    assert "JSON object" in response.json()["detail"]
    assert Contribution.objects.get().confirmed_at is None


def test_a_relation_cannot_start_in_the_future(client_for, kim, owner_org):
    response = post(
        client_for(kim),
        "/api/v1/organizations/docks-kr/relations",
        {"partner": owner_org.slug, "kind": "fraternal", "since": "9999-12-31"},
    )

    assert response.status_code == 400
    assert "future" in " ".join(response.json()["errors"]["since"])
    assert not Relation.objects.exists()


def test_multipart_data_without_a_boundary_gets_a_json_error(client_for, sam, kim, sent, other_org):
    pledge = pledge_create(
        actor=kim, appeal=sent, organization=other_org, forms=["sympathy"], description="Letters."
    )

    response = client_for(kim).post(
        f"/api/v1/pledges/{pledge.pk}/fulfil", data=b"--x\r\n", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "The multipart form data cannot be read."
    pledge.refresh_from_db()
    assert pledge.status == "pledged"


@pytest.mark.parametrize("field", ["title", "text", "place", "language", "urgency", "visibility"])
def test_null_for_a_field_that_cannot_be_empty_is_refused_with_the_field_named(
    client_for, sam, draft, field
):
    before = {f: getattr(draft, f) for f in ["title", "text", "place", "language", "urgency"]}
    response = client_for(sam).patch(
        f"/api/v1/appeals/{draft.pk}",
        data=json.dumps({field: None}),
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    draft.refresh_from_db()
    assert {f: getattr(draft, f) for f in before} == before
