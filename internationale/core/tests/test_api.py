"""What every endpoint of the API shares: authentication, CSRF, the error format, request size,
the documentation. Through real HTTP requests, as the personas of conftest.py."""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from internationale.accounts.services import token_create, token_revoke
from internationale.core.actors import System
from internationale.organizations.models import Employer, Membership, Relation

API = "/api/v1"


@pytest.fixture
def token(ana, owner_org):  # type: ignore[no-untyped-def]
    return token_create(
        actor=System(reason="test"), user=ana, organization=owner_org, name="press office"
    )


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def counts() -> tuple[int, int, int]:
    return Employer.objects.count(), Relation.objects.count(), Membership.objects.count()


# Authentication ---------------------------------------------------------------------------------


def test_without_a_token_or_session_the_api_answers_401_in_json(db):
    response = Client().get(f"{API}/me")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer int_not-a-real-token", "Bearer ", "Token int_x", "Basic YW5hOnB3", "Bearer nope"],
)
def test_an_invalid_authorization_header_answers_401(db, header):
    response = Client(headers={"Authorization": header}).get(f"{API}/organizations")

    assert response.status_code == 401


def test_an_invalid_token_does_not_fall_back_to_the_session(client_for, ana):
    client = client_for(ana)

    response = client.get(f"{API}/me", headers={"Authorization": "Bearer int_forged"})

    assert response.status_code == 401


def test_a_token_identifies_its_person_and_organization(token, ana):
    _token, raw = token

    response = bearer(raw).get(f"{API}/me")

    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "ana@metal.example"
    assert body["token"]["organization"]["slug"] == "metal-sp"
    assert body["token"]["name"] == "press office"


def test_a_revoked_token_answers_401(token, ana):
    api_token, raw = token
    client = bearer(raw)
    assert client.get(f"{API}/me").status_code == 200

    token_revoke(actor=ana, token=api_token)

    assert client.get(f"{API}/me").status_code == 401


def test_a_token_stops_working_when_its_person_leaves_the_organization(token, ana, sam):
    _token, raw = token
    Membership.objects.filter(user=sam).update(role="admin")
    Membership.objects.filter(user=ana).delete()

    assert bearer(raw).get(f"{API}/me").status_code == 401


def test_a_token_of_a_deactivated_person_answers_401(token, ana):
    _token, raw = token
    ana.is_active = False
    ana.save()

    assert bearer(raw).get(f"{API}/me").status_code == 401


def test_the_last_use_of_a_token_is_recorded_and_shown(token):
    api_token, raw = token
    assert api_token.last_used_at is None

    body = bearer(raw).get(f"{API}/me").json()

    api_token.refresh_from_db()
    assert api_token.last_used_at is not None
    shown = timezone.datetime.fromisoformat(body["token"]["last_used_at"])
    assert abs((shown - api_token.last_used_at).total_seconds()) < 1


def test_a_token_needs_no_csrf_token(token):
    _token, raw = token
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    response = client.post(f"{API}/employers", {"name": "Maersk"}, content_type="application/json")

    assert response.status_code == 201


