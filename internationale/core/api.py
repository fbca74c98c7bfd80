"""What every endpoint of the REST API shares: errors, pagination, idempotent creation and the
documentation page. Authentication (tokens and the session) is in internationale/accounts/api.py,
the acting organization in internationale/organizations/api.py, the assembly in
internationale/web/api.py.

Errors are JSON: `{"detail": "<a sentence>", "errors": {"<field>": ["<message>", …]}}`.
- 400: the content of the request is refused, whatever the reason: a body that is not JSON, a
  parameter missing or of the wrong type (schema validation), or a rule of the platform (Django's
  ValidationError). One status for all of them, so a client has one case to handle; `errors` says
  which field, and `detail` says what is wrong with the request as a whole.
  Text no field can hold (NUL, a lone surrogate) and JSON nested too deep are refused before any
  view, by core.middleware.TextInputMiddleware, in this same form (error_response).
- 401: no valid token or session.
- 403: the CSRF check failed, or an action was refused on something everyone may see anyway.
- 404: missing, or not yours: the two answer the same, so the API reveals nothing.
- 409: an `Idempotency-Key` already used with a different body, or a write that met another
  one (a database constraint), said in a sentence, never by the constraint's name.
- 413: a body over INTERNATIONALE_MAX_REQUEST_BYTES (core.middleware.RequestSizeLimitMiddleware).
A refused request changes nothing.
"""

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.urls.resolvers import RoutePattern
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import LimitOffsetPagination
from ninja.params.functions import Header as header_param
from pydantic import AfterValidator, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from internationale.core.actors import Person
from internationale.core.constraints import integrity_errors, without_constraint_names
from internationale.core.idempotency import SubmissionConflict

T = TypeVar("T")
MAX_PAGE_SIZE = 100
# Every list skips this many items at most: a database reaches an offset by reading every row
# before it, so a larger one costs as much as reading the whole table. A list goes further with
# its filters, or, the directory of organizations, by the cursor of its `next` link.
MAX_OFFSET = 10_000


class AuthenticatedRequest(HttpRequest):
    """A request to the API, once authenticated: `auth` is the person acting (`core/actors.py`)."""

    auth: Person


# Money travels as text, never as a JSON number (a float on the way in many languages): up to 12
# digits, and at most two after the point, as the models store it (`core/money.py`).
AMOUNT_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal):  # from the database, on the way out
        return value
    if isinstance(value, str) and re.fullmatch(AMOUNT_PATTERN, value):
        return Decimal(value)
    raise PydanticCustomError("amount", "not an amount")


Amount = Annotated[
    Decimal,
    PlainValidator(_amount),
    PlainSerializer(lambda value: str(value.quantize(Decimal("0.01"))), return_type=str),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN, "examples": ["1250.50"]}),
]


def choice_of(choices: Any, *, blank: bool = False) -> Any:
    """The values of a model's TextChoices as a Literal type, and "" too when `blank`: listed
    inline in the schema, so two choices classes of one name (Organization.Kind, Relation.Kind)
    never collide there."""
    return Literal[tuple(choices.values) + (("",) if blank else ())]


# Idempotent creation ----------------------------------------------------------------------------


def idempotency_header() -> Any:
    """The `Idempotency-Key` header, as the default value of an endpoint's argument."""
    return header_param(
        None,
        alias="Idempotency-Key",
        max_length=100,
        description=(
            "Any unique string chosen by the client. Sending the same request again with the "
            "same key creates nothing new and answers with the object created the first time; "
            "the same key with a different body answers 409 and changes nothing."
        ),
    )


# Partial changes (PATCH) -----------------------------------------------------------------------

# The default of a field of a PATCH body: a field left out is not validated and is dropped by
# `.dict(exclude_unset=True)`, so it keeps its value; one sent as null is validated against the
# field's type and refused, unless the type says `| None`. Typed Any so any field may take it.
LEFT_OUT: Any = None


# Pagination -------------------------------------------------------------------------------------


