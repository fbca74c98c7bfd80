"""Every list of the API, taken from its OpenAPI description, skips at most 10,000 items: a
larger offset costs the database a walk over every row before it, and is refused with a 400 that
says how to go on, changing nothing."""

from typing import Any

import pytest
from django.test import Client

from internationale.core.api import MAX_OFFSET
from internationale.web.api import api

from .matrix import PERSONAS, World
from .test_permission_matrix import CASES, world  # noqa: F401 (the fixture)

TOO_FAR = (
    "At most 10,000: to go further, narrow the list with its filters, or follow the next link "
    "of each answer where the list gives one."
)


def _lists() -> dict[str, dict[str, Any]]:
    """URL name → the operation, for every GET operation whose answer is a page of `items`."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = {}
    for methods in schema["paths"].values():
        operation = methods.get("get")
        if operation is None:
            continue
        answer = operation["responses"].get(200, operation["responses"].get("200", {}))
        ref = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if ref and "items" in components[ref.rsplit("/", 1)[-1]].get("properties", {}):
            found[f"api:{operation['operationId']}"] = operation
    return found


LISTS = _lists()


def _reached(name: str, world: World) -> tuple[str, Client]:  # noqa: F811
    """The path of the list, and a client for a persona it answers 200."""
    for case in CASES:
        if (case.method, case.name) != ("GET", name):
            continue
        for persona in PERSONAS:
            if case.expected[persona] == 200 and world.people[persona] is not None:
                client = Client()
                client.force_login(world.people[persona])
                return case.path(world), client
    raise AssertionError(f"no permission-matrix case where GET {name} answers 200")


def test_the_lists_are_found_in_the_description():
    # The directory, members, relations, appeals, pledges, the inbox…: not a vacuous test below.
    assert len(LISTS) >= 10
    assert {"api:organization_list", "api:appeal_list", "api:member_list"} <= set(LISTS)


# Lists that stop sooner than MAX_OFFSET, each with its reason; their own tests keep the bound.
SHORTER = {
    # A search lists what it finds up to 1,000 (library/search.py; library/tests/test_search.py).
    "api:library_search": 1_000,
}


def _maximum(name: str) -> int:
    offset = next(p for p in LISTS[name]["parameters"] if p["name"] == "offset")
    return int(offset["schema"]["maximum"])


def test_only_the_lists_said_to_stop_sooner_do():
    assert {name: _maximum(name) for name in SHORTER} == SHORTER
    assert {name for name in LISTS if _maximum(name) != MAX_OFFSET} == set(SHORTER)


@pytest.mark.parametrize("name", sorted(set(LISTS) - set(SHORTER)))
def test_every_list_describes_and_keeps_the_furthest_offset(name, world: World):  # noqa: F811
    assert _maximum(name) == MAX_OFFSET == 10_000
    path, client = _reached(name, world)

    furthest = client.get(path, {"offset": 10_000})
    assert furthest.status_code == 200
    assert furthest.json()["items"] == []

    for beyond in (10_001, 1_000_000_000):
        response = client.get(path, {"offset": beyond})
        assert response.status_code == 400, response.content[:300]
        assert response.json()["errors"] == {"offset": [TOO_FAR]}
        assert response.json()["detail"]
    assert client.get(path, {"offset": -1}).status_code == 400
    assert client.get(path, {"offset": 0}).status_code == 200
