"""Bad input to every write endpoint of the API, taken from its OpenAPI description: null where a
field is not nullable, a value of the wrong type, a lone surrogate, the NUL character and JSON
nested a hundred deep. Each is answered with a JSON 4xx carrying `detail` and `errors`, and
changes nothing in the database."""

import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from internationale.web.api import api

from .matrix import PERSONAS, World
from .test_permission_matrix import CASES, world  # noqa: F401 (the fixture)

WRITES = {"post", "patch", "put", "delete"}


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    """(method, url name) → the operation's request body schema (empty when it takes none)."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    operations = {}
    for methods in schema["paths"].values():
        for method, operation in methods.items():
            if method not in WRITES:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_schema = body.get("schema", {})
            if "$ref" in body_schema:
                body_schema = components[body_schema["$ref"].rsplit("/", 1)[-1]]
            name = operation["operationId"].rsplit("_api_", 1)[-1]
            operations[(method.upper(), f"api:{name}")] = body_schema
    return operations


OPERATIONS = _operations()


def _allowed_case(method: str, name: str):  # type: ignore[no-untyped-def]
    """The permission-matrix case of the operation with a JSON body (or none), and a persona it
    succeeds for: bad input must be refused for what it is, not for who sends it."""
    cases = [
        case
        for case in CASES
        if (case.method, case.name) == (method, name) and (case.json or not case.data)
    ]
    for reached in (range(200, 300), [400, 409]):  # else one refused by the endpoint itself
        for case in cases:
            for persona in PERSONAS:
                if case.expected[persona] in reached:
                    return case, persona
    raise AssertionError(f"no permission-matrix case where {method} {name} is let through")


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _level in range(depth):
        value = [value]
    return value


def _nullable(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "null" or any(
        option.get("type") == "null" for option in spec.get("anyOf", [])
    )


def _bad_bodies(valid: dict[str, Any], body_schema: dict[str, Any]) -> list[tuple[str, Any]]:
    bodies: list[tuple[str, Any]] = [
        ("a body nested 100 deep", _nested(100)),
        ("a field nested 100 deep", {**valid, "extra": _nested(100)}),
        ("an unknown field with a lone surrogate", {**valid, "extra": "\ud800"}),
        ("an unknown field with NUL", {**valid, "extra": "a\u0000b"}),
    ]
    for field, spec in body_schema.get("properties", {}).items():
        if not _nullable(spec):
            bodies.append((f"{field}: null", {**valid, field: None}))
        bodies.append((f"{field}: wrong type", {**valid, field: {"wrong": ["type"]}}))
        bodies.append((f"{field}: a lone surrogate", {**valid, field: "lock\ud800out"}))
        bodies.append((f"{field}: NUL", {**valid, field: "lock\u0000out"}))
    return bodies


def _database() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def test_every_write_operation_of_the_schema_is_tested():
    assert ("PATCH", "api:appeal_update") in OPERATIONS
    for method, name in OPERATIONS:
        _allowed_case(method, name)


@pytest.mark.parametrize(
    ("method", "name"), sorted(OPERATIONS), ids=[f"{m} {n}" for m, n in sorted(OPERATIONS)]
)
def test_bad_input_is_refused_as_json_and_changes_nothing(method, name, world: World):  # noqa: F811
    case, persona = _allowed_case(method, name)
    client = Client()
    if world.people[persona] is not None:  # a public endpoint may be let through anonymously
        client.force_login(world.people[persona])
    path = case.path(world)
    valid = case.data(world) if case.data else {}
    before = _database()
    for label, body in _bad_bodies(valid, OPERATIONS[(method, name)]):
        response = getattr(client, method.lower())(
            path, data=json.dumps(body), content_type="application/json"
        )
        assert 400 <= response.status_code < 500, (label, response.status_code, response.content)
        assert response["Content-Type"].startswith("application/json"), (
            label,
            response.content[:300],
        )
        answer = response.json()
        assert isinstance(answer["detail"], str) and answer["detail"], (label, answer)
        assert isinstance(answer["errors"], dict), (label, answer)
        assert _database() == before, label


@pytest.mark.parametrize(
    ("method", "name"), sorted(OPERATIONS), ids=[f"{m} {n}" for m, n in sorted(OPERATIONS)]
)
def test_null_where_the_schema_allows_it_is_never_a_server_error(method, name, world: World):  # noqa: F811
    # The description must not promise null where the server cannot take it.
    case, persona = _allowed_case(method, name)
    client = Client()
    if world.people[persona] is not None:  # a public endpoint may be let through anonymously
        client.force_login(world.people[persona])
    valid = case.data(world) if case.data else {}
    for field, spec in OPERATIONS[(method, name)].get("properties", {}).items():
        if _nullable(spec):
            response = getattr(client, method.lower())(
                case.path(world),
                data=json.dumps({**valid, field: None}),
                content_type="application/json",
            )
            assert response.status_code < 500, (field, response.content[:300])
            assert response["Content-Type"].startswith("application/json"), field


@pytest.mark.parametrize(
    "path",
    ["/api/v1/organizations/%ED%A0%80/appeals", "/api/v1/organizations/%00/appeals"],
)
def test_a_slug_that_is_no_text_is_not_found_as_json(client_for, ana, path):
    response = client_for(ana).post(path, data="{}", content_type="application/json")
    assert response.status_code in (400, 404)
    assert set(response.json()) == {"detail", "errors"}
