"""The REST API of translation: machine. Routes are declared here, registered in web/api.py."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from internationale.core.actors import as_actor
from internationale.core.api import ERRORS

from .machine.engine import route
from .services_machine import machine_overview

router = Router(tags=["translation"])


class TranslationMachinePairOut(Schema):
    source: str
    target: str
    backend: str
    version: str
    licence: str
    segments: int
    characters: int


class PairsOut(Schema):
    backends: list[str]
    pairs: list[TranslationMachinePairOut]
    versions_by_status: dict[str, int]
    versions_by_language: dict[str, dict[str, int]]


@router.get("/translation/pairs", response={200: PairsOut, **ERRORS}, url_name="translation_pairs")
def translation_pairs(request: HttpRequest) -> dict:
    """For operators: the pairs each backend translates directly (in the order of preference),
    the version and licence of installed packs, how many segments and characters each pair has
    translated, and how many language versions the server holds, by status and by language.
    404 for anyone else."""
    overview = machine_overview(viewer=request.auth)  # type: ignore[attr-defined]
    return {
        "backends": overview.backends,
        "pairs": [vars(row) for row in overview.pairs],
        "versions_by_status": overview.versions_by_status,
        "versions_by_language": dict(overview.versions_by_language),
    }


class RouteQuery(Schema):
    source: str
    target: str


class StepOut(Schema):
    backend: str
    source: str
    target: str


class RouteOut(Schema):
    steps: list[StepOut]


@router.get("/translation/route", response={200: RouteOut, **ERRORS}, url_name="translation_route")
def translation_route(request: HttpRequest, query: Query[RouteQuery]) -> dict:
    """How this server would translate `source` into `target` (BCP 47 tags): one step with a
    direct model, or two through English. 400, with the reason under `target`, when no backend
    can."""
    as_actor(request.auth)  # type: ignore[attr-defined]
    try:
        steps = route(query.source, query.target)
    except ValidationError as error:
        raise ValidationError({"target": error.error_list}) from None
    return {"steps": [{"backend": b.name, "source": s, "target": t} for b, s, t in steps]}