def _within_reach(value: int) -> int:
    if value > MAX_OFFSET:
        raise PydanticCustomError("offset_too_far", "offset too far", {"max": MAX_OFFSET})
    return value


# The `offset` of every list of the API: from 0 to MAX_OFFSET. Beyond, a 400 that says how to go on.
Offset = Annotated[
    int,
    Field(ge=0, json_schema_extra={"maximum": MAX_OFFSET}),
    AfterValidator(_within_reach),
]


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; answers `{"items": [...], "count": <all matching>}`."""

    class Input(Schema):
        limit: int = Field(
            settings.INTERNATIONALE_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description="How many items, at most 100.",
        )
        offset: Offset = Field(0, description="How many items to skip, at most 10,000.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


# Errors -----------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per field, when fields are at fault."
    )


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
# For the requests that create and take an `Idempotency-Key`.
CONFLICT: dict[int, Any] = {409: ErrorOut}


_SCHEMA_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "date": lambda ctx: _("Enter a valid date (YYYY-MM-DD)."),
    "datetime": lambda ctx: _("Enter a valid date and time (ISO 8601)."),
    "enum": lambda ctx: (
        _("Select a valid choice: %(choices)s.") % {"choices": ctx.get("expected", "")}
    ),
    "literal_error": lambda ctx: (
        _("Select a valid choice: %(choices)s.") % {"choices": ctx.get("expected", "")}
    ),
    "string_too_long": lambda ctx: (
        _("Enter at most %(max)s characters.") % {"max": ctx.get("max_length")}
    ),
    "string_too_short": lambda ctx: (
        _("Enter at least %(min)s characters.") % {"min": ctx.get("min_length")}
    ),
    "greater_than_equal": lambda ctx: (
        _("Enter a number greater than or equal to %(min)s.") % {"min": ctx.get("ge")}
    ),
    "less_than_equal": lambda ctx: (
        _("Enter a number less than or equal to %(max)s.") % {"max": ctx.get("le")}
    ),
    "offset_too_far": lambda ctx: (
        _(
            "At most %(max)s: to go further, narrow the list with its filters, or follow the "
            "next link of each answer where the list gives one."
        )
        % {"max": f"{ctx.get('max', MAX_OFFSET):,}"}
    ),
    "string_type": lambda ctx: _("Enter text."),
    "amount": lambda ctx: _('Enter an amount as text, with at most two decimals: "1250.50".'),
    "list_type": lambda ctx: _("Enter a list."),
    "model_type": lambda ctx: _("Enter a JSON object."),
    "model_attributes_type": lambda ctx: _("Enter a JSON object."),
    "dict_type": lambda ctx: _("Enter a JSON object."),
    "timezone_aware": lambda ctx: _(
        "Give the time with its time zone, as an offset: 2026-12-01T18:00:00+01:00 or …Z."
    ),
}


def _schema_message(error: dict[str, Any]) -> str:
    """Pydantic's English messages, replaced by ours so that every message can be translated."""
    kind = error.get("type", "")
    if kind.startswith("datetime"):
        kind = "datetime"
    elif kind.startswith("date"):
        kind = "date"
    message = _SCHEMA_MESSAGES.get(kind)
    return message(error.get("ctx") or {}) if message else _("Enter a valid value.")


def _schema_field(loc: tuple[Any, ...]) -> str:
    """("body", "payload", "kind") → "kind"; ("query", "limit") → "limit"; ("body", "payload")
    (the body as a whole) → NON_FIELD_ERRORS."""
    source, *rest = loc or ("",)
    if source == "body" and rest:
        rest = rest[1:]  # the name of the view's argument, which clients never see
    return ".".join(str(part) for part in rest) or NON_FIELD_ERRORS


def _schema_errors(exc: SchemaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = _schema_field(tuple(error.get("loc", ())))
        if field == NON_FIELD_ERRORS and error.get("type") == "missing":
            message = _("This request needs a JSON body.")
        else:
            message = _schema_message(error)
        errors.setdefault(field, []).append(message)
    return errors


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(detail), "errors": errors or {}}, status=status
    )


