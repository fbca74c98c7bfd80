"""The OpenAPI document names each schema once: django-ninja gathers every schema under its class
name, so two classes of one name would silently share one description, and the document would
give one endpoint's body to another. Schema classes are prefixed by their app (docs/api.md)."""

import enum
import json
import typing
from collections import defaultdict
from typing import Any

from django.test import Client
from ninja import Schema
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from internationale.web.api import api

API = "/api/v1"

# The wrapper ninja builds around every response model: never a component of its own.
WRAPPERS = {"NinjaResponseSchema"}


def _reach(annotation: Any, found: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        if annotation in found:
            return
        found.add(annotation)
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                _reach(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _reach(argument, found)


def _subclasses(cls: type) -> typing.Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def schema_classes() -> set[type]:
    """Every class the API documents: the request and response models of every registered
    operation and the models and enums they hold, and every Schema our API modules define
    (some are documented by hand, in an operation's openapi_extra)."""
    found: set[type] = set()
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _reach(model, found)
                for model in operation.response_models.values():
                    _reach(model, found)
    found.update(
        cls
        for cls in _subclasses(Schema)
        if cls.__module__.startswith("internationale.") and ".tests" not in cls.__module__
    )
    return {
        cls
        for cls in found
        if not hasattr(cls, "__ninja_param_source__") and cls.__name__ not in WRAPPERS
    }


def described(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return json.dumps([member.value for member in cls])
    assert issubclass(cls, BaseModel)
    return json.dumps(
        [
            cls.model_json_schema(
                ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
            )
            for mode in ("validation", "serialization")
        ],
        sort_keys=True,
    )


def test_no_two_schemas_of_the_api_that_differ_share_a_name():
    by_name: dict[str, set[type]] = defaultdict(set)
    for cls in schema_classes():
        by_name[cls.__name__].add(cls)
    assert len(by_name) > 150  # the walk reaches the API's schemas, not a handful

    clashes = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in by_name.items()
        if len({described(cls) for cls in classes}) > 1
    }

    assert clashes == {}


def documented_fields(document: dict[str, Any], node: dict[str, Any]) -> set[str]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return set(node["properties"])


def body_of(document: dict[str, Any], path: str, method: str) -> set[str]:
    content = document["paths"][f"{API}{path}"][method]["requestBody"]["content"]
    return documented_fields(document, content["application/json"]["schema"])


def answer_of(document: dict[str, Any], path: str, method: str, status: str) -> set[str]:
    content = document["paths"][f"{API}{path}"][method]["responses"][status]["content"]
    return documented_fields(document, content["application/json"]["schema"])


def test_the_endpoints_whose_bodies_were_swapped_document_their_own_fields(db):
    document = Client().get(f"{API}/openapi.json").json()

    # Submitting minutes takes a deadline, not a translator's texts.
    assert body_of(document, "/meetings/{pk}/minutes/submit", "post") == {"deadline"}
    # A document added to an agenda item is a title and a link or a file, not a library document.
    added = answer_of(document, "/meetings/{pk}/agenda/{item}/documents", "post", "201")
    assert added == {"id", "title", "link", "file_url"}
    # While a library document is one.
    library = answer_of(document, "/library/documents/{pk}", "get", "200")
    assert {"kind", "summary", "body", "files", "organization"} <= library
    # A translator's own pairs, not the machine's nor a meeting's pairs of organizations.
    page = answer_of(document, "/translation/volunteer/pairs", "get", "200")
    assert page == {"items", "count"}
    paged = document["paths"][f"{API}/translation/volunteer/pairs"]["get"]["responses"]["200"]
    ref = paged["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    items = document["components"]["schemas"][ref]["properties"]["items"]["items"]
    assert documented_fields(document, items) == {
        "id",
        "source_language",
        "target_language",
        "created_at",
    }
    # A published statement's initiator comes with its country.
    published = answer_of(document, "/statements/published/{pk}", "get", "200")
    assert "initiator" in published
    statement = document["paths"][f"{API}/statements/published/{{pk}}"]["get"]["responses"]
    ref = statement["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    initiator = document["components"]["schemas"][ref]["properties"]["initiator"]
    assert documented_fields(document, initiator) == {"slug", "name", "country"}