def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing(kim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kim)
    before = counts()

    response = client.post(f"{API}/employers", {"name": "Maersk"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert counts() == before


def test_a_session_write_with_the_csrf_token_is_accepted(kim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kim)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret

    response = client.post(
        f"{API}/employers",
        {"name": "Maersk"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )

    assert response.status_code == 201


def test_a_session_read_needs_no_csrf_token(kim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kim)

    assert client.get(f"{API}/me").status_code == 200


def test_an_anonymous_write_answers_401_not_a_csrf_failure(db):
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/employers", {"name": "Maersk"}, content_type="application/json"
    )

    assert response.status_code == 401


# Errors -----------------------------------------------------------------------------------------


def test_a_body_that_is_not_json_answers_400_and_changes_nothing(client_for, kim):
    before = counts()

    response = client_for(kim).post(
        f"{API}/employers", "{'name': 'Maersk'", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": {}}
    assert counts() == before


def test_a_request_without_its_body_says_so(client_for, kim):
    response = client_for(kim).post(f"{API}/employers", "", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "This request needs a JSON body."


def test_fields_of_the_wrong_type_are_named_one_by_one(client_for, sam):
    before = counts()

    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        json.dumps({"partner": "docks-kr", "kind": "comradely", "since": "soon", "note": 5}),
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["kind"] == ["Select a valid choice: 'fraternal', 'cooperation' or 'federation'."]
    assert errors["since"] == ["Enter a valid date (YYYY-MM-DD)."]
    assert errors["note"] == ["Enter text."]
    assert counts() == before


def test_error_messages_are_translated(client_for, kim):
    kim.language = "fr"
    kim.save()

    with translation.override("en"):  # the request switches to French; leave no trace after
        response = client_for(kim).post(f"{API}/employers", {}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["Ce champ est obligatoire."]


def test_with_a_token_messages_are_in_its_persons_language(ana, owner_org):
    ana.language = "fr"
    ana.save()
    _token, raw = token_create(actor=System(reason="test"), user=ana, organization=owner_org)

    with translation.override("en"):
        response = bearer(raw).post(f"{API}/employers", {}, content_type="application/json")

    assert response.json()["errors"]["name"] == ["Ce champ est obligatoire."]


def test_accept_language_chooses_the_language_of_errors_over_the_persons_saved_one(
    ana, owner_org, client_for
):
    ana.language = "en"
    ana.save()
    _token, raw = token_create(actor=System(reason="test"), user=ana, organization=owner_org)

    with translation.override("en"):
        by_token = bearer(raw).post(
            f"{API}/employers",
            {},
            content_type="application/json",
            headers={"Accept-Language": "es"},
        )
        by_session = client_for(ana).post(
            f"{API}/employers",
            {},
            content_type="application/json",
            headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"},
        )

    assert by_token.json()["errors"]["name"] == ["Este campo es obligatorio."]
    assert by_session.json()["errors"]["name"] == ["Este campo es obligatorio."]


def test_an_id_that_is_not_a_number_answers_400(client_for, ana):
    response = client_for(ana).delete(f"{API}/organizations/metal-sp/members/abc")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["pk"]


def test_an_unknown_path_answers_404_in_json(client_for, ana):
    for path in (f"{API}/", f"{API}/no/such/thing"):
        response = client_for(ana).get(path)
        assert response.status_code == 404
        assert response.json()["detail"] == "Not found."


def test_a_method_a_path_does_not_have_answers_405_in_json(client_for, ana):
    response = client_for(ana).put(f"{API}/organizations/metal-sp")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["detail"]


def test_a_body_over_the_limit_answers_413_and_changes_nothing(settings, kim):
    settings.INTERNATIONALE_MAX_REQUEST_BYTES = 1000
    _token, raw = token_create(
        actor=System(reason="test"), user=kim, organization=kim.memberships.get().organization
    )
    before = counts()

    response = bearer(raw).post(
        f"{API}/employers",
        {"name": "Maersk", "description": "x" * 2000},
        content_type="application/json",
    )

    assert response.status_code == 413
    assert "1000 bytes" in response.json()["detail"]
    assert counts() == before


# Documentation ----------------------------------------------------------------------------------


def test_the_openapi_schema_describes_every_operation(db):
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/organizations/{slug}/relations" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth", "CSRFToken"}


def operations(schema):  # type: ignore[no-untyped-def]
    return [
        (method, path, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


PUBLIC_WRITES = {"campaign_sign", "signature_confirm"}


def test_every_write_operation_lists_403_and_needs_the_csrf_header_with_the_session(db):
    schema = Client().get(f"{API}/openapi.json").json()
    csrf = schema["components"]["securitySchemes"]["CSRFToken"]
    assert (csrf["type"], csrf["in"], csrf["name"]) == ("apiKey", "header", "X-CSRFToken")

    writes = [op for method, _path, op in operations(schema) if method != "get"]
    assert len(writes) > 20
    # Writes the public makes without an account (signing a campaign, confirming a signature):
    # no authentication, so no session and no CSRF token either; they act for no one.
    public = [op for op in writes if op["operationId"] in PUBLIC_WRITES]
    assert sorted(op["operationId"] for op in public) == sorted(PUBLIC_WRITES)
    for op in public:
        assert not op.get("security"), op["operationId"]
        assert {"400", "413"} <= set(op["responses"]), op["operationId"]
    for op in (op for op in writes if op["operationId"] not in PUBLIC_WRITES):
        assert {"401", "403", "409", "413"} <= set(op["responses"]), op["operationId"]
        assert op["responses"]["403"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
        assert {"TokenAuth": []} in op["security"]
        assert {"SessionAuth": [], "CSRFToken": []} in op["security"]
    for _method, _path, op in operations(schema):
        assert {"400", "401", "404"} <= set(op["responses"]), op["operationId"]


def test_operation_ids_read_like_actions_and_are_unique(db):
    schema = Client().get(f"{API}/openapi.json").json()

    ids = [op["operationId"] for _method, _path, op in operations(schema)]

    assert [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z]+)*", i)] == []
    assert len(ids) == len(set(ids))
    assert "appeal_create" in ids
    assert "contribution_confirm" in ids


def test_the_documentation_is_served_without_any_outside_asset(db):
    response = Client().get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/organizations/{slug}/inbox" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert re.findall(r"https?://", html) == []
    assert re.findall(r"\bsrc=", html) == []
    assert "<script" not in html
    assert re.findall(r'href="(?!#|/)', html) == []


def test_every_operation_has_a_stable_name(db):
    from django.urls import reverse

    assert reverse("api:organization_list") == "/api/v1/organizations"
    assert (
        reverse("api:inbox", kwargs={"slug": "metal-sp"}) == "/api/v1/organizations/metal-sp/inbox"
    )