def _detected(exc: DjangoValidationError) -> DjangoValidationError | None:
    """The first error of `exc` that names what was detected in the text (params["detected"]:
    translation/detection.py's `language_unconfirmed`), if any."""
    parts = (
        [error for errors in exc.error_dict.values() for error in errors]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    for part in parts:
        for error in part.error_list:
            if error.code and isinstance(error.params, dict) and "detected" in error.params:
                return error
    return None


def refusal_body(exc: DjangoValidationError) -> dict[str, Any]:
    """The 400 body of a rule's refusal: `{"detail", "errors"}`; and when the refusal names what
    was detected in the text (a declared language that detection contradicts), the same for every
    app that asks for that confirmation: its `code` and the `detected` language at the top level,
    and the message itself as `detail`, so that a client can offer the confirmation."""
    errors = without_constraint_names(exc)
    general = errors.pop(NON_FIELD_ERRORS, [])
    detail = " ".join(general) or _("The request is not valid: see the errors by field.")
    body: dict[str, Any] = {"detail": str(detail), "errors": errors}
    detected = _detected(exc)
    if detected is not None:
        body["detail"] = " ".join(exc.messages)
        body["code"] = detected.code
        body["detected"] = detected.params["detected"]  # type: ignore[index]
    return body


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error as `{"detail": ..., "errors": {...}}`, with the statuses in this module's doc."""

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = _schema_errors(exc)
        general = errors.pop(NON_FIELD_ERRORS, [])
        detail = " ".join(general) or _("The request is not valid: see the errors by field.")
        return _error(api, request, 400, detail, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def rule_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, refusal_body(exc), status=400)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A write that met another one at the same moment: said as the constraint says it.
        errors = integrity_errors(exc)
        general = errors.pop(NON_FIELD_ERRORS, [])
        detail = " ".join(general) or _("The request is not valid: see the errors by field.")
        return _error(api, request, 409, detail, errors=errors)

    @api.exception_handler(SubmissionConflict)
    def key_reused(request: HttpRequest, exc: SubmissionConflict) -> HttpResponse:
        return _error(api, request, 409, " ".join(exc.messages))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _error(
            api,
            request,
            401,
            _("Sign in, or send a valid API token: Authorization: Bearer int_…"),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, str(exc) or _("You are not allowed to do this."))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.INTERNATIONALE_MAX_REQUEST_BYTES
        message = _("The request is too large: at most %(limit)d bytes are accepted.")
        return _error(api, request, 413, message % {"limit": limit})

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return _error(api, request, 400, _("The multipart form data cannot be read."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Raised by django-ninja itself, with English messages; ours are said again, translated.
        messages = {
            400: _("The request body is not valid JSON."),
            405: _("This method is not allowed here."),
            429: _("Too many requests: wait a moment and try again."),
        }
        return _error(api, request, exc.status_code, messages.get(exc.status_code, str(exc)))


# Every answer is JSON ---------------------------------------------------------------------------


def error_response(
    status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """An error in the API's form, for answers given outside django-ninja (middleware, routing)."""
    return JsonResponse({"detail": str(detail), "errors": errors or {}}, status=status)


def not_found_view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return error_response(404, _("Not found."))


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """django-ninja answers a method a path does not have in plain text; we answer JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            answer = error_response(405, _("This method is not allowed here."))
            answer["Allow"] = response["Allow"]
            return answer
        return response

    return wrapper


_WRITES = {"post", "put", "patch", "delete"}
# What every operation may answer besides its own statuses: any authenticated one 401; any
# write 403 (the CSRF check of the session), 409 (it met another write at the same moment) and
# 413 (a body over the limit).
_ANSWERS = {
    401: "Unauthorized: no valid token or session.",
    403: "Forbidden: the CSRF check failed, or the action is refused.",
    409: "Conflict: an Idempotency-Key used with another body, or a write that met another one.",
    413: "Content Too Large: the body is over the server's limit.",
}
_CSRF_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-CSRFToken",
    "description": (
        "With the session (SessionAuth), writes (POST, PATCH, PUT, DELETE) also send the value "
        "of the csrftoken cookie in this header. Not needed with an API token."
    ),
}


def _describe_answers(schema: dict[str, Any]) -> None:
    """Every status an operation may answer is in its description, and the session's writes
    name the X-CSRFToken header they need, as a security scheme of their own."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["CSRFToken"] = (
        _CSRF_SCHEME
    )
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for methods in schema.get("paths", {}).values():
        for method, op in methods.items():
            write = method in _WRITES
            statuses = [401] if op.get("security") else []
            statuses += [403, 409, 413] if write else []
            responses = op.setdefault("responses", {})
            for status in statuses:
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": _ANSWERS[status], "content": error}
            if write:
                op["security"] = [
                    {**option, "CSRFToken": []} if "SessionAuth" in option else option
                    for option in op.get("security", [])
                ]


class PlatformAPI(NinjaAPI):
    """A NinjaAPI whose every answer is JSON, for paths and methods it does not have too; its
    schema names operations by their function (`appeal_create`) and lists every status each
    may answer."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        _describe_answers(schema)
        return schema

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = [url for url in super()._get_urls() if getattr(url, "name", "") != "api-root"]
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _json_not_allowed(url.callback)
        # ninja's root only raises Django's HTML 404; it must keep its name, by which ninja
        # computes the paths in the schema.
        urls.append(re_path(r"^.*$", not_found_view, name="api-root"))
        return by_first_segment(urls)


def by_first_segment(urls: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The same URLs, those of each first segment of their path ("campaigns/", "meetings/", …)
    under one resolver of that prefix: Django tries a list of patterns one after the other, and
    a request deep in the API (a signature, at the 164th of 220) tested every pattern before it,
    most of them regular expressions (about 0.3 ms a request). Grouped, it tests the prefixes,
    then the patterns of its own. The same URL resolves to the same view as before: a path's
    first segment matches one prefix at most, and a pattern that could match paths of several
    (a regular expression, such as the API's own "not found") keeps its place, groups before it
    closed. Names and reversing are unchanged (an include without a namespace of its own)."""
    grouped: list[URLPattern | URLResolver] = []
    open_groups: dict[str, list[URLPattern | URLResolver]] = {}
    for url in urls:
        route = str(url.pattern) if isinstance(url.pattern, RoutePattern) else None
        first, slash, rest = (route or "").partition("/")
        if isinstance(url, URLPattern) and route and slash and "<" not in first:
            if first not in open_groups:
                open_groups[first] = []
                grouped.append(path(f"{first}/", include(open_groups[first])))
            open_groups[first].append(path(rest, url.callback, url.default_args, url.name))
            continue
        # One path without a slash ("me", "docs"): no group's path. Anything else may match paths
        # of any prefix (a regular expression, a converter first): no group moves past it.
        if not (isinstance(url, URLPattern) and route and "<" not in route):
            open_groups = {}
        grouped.append(url)
    return grouped


# Documentation ----------------------------------------------------------------------------------


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_html(schema: dict[str, Any]) -> str:
    """A JSON schema's type, in words, with links to the named schemas it refers to."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return format_html('<a href="#schema-{}">{}</a>', name, name)
    if "anyOf" in schema:
        return " | ".join(_type_html(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type_html(schema["allOf"][0])
    if "enum" in schema:
        return format_html(
            "{}: {}", _("one of"), ", ".join(json.dumps(value) for value in schema["enum"])
        )
    kind = schema.get("type", "any")
    if kind == "array":
        return format_html("{} {}", _("list of"), _type_html(schema.get("items", {})))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return format_html("{} {}", _("object of"), _type_html(schema["additionalProperties"]))
    if "format" in schema:
        return format_html("{} ({})", kind, schema["format"])
    return format_html("{}", kind)


def _paragraphs(text: str) -> str:
    return format_html_join("", "<p>{}</p>", ((p.strip(),) for p in text.split("\n\n") if p))


def _operation_html(path: str, method: str, op: dict[str, Any]) -> str:
    parameters = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                p["name"],
                p["in"],
                _type_html(p.get("schema", {})),
                _("yes") if p.get("required") else _("no"),
                p.get("description") or p.get("schema", {}).get("description", ""),
            )
            for p in op.get("parameters", [])
        ),
    )
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    responses = format_html_join(
        "",
        "<li><code>{}</code> {} {}</li>",
        (
            (
                status,
                answer.get("description", ""),
                _type_html(answer.get("content", {}).get("application/json", {}).get("schema", {}))
                if answer.get("content")
                else "",
            )
            for status, answer in op.get("responses", {}).items()
        ),
    )
    return format_html(
        '<section id="{}"><h3><span class="m">{}</span> <code>{}</code></h3><p><b>{}</b></p>{}'
        "{}{}<h4>{}</h4><ul>{}</ul></section>",
        op.get("operationId", ""),
        method,
        path,
        op.get("summary", ""),
        _paragraphs(op.get("description", "")),
        format_html(
            "<h4>{}</h4><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "{}</table>",
            _("Parameters"),
            _("name"),
            _("in"),
            _("type"),
            _("required"),
            _("description"),
            parameters,
        )
        if parameters
        else "",
        format_html("<h4>{}</h4><p>{}</p>", _("Body (JSON)"), _type_html(body.get("schema", {})))
        if body
        else "",
        _("Responses"),
        responses,
    )


def _schema_html(name: str, schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    rows = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                field,
                _type_html(spec),
                _("yes") if field in required else _("no"),
                spec.get("description", ""),
            )
            for field, spec in schema.get("properties", {}).items()
        ),
    )
    return format_html(
        '<section id="schema-{}"><h3>{}</h3>{}<table><tr><th>{}</th><th>{}</th><th>{}</th>'
        "<th>{}</th></tr>{}</table></section>",
        name,
        name,
        _paragraphs(schema.get("description", "")),
        _("field"),
        _("type"),
        _("required"),
        _("description"),
        rows,
    )


def render_reference(schema: dict[str, Any], openapi_url: str) -> str:
    """The API reference as one light HTML page: no script, one small style sheet of the server's
    own (no inline style, which the Content-Security-Policy refuses), nothing from elsewhere."""
    info = schema.get("info", {})
    operations = [
        (path, method, op)
        for path, methods in schema.get("paths", {}).items()
        for method, op in methods.items()
    ]
    index = format_html_join(
        "",
        '<li><a href="#{}"><span class="m">{}</span> <code>{}</code></a> {}</li>',
        (
            (op.get("operationId", ""), method, path, op.get("summary", ""))
            for path, method, op in operations
        ),
    )
    return format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>{}</title>'
        '<link rel="stylesheet" href="{}"></head><body><main><h1>{} {}</h1>{}'
        '<p><a href="{}">{}</a></p><h2>{}</h2><ul>{}</ul>{}<h2>{}</h2>{}</main></body></html>',
        translation.get_language() or settings.LANGUAGE_CODE,
        info.get("title", ""),
        static("css/api-reference.css"),
        info.get("title", ""),
        info.get("version", ""),
        _paragraphs(info.get("description", "")),
        openapi_url,
        _("The OpenAPI 3 schema, as JSON"),
        _("Operations"),
        index,
        format_html_join("", "{}", ((_operation_html(*o),) for o in operations)),
        _("Schemas"),
        format_html_join(
            "",
            "{}",
            (
                (_schema_html(name, spec),)
                for name, spec in schema.get("components", {}).get("schemas", {}).items()
            ),
        ),
    )


class ReferencePage(DocsBase):
    """The documentation, rendered on the server from the OpenAPI schema.

    django-ninja's Swagger and Redoc pages load their scripts from a CDN unless ninja is an
    installed app, and even then run a megabyte of JavaScript; the platform depends on no outside
    service, and many of its users read on slow links.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        html = render_reference(schema, self.get_openapi_url(api, kwargs))
        return HttpResponse(html, content_type="text/html; charset=utf-8")
